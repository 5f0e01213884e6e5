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
    {%- set raw_types = {} -%}
    {%- if execute -%}
        {%- set existing = adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier
        ) -%}
        {%- if existing is not none -%}
            {%- for column in adapter.get_columns_in_relation(existing) -%}
                {%- do present.append(column.name | lower) -%}
                {%- do raw_types.update({column.name | lower: column.dtype | lower}) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif %}
    select
    {%- for name, data_type in columns.items() %}
        {% if name | lower in present and raw_types[name | lower] == 'decimal(38,9)'
            and data_type.startswith('decimal(18,') -%}
            {#- dlt's decimal(38,9) is a 128-bit integer: narrowing it first is ~50x faster -#}
            cast(cast({{ adapter.quote(name) }} as decimal(18, 9)) as {{ data_type }})
        {%- elif name | lower in present and raw_types[name | lower] == data_type | lower -%}
            {{ adapter.quote(name) }}
        {%- elif name | lower in present -%}
            {#- try_cast: a value of another type than documented becomes null, never a failed build -#}
            try_cast({{ adapter.quote(name) }} as {{ data_type }})
        {%- else -%}
            cast(null as {{ data_type }})
        {%- endif %} as {{ adapter.quote(name) }}{{ "," if not loop.last }}
    {%- endfor %}
    {% if existing is not none -%}
    from {{ relation }}
    {%- else %}
    -- {{ relation }} does not exist (yet) in this warehouse: no rows
    where false
    {%- endif %}
{%- endmacro %}


{#
    The raw table of a staging view, by the kind of table dlt made of it. Each adds the
    bookkeeping columns dlt gives that kind of table, so a view lists only its own columns:

    select_root_source(table_name, columns): a root table (one row per API record or per
        pipeline row); adds `_dlt_load_id` (the load that wrote the row) and `_dlt_id`.
    select_record_source(table_name, columns): a root table of Trackstar records; adds the
        fields every record carries (`connection_id`, `id`, the four `*_date` timestamps,
        `trackstar_tags`, `additional_fields`) and the root table's dlt columns.
    select_child_source(table_name, columns): a dlt child table (a nested list of a record,
        `<root>__<field>`); adds `_dlt_root_id`, `_dlt_parent_id`, `_dlt_list_idx`, `_dlt_id`.
        A child row has no connection_id or load id of its own: join it to its root row with
        select_root_keys.
#}
{% macro select_root_source(table_name, columns) -%}
    {%- set all_columns = {} -%}
    {%- do all_columns.update(columns) -%}
    {%- do all_columns.update({'_dlt_load_id': 'varchar', '_dlt_id': 'varchar'}) -%}
    {{ select_source(table_name, all_columns) }}
{%- endmacro %}


{% macro select_record_source(table_name, columns) -%}
    {%- set all_columns = {
        'connection_id': 'varchar',
        'id': 'varchar',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz',
        'trackstar_created_date': 'timestamptz',
        'trackstar_updated_date': 'timestamptz',
        'trackstar_tags': 'json',
        'additional_fields': 'json',
    } -%}
    {%- do all_columns.update(columns) -%}
    {{ select_root_source(table_name, all_columns) }}
{%- endmacro %}


{% macro select_child_source(table_name, columns) -%}
    {%- set all_columns = {} -%}
    {%- do all_columns.update(columns) -%}
    {%- do all_columns.update({
        '_dlt_root_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        '_dlt_id': 'varchar',
    }) -%}
    {{ select_source(table_name, all_columns) }}
{%- endmacro %}


{#
    select_root_keys(root_table, id_column, key_column='id'): the body of a child view's `root`
    CTE, one row per row of the root table with `_dlt_id` (to join on the child's `_dlt_root_id`),
    `connection_id`, the record's `key_column` (its `id`; an order's packs are keyed by
    `order_id`) renamed to `id_column` (e.g. `order_id`) and `_dlt_load_id`.
#}
{% macro select_root_keys(root_table, id_column, key_column='id') -%}
    select
        _dlt_id,
        connection_id,
        {{ key_column }} as {{ id_column }},
        _dlt_load_id
    from ({{ select_root_source(root_table, {'connection_id': 'varchar', key_column: 'varchar'}) }}) as root_keys
{%- endmacro %}
