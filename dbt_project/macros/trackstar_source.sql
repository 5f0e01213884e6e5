{#
    select_source(table_name, columns): the raw table's columns, cast to the given types.

    dlt creates a table only when its first row arrives, and a column only when a non-null value
    for it arrives: a connection without returns has no `wms_returns` table, and a warehouse
    whose orders never had a `required_ship_date` has no such column. This macro selects every
    listed column that exists in the raw table, casts it, and fills a missing one with a typed
    null; a missing table gives an empty relation with the same typed columns. Staging models
    (and so everything downstream) then build on any warehouse.

    `columns` maps column name -> DuckDB type, in output order. The source is always declared
    with source() so lineage, docs and freshness know about it.
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
        {% if name | lower in present -%}
            cast({{ adapter.quote(name) }} as {{ data_type }})
        {%- else -%}
            cast(null as {{ data_type }})
        {%- endif %} as {{ adapter.quote(name) }}{{ "," if not loop.last }}
    {%- endfor %}
    {% if existing is not none -%}
    from {{ relation }}
    {%- else -%}
    -- {{ relation }} does not exist (yet) in this warehouse: no rows
    where false
    {%- endif %}
{%- endmacro %}


{#
    The root row of a dlt child table: `_dlt_id`, `connection_id`, `id` and `_dlt_load_id` of
    the root table, to join on the child's `_dlt_root_id`. Child rows carry no connection_id of
    their own; they reach it (and the root record's id) through their root.
#}
{% macro select_root_keys(root_table) -%}
    {{ select_source(root_table, {
        '_dlt_id': 'varchar',
        'connection_id': 'varchar',
        'id': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}
{%- endmacro %}
