{#
    field_fill_counts(tables, since): per raw table, connection and column, how many of the
    records Trackstar changed since `since` fill the column (count of non-nulls), and how many
    records there were. One aggregate per table over its columns (DuckDB reads each column once),
    unpivoted into rows; a table that does not exist yet is skipped. `since` is a constant, so
    the scan skips row groups older than it: the cost follows recent volume, not history.
#}
{% macro field_fill_counts(tables, since) -%}
    {%- set found = [] -%}
    {%- if execute -%}
        {%- for table in tables -%}
            {%- set relation = source('trackstar', table) -%}
            {%- set existing = adapter.get_relation(
                database=relation.database, schema=relation.schema, identifier=relation.identifier
            ) -%}
            {%- if existing is not none -%}
                {%- do found.append((table, existing)) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif %}
    select
        cast(null as varchar) as resource,
        cast(null as varchar) as connection_id,
        cast(null as varchar) as column_name,
        cast(null as bigint) as records,
        cast(null as bigint) as filled
    where false
    {% for table, existing in found -%}
    union all
        select
            '{{ table }}' as resource,
            connection_id,
            column_name,
            records,
            filled
        from (
            unpivot (
                select
                    connection_id,
                    count(*) as records
        {%- for column in adapter.get_columns_in_relation(existing) %}
            {%- if column.name not in ('connection_id', 'id') and not column.name.startswith('_dlt') %},
                    count({{ adapter.quote(column.name) }}) as {{ adapter.quote(column.name) }}
            {%- endif %}
        {%- endfor %}
                from {{ existing }}
                where trackstar_updated_date >= timestamptz '{{ since }}'
                group by connection_id
            ) on columns(* exclude (connection_id, records)) into name column_name value filled
        )
    {%- endfor %}
{%- endmacro %}
