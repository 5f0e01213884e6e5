{#
    current_deletions(resources, events=none): the keys of `resources` (raw table names, or
    `connections`; a name or a list) that Trackstar no longer has: one row per connection_id x
    resource x record_key whose latest event in deleted_records is `deleted`, with `deleted_at`
    (when the complete listing that missed it was read). A key that came back (`restored`) is
    not here. `events` is the relation of the events (e.g. ref('stg_trackstar__deleted_records'));
    none reads the raw table (staging views, which left join it on their record key).
    `record_key` is the primary key without connection_id, parts joined by `|` (a location:
    `warehouse_id|id`).
#}
{% macro current_deletions(resources, events=none) -%}
    {%- set names = [resources] if resources is string else resources -%}
    select
        connection_id,
        resource,
        record_key,
        observed_at as deleted_at
    from
    {%- if events is none %} ({{ deleted_records_source() }}) as events
    {%- else %} {{ events }} as events
    {%- endif %}
    where resource in ('{{ names | join("', '") }}')
    qualify
        row_number() over (
            partition by connection_id, resource, record_key order by observed_at desc, run_id desc
        ) = 1
        and event = 'deleted'
{%- endmacro %}


{#- the raw deleted_records table (written by pipelines/trackstar/deletions.py), typed -#}
{% macro deleted_records_source() -%}
    {{ select_root_source('deleted_records', {
        'run_id': 'varchar',
        'connection_id': 'varchar',
        'resource': 'varchar',
        'record_key': 'varchar',
        'event': 'varchar',
        'observed_at': 'timestamptz'
    }) }}
{%- endmacro %}


{#-
    inventory_deletion_matches(deletions, rows): the predicate that a deletion of
    `wms_inventory` (an item) or `wms_warehouses` (every item in it) covers an inventory row:
    `deletions` has connection_id, resource, record_key; `rows` connection_id,
    inventory_item_id, warehouse_id.
-#}
{% macro inventory_deletion_matches(deletions, rows) -%}
    {{ deletions }}.connection_id = {{ rows }}.connection_id
    and {{ deletions }}.record_key = case {{ deletions }}.resource
        when 'wms_inventory' then {{ rows }}.inventory_item_id else {{ rows }}.warehouse_id
    end
{%- endmacro %}
