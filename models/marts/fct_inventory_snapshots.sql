{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='snapshot_date',
        on_schema_change='fail',
        post_hook="{{ record_watermark() }}",
    )
}}
-- one row per snapshot_date x connection x inventory item x warehouse: the level in effect at
-- the end of that (UTC) day, i.e. the last history version with trackstar_updated_date before
-- the next day, carried forward over days without a version or without a run, from the day the
-- item was first seen up to the latest day loaded.
--
-- An item, or a warehouse, that Trackstar no longer lists (deleted_records) has no rows from the
-- UTC day the listing missed it, until the day it is listed again.
--
-- Incremental: days from the earliest day touched by history rows loaded since the last build,
-- or by deletions marked since (the watermark), or the day after the last snapshot, whichever
-- is earliest, are recomputed, seeded with the existing snapshot of the day before (and, for
-- items gone that day, their last version from the history, so one that comes back in the
-- window carries its levels forward again); delete+insert on snapshot_date replaces those days.
{% set quantities = var('inventory_quantities') %}
{%- set watermark = incremental_watermark() %}
with history as (
    select
        connection_id,
        inventory_item_id,
        warehouse_id,
        sku,
        {%- for quantity in quantities %}
            {{ quantity }},
        {%- endfor %}
        trackstar_updated_at,
        observed_at,
        _dlt_load_id,
        {{ utc_date('trackstar_updated_at') }} as valid_date
    from {{ ref('stg_trackstar__wms_inventory_history') }}
),

deletion_events as (
    select
        connection_id,
        resource,
        record_key,
        is_deleted,
        observed_at,
        run_id,
        _dlt_load_id,
        {{ utc_date('observed_at') }} as event_date
    from {{ ref('stg_trackstar__deleted_records') }}
    where resource in ('wms_inventory', 'wms_warehouses')
),

deleted_spans as (
    -- the days an item (or every item of a warehouse) is gone: from the day a listing missed
    -- it up to the day it was listed again (on that day it is back)
    select * from (
        select
            connection_id,
            resource,
            record_key,
            is_deleted,
            event_date as deleted_from,
            lead(event_date) over (
                partition by connection_id, resource, record_key order by observed_at, run_id
            ) as deleted_until
        from deletion_events
    ) as spans
    where is_deleted
),

bounds as (
    select
        {{ utc_date('max(greatest(trackstar_updated_at, coalesce(observed_at, trackstar_updated_at)))') }} as last_day
    from history
),

{% if is_incremental() %}
    previous as (
        select
            max(snapshot_date) as last_snapshot_date,
            max(last_load_id) as last_load_id
        from {{ this }}
    ),

    window_start as (
        select
            least(
                (
                    select min(valid_date)
                    from history
                    where _dlt_load_id > coalesce((select last_load_id from previous), '')
                ),
                (select last_snapshot_date + 1 from previous),
                (
                    select min(event_date)
                    from deletion_events
                    where _dlt_load_id > '{{ watermark or "" }}'
                )
            ) as from_date
    ),

    seed as (
    -- the state carried into the window: the existing snapshot of the day before
        select
            this.connection_id,
            this.inventory_item_id,
            this.warehouse_id,
            this.sku,
            {%- for quantity in quantities %}
                this.{{ quantity }},
            {%- endfor %}
            this.valid_from,
            this.last_load_id,
            this.snapshot_date as valid_date
        from {{ this }} as this
        where this.snapshot_date = (select from_date - 1 from window_start)
        union all by name
        -- items gone the day before the window (no row there), in case they come back in it:
        -- their last version before the window, with the newest load among their versions
        select
            history.connection_id,
            history.inventory_item_id,
            history.warehouse_id,
            history.sku,
            {%- for quantity in quantities %}
                history.{{ quantity }},
            {%- endfor %}
            history.trackstar_updated_at as valid_from,
            max(history._dlt_load_id) over (
                partition by history.connection_id, history.inventory_item_id, history.warehouse_id
            ) as last_load_id,
            history.valid_date
        from history
        where
            history.valid_date < (select from_date from window_start)
            and exists (
                select 1
                from deleted_spans
                where
                    {{ inventory_deletion_matches('deleted_spans', 'history') }}
            )
            and not exists (
                select 1
                from {{ this }} as this
                where
                    this.snapshot_date = (select from_date - 1 from window_start)
                    and this.connection_id = history.connection_id
                    and this.inventory_item_id = history.inventory_item_id
                    and this.warehouse_id = history.warehouse_id
            )
        qualify row_number() over (
            partition by history.connection_id, history.inventory_item_id, history.warehouse_id
            order by history.trackstar_updated_at desc
        ) = 1
    ),
{% else %}
window_start as (
    select min(valid_date) as from_date from history
),

seed as (
    select
        connection_id, inventory_item_id, warehouse_id, sku, {{ quantities | join(', ') }},
        trackstar_updated_at as valid_from,
        _dlt_load_id as last_load_id,
        valid_date
    from history
    where false
),
{% endif %}

day_end_versions as (
    -- the last version of each day, for the days in the window
    select
        connection_id,
        inventory_item_id,
        warehouse_id,
        sku,
        {%- for quantity in quantities %}
            {{ quantity }},
        {%- endfor %}
        trackstar_updated_at as valid_from,
        -- the newest load among the day's versions (the row's bookkeeping, carried below)
        max(_dlt_load_id) over (
            partition by connection_id, inventory_item_id, warehouse_id, valid_date
        ) as last_load_id,
        valid_date
    from history
    where valid_date >= (select from_date from window_start)
    qualify row_number() over (
        partition by connection_id, inventory_item_id, warehouse_id, valid_date
        order by trackstar_updated_at desc
    ) = 1
),

unioned_states as (
    select * from seed
    union all by name
    select * from day_end_versions
),

states as (
    -- last_load_id of a state: the newest load among the item's versions up to that day, so a
    -- row's bookkeeping is the same whether it was built incrementally or by a full refresh
    select
        connection_id,
        inventory_item_id,
        warehouse_id,
        sku,
        {%- for quantity in quantities %}
            {{ quantity }},
        {%- endfor %}
        valid_from,
        valid_date,
        max(last_load_id) over (
            partition by connection_id, inventory_item_id, warehouse_id
            order by valid_date
            rows between unbounded preceding and current row
        ) as last_load_id
    from unioned_states
),

items as (
    select
        connection_id,
        inventory_item_id,
        warehouse_id,
        greatest(min(valid_date), (select from_date from window_start)) as first_day
    from states
    group by connection_id, inventory_item_id, warehouse_id
),

spine as (
    select
        items.connection_id,
        items.inventory_item_id,
        items.warehouse_id,
        cast(day.snapshot_ts as date) as snapshot_date
    from items
    cross join bounds
    cross join lateral (
        select unnest(generate_series(
            cast(items.first_day as timestamp), cast(bounds.last_day as timestamp), interval 1 day
        )) as snapshot_ts
    ) as day
),

filled as (
    {{ forward_fill('spine', 'states') }}
),

final as (
    select
        filled.snapshot_date,
        filled.connection_id,
        filled.inventory_item_id,
        filled.warehouse_id,
        filled.sku,
        {%- for quantity in quantities %}
            cast(filled.{{ quantity }} as bigint) as {{ quantity }},
        {%- endfor %}
        filled.valid_from,
        filled.last_load_id
    from filled
    where not exists (
        select 1
        from deleted_spans
        where
            {{ inventory_deletion_matches('deleted_spans', 'filled') }}
            and filled.snapshot_date >= deleted_spans.deleted_from
            and (deleted_spans.deleted_until is null or filled.snapshot_date < deleted_spans.deleted_until)
    )
)

select * from final
