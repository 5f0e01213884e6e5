{%- set quantities = [
    'onhand', 'fulfillable', 'committed', 'unfulfillable', 'awaiting', 'sellable', 'unsellable',
] -%}

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['snapshot_date', 'connection_id', 'inventory_item_id', 'warehouse_id'],
        on_schema_change='fail',
    )
}}

-- Daily inventory per connection, inventory item and warehouse: the last level seen on or
-- before the end of each (UTC) day, from the inventory history every run keeps (a version is
-- valid from its trackstar_updated_date until the next version's). Levels are carried
-- forward over days without a run, from the day an item was first seen up to the latest day
-- loaded for its connection (the day of the connection's latest inventory extraction).
--
-- Incremental: history rows loaded since the last build (by _dlt_load_id) say which items
-- changed and from which day. Only those items are recomputed, from that day on, starting
-- from their existing snapshot row of the day before; every other item gets the new days
-- since the last build, carried forward from its last snapshot row. History older than the
-- earliest recomputed day is never scanned.

with

history as (

    select * from {{ ref('stg_trackstar__wms_inventory_history') }}

),

inventory_items as (

    select * from {{ ref('stg_trackstar__wms_inventory') }}

),

observations as (

    -- when each load observed the world (server time of its responses); every run writes
    -- history rows, and a run that wrote none is dated by the load before it
    select _dlt_load_id, max(observed_at) as observed_at
    from (
        select _dlt_load_id, observed_at from history
        union all
        select _dlt_load_id, observed_at from {{ ref('stg_trackstar__wms_order_status_history') }}
        union all
        select _dlt_load_id, observed_at from {{ ref('stg_trackstar__cart_order_status_history') }}
    )
    group by _dlt_load_id

),

last_inventory_loads as (

    -- the latest load that extracted each connection's inventory: a snapshot endpoint, so
    -- every run rewrites every inventory row with its load id
    select connection_id, max(_dlt_load_id) as _dlt_load_id
    from inventory_items
    group by connection_id

),

connection_end_dates as (

    select
        last_inventory_loads.connection_id,
        {{ utc_date('max(observations.observed_at)') }} as end_date

    from last_inventory_loads
    inner join observations
        on observations._dlt_load_id <= last_inventory_loads._dlt_load_id
    group by last_inventory_loads.connection_id

),

{% if is_incremental() %}

new_versions as (

    -- items with history rows loaded since the last build, and the first day they touch
    select
        connection_id,
        inventory_item_id,
        warehouse_id,
        min({{ utc_date('trackstar_updated_at') }}) as first_changed_date,
        max({{ utc_date('trackstar_updated_at') }}) as last_changed_date

    from history
    where _dlt_load_id > {{ load_watermark() }}
    group by connection_id, inventory_item_id, warehouse_id

),

previous_end_dates as (

    select connection_id, max(snapshot_date) as last_date
    from {{ this }}
    group by connection_id

),

known_items as (

    select {{ this }}.connection_id, inventory_item_id, warehouse_id
    from {{ this }}
    inner join previous_end_dates
        on {{ this }}.connection_id = previous_end_dates.connection_id
        and {{ this }}.snapshot_date = previous_end_dates.last_date

),

items_to_build as (

    select
        coalesce(known_items.connection_id, new_versions.connection_id) as connection_id,
        coalesce(known_items.inventory_item_id, new_versions.inventory_item_id)
            as inventory_item_id,
        coalesce(known_items.warehouse_id, new_versions.warehouse_id) as warehouse_id,
        -- a known item: from its first changed day, or else the day after the last build's
        -- last day; a new item: from its first version
        least(
            new_versions.first_changed_date,
            previous_end_dates.last_date + 1
        ) as start_date,
        new_versions.last_changed_date

    from known_items
    full outer join new_versions
        on known_items.connection_id = new_versions.connection_id
        and known_items.inventory_item_id = new_versions.inventory_item_id
        and known_items.warehouse_id = new_versions.warehouse_id
    left join previous_end_dates
        on coalesce(known_items.connection_id, new_versions.connection_id)
        = previous_end_dates.connection_id

),

starting_levels as (

    -- the existing snapshot row of the day before each item's start: what is carried forward
    select
        items_to_build.connection_id,
        items_to_build.inventory_item_id,
        items_to_build.warehouse_id,
        {{ this }}.sku,
        {% for quantity in quantities %}
        {{ this }}.{{ quantity }},
        {% endfor %}
        {{ this }}.level_updated_at

    from items_to_build
    inner join {{ this }}
        on items_to_build.connection_id = {{ this }}.connection_id
        and items_to_build.inventory_item_id = {{ this }}.inventory_item_id
        and items_to_build.warehouse_id = {{ this }}.warehouse_id
        and items_to_build.start_date - 1 = {{ this }}.snapshot_date

),

{% else %}

items_to_build as (

    select
        connection_id,
        inventory_item_id,
        warehouse_id,
        min({{ utc_date('trackstar_updated_at') }}) as start_date,
        max({{ utc_date('trackstar_updated_at') }}) as last_changed_date

    from history
    group by connection_id, inventory_item_id, warehouse_id

),

starting_levels as (

    select
        cast(null as varchar) as connection_id,
        cast(null as varchar) as inventory_item_id,
        cast(null as varchar) as warehouse_id,
        cast(null as varchar) as sku,
        {% for quantity in quantities %}
        cast(null as bigint) as {{ quantity }},
        {% endfor %}
        cast(null as timestamptz) as level_updated_at
    where false

),

{% endif %}

versions as (

    -- the versions that can be in effect on a day being built
    select history.*
    from history
    inner join items_to_build
        on history.connection_id = items_to_build.connection_id
        and history.inventory_item_id = items_to_build.inventory_item_id
        and history.warehouse_id = items_to_build.warehouse_id
        and history.trackstar_updated_at >= {{ utc_day_start('items_to_build.start_date') }}
    {% if is_incremental() %}
    where history.trackstar_updated_at >= (
        select {{ utc_day_start('min(start_date)') }} from items_to_build
    )
    {% endif %}

),

days as (

    select
        items_to_build.connection_id,
        items_to_build.inventory_item_id,
        items_to_build.warehouse_id,
        cast(unnest(generate_series(
            items_to_build.start_date,
            greatest(connection_end_dates.end_date, items_to_build.last_changed_date),
            interval 1 day
        )) as date) as snapshot_date

    from items_to_build
    inner join connection_end_dates
        on items_to_build.connection_id = connection_end_dates.connection_id

),

days_with_versions as (

    -- the newest version that started before the end of the day
    select
        days.*,
        versions.sku,
        {% for quantity in quantities %}
        versions.{{ quantity }},
        {% endfor %}
        versions.trackstar_updated_at

    from days
    asof left join versions
        on days.connection_id = versions.connection_id
        and days.inventory_item_id = versions.inventory_item_id
        and days.warehouse_id = versions.warehouse_id
        and {{ utc_day_start('days.snapshot_date + 1') }} > versions.trackstar_updated_at

),

levels as (

    -- before an item's first version in scope, its level is the one carried into the build
    select
        days_with_versions.snapshot_date,
        days_with_versions.connection_id,
        days_with_versions.inventory_item_id,
        days_with_versions.warehouse_id,
        coalesce(days_with_versions.sku, starting_levels.sku) as sku,
        {% for quantity in quantities %}
        case
            when days_with_versions.trackstar_updated_at is not null
                then days_with_versions.{{ quantity }}
            else starting_levels.{{ quantity }}
        end as {{ quantity }},
        {% endfor %}
        coalesce(days_with_versions.trackstar_updated_at, starting_levels.level_updated_at)
            as level_updated_at

    from days_with_versions
    left join starting_levels
        on days_with_versions.connection_id = starting_levels.connection_id
        and days_with_versions.inventory_item_id = starting_levels.inventory_item_id
        and days_with_versions.warehouse_id = starting_levels.warehouse_id

),

final as (

    select
        snapshot_date,
        connection_id,
        inventory_item_id,
        warehouse_id,
        sku,
        {% for quantity in quantities %}
        {{ quantity }},
        {% endfor %}
        level_updated_at,
        snapshot_date = {{ utc_date('level_updated_at') }} as level_changed_on_day,
        (select max(_dlt_load_id) from history) as last_load_id

    from levels
    -- a day before anything is known about the item (cannot happen: it starts at its first
    -- version or carries a level in) is left out rather than shown as nulls
    where level_updated_at is not null

)

select * from final
