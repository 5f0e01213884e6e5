-- fct_inventory_snapshots has a row for every day of every item and warehouse, from the day the
-- item was first seen to the latest day loaded for its connection: no gaps, and every series
-- of a connection ends on the same day.

with

series as (

    select
        connection_id,
        inventory_item_id,
        warehouse_id,
        min(snapshot_date) as first_day,
        max(snapshot_date) as last_day,
        count(*) as days

    from {{ ref('fct_inventory_snapshots') }}
    group by connection_id, inventory_item_id, warehouse_id

),

connection_last_days as (

    select connection_id, max(last_day) as last_day
    from series
    group by connection_id

)

select series.*
from series
inner join connection_last_days
    on series.connection_id = connection_last_days.connection_id
where series.days != date_diff('day', series.first_day, series.last_day) + 1
    or series.last_day != connection_last_days.last_day
