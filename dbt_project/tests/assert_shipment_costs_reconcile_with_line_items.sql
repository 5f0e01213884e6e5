-- Every cent of every carrier charge with a tracking number is in fct_shipment_costs, once:
-- per carrier connection, the mart's totals equal the line items' totals.
with line_items as (
    select
        connection_id,
        sum(cast(net_cost as decimal(18, 2))) as net_cost,
        count(*) as charge_count
    from {{ ref('stg_trackstar__carrier_invoice_line_items') }}
    where tracking_number is not null
    group by connection_id
),

mart as (
    select
        connection_id,
        sum(net_cost) as net_cost,
        sum(charge_count) as charge_count
    from {{ ref('fct_shipment_costs') }}
    group by connection_id
)

select
    coalesce(line_items.connection_id, mart.connection_id) as connection_id,
    line_items.net_cost as line_item_net_cost,
    mart.net_cost as mart_net_cost,
    line_items.charge_count as line_item_charges,
    mart.charge_count as mart_charges
from line_items
full outer join mart on line_items.connection_id = mart.connection_id
where
    line_items.net_cost is distinct from mart.net_cost
    or line_items.charge_count is distinct from mart.charge_count
