{#
    Column lists that close or open the `renamed` CTE of many staging views, so each rule is
    written once. They read from the CTEs every staging view names the same way: `source` (the
    raw table) and, in a child view, `root` (select_root_keys).
#}

{#
    trackstar_timestamps(): Trackstar's four timestamps of a record, `*_date` renamed `*_at`:
    when the source system created and last updated it, and when Trackstar did.
#}
{% macro trackstar_timestamps() -%}
    source.created_date as created_at,
        source.updated_date as updated_at,
        source.trackstar_created_date as trackstar_created_at,
        source.trackstar_updated_date as trackstar_updated_at
{%- endmacro %}


{#
    trackstar_record_metadata(): what Trackstar adds to every record after its id: the four
    timestamps, `trackstar_tags` and `additional_fields` (source-system fields Trackstar does
    not map). Goes with select_record_source.
#}
{% macro trackstar_record_metadata() -%}
    {{ trackstar_timestamps() }},
        source.trackstar_tags,
        source.additional_fields
{%- endmacro %}


{#
    dlt_columns(): the last columns of a view of a dlt root table: the load that wrote the row
    and the row's dlt id. Goes with select_root_source / select_record_source.
#}
{% macro dlt_columns() -%}
    source._dlt_load_id,
        source._dlt_id
{%- endmacro %}


{#
    dlt_child_columns(): the last columns of a view of a dlt child table: the root row's load
    (a child row is written by the load of its root row), the row's position in its parent's
    list, and its dlt ids. Goes with select_child_source and select_root_keys.
#}
{% macro dlt_child_columns() -%}
    root._dlt_load_id,
        source._dlt_list_idx,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_id
{%- endmacro %}
