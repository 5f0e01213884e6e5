{#
    select_source(table_name, columns): the raw table's columns, cast to the given types.

    dlt creates a table only when its first row arrives, and a column only when a non-null value
    for it arrives: an organisation without returns has no `wms_returns` table, and a table whose
    records never carried a `company` has no such column. This macro selects every listed column
    that exists in the raw table, casts it, and fills a missing one with a typed null; a missing
    table gives an empty relation with the same typed columns. Staging models (and so everything
    downstream) build on any warehouse.

    Type drift: when a value arrives with another type than the column's (a decimal sent as a
    string), dlt stores it in a variant column `<name>__v_<type>`. Variants are folded back into
    the column with try_cast, so drifted values are not lost.

    `columns` maps column name -> DuckDB type, in output order. The raw table is always named
    through source(), so lineage, docs and source freshness know about it.
#}
{% macro select_source(table_name, columns) -%}
    {%- set relation = source('trackstar', table_name) -%}
    {%- set existing = none -%}
    {%- set present = [] -%}
    {%- if execute -%}
        {%- set existing = adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier
        ) -%}
        {%- if existing is not none -%}
            {%- for column in adapter.get_columns_in_relation(existing) -%}
                {%- do present.append(column.name | lower) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif %}
    select
    {%- for name, data_type in columns.items() %}
        {%- set candidates = [] -%}
        {%- if name | lower in present -%}
            {%- do candidates.append('cast(' ~ quoted(name) ~ ' as ' ~ data_type ~ ')') -%}
        {%- endif -%}
        {%- for other in present if other.startswith((name | lower) ~ '__v_') -%}
            {%- do candidates.append('try_cast(' ~ quoted(other) ~ ' as ' ~ data_type ~ ')') -%}
        {%- endfor %}
        {% if candidates | length == 0 -%}
            cast(null as {{ data_type }})
        {%- elif candidates | length == 1 -%}
            {{ candidates[0] }}
        {%- else -%}
            coalesce({{ candidates | join(', ') }})
        {%- endif %} as {{ quoted(name) }}{{ "," if not loop.last }}
    {%- endfor %}
    {% if existing is not none -%}
        from {{ relation }}
    {%- else -%}
        -- {{ relation }} does not exist in this warehouse (yet): no rows
        where false
    {%- endif %}
{%- endmacro %}


{#
    The keys of a dlt root table that its child tables join to: a child row's `_dlt_root_id` is
    its root row's `_dlt_id`. Child rows carry no connection_id of their own; they reach it, the
    root record's id and the load that wrote them through their root.
#}
{% macro select_root_keys(root_table) -%}
    {{ select_source(root_table, {
        '_dlt_id': 'varchar',
        'connection_id': 'varchar',
        'id': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}
{%- endmacro %}


{# A quoted DuckDB identifier (no adapter call, so sqlfluff can render the models too). #}
{% macro quoted(identifier) -%}
    "{{ identifier | replace('"', '""') }}"
{%- endmacro %}
