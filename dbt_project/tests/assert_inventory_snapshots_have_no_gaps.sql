-- fct_inventory_snapshots has one row per day for every item and warehouse from the day it was
-- first seen to the latest day loaded: no gaps, and every series ends on the same last day.
-- Items and warehouses Trackstar stopped listing at some point (deleted_records) have no rows
-- while gone, so they are left out here.
with deletions as (
    select
        connection_id,
        resource,
        record_key
    from {{ ref('stg_trackstar__deleted_records') }}
    where resource in ('wms_inventory', 'wms_warehouses')
),

series as (
    select
        connection_id,
        inventory_item_id,
        warehouse_id,
        min(snapshot_date) as first_day,
        max(snapshot_date) as last_day,
        count(*) as days
    from {{ ref('fct_inventory_snapshots') }} as snapshots
    where
        not exists (
            select 1
            from deletions
            where
                {{ inventory_deletion_matches('deletions', 'snapshots') }}
        )
    group by connection_id, inventory_item_id, warehouse_id
)

select *
from series
where
    days <> date_diff('day', first_day, last_day) + 1
    or last_day <> (select max(snapshot_date) from {{ ref('fct_inventory_snapshots') }})
