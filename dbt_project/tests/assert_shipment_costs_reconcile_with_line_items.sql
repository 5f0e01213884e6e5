-- Every cent of every carrier charge with a tracking number is in fct_shipment_costs, once:
-- per carrier connection, the mart's totals equal the charges' totals (exact decimals). The
-- charges are those of int_trackstar__carrier_invoice_line_items, the incremental copy of the
-- staging line items the mart is built from; that copy must hold every staging line item
-- (counts per connection, always) with the same costs (sums over staging: on a full refresh,
-- or with the var data_tests_full_scan, as the staging costs are recast on every scan).
{%- set full_scan = data_tests_full_scan() %}
with charges as (
    select
        connection_id,
        sum(net_cost) filter (where tracking_number is not null) as net_cost,
        count(*) filter (where tracking_number is not null) as charge_count,
        count(*) as line_items
    from {{ ref('int_trackstar__carrier_invoice_line_items') }}
    group by connection_id
),

staging as (
    select
        connection_id,
        {% if full_scan -%}
            sum(cast(net_cost as decimal(18, 2))) filter (where tracking_number is not null) as net_cost,
        {%- else -%}
            cast(null as decimal(38, 2)) as net_cost,
        {%- endif %}
        count(*) as line_items
    from {{ ref('stg_trackstar__carrier_invoice_line_items') }}
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
    coalesce(charges.connection_id, staging.connection_id, mart.connection_id) as connection_id,
    charges.net_cost as charge_net_cost,
    mart.net_cost as mart_net_cost,
    staging.net_cost as staging_net_cost,
    charges.charge_count as charges,
    mart.charge_count as mart_charges,
    charges.line_items,
    staging.line_items as staging_line_items
from charges
full outer join staging on charges.connection_id = staging.connection_id
full outer join mart on coalesce(charges.connection_id, staging.connection_id) = mart.connection_id
where
    coalesce(charges.net_cost, 0) is distinct from coalesce(mart.net_cost, 0)
    or coalesce(charges.charge_count, 0) is distinct from coalesce(mart.charge_count, 0)
    or charges.line_items is distinct from staging.line_items
    -- staging costs: compared on a full scan only (null otherwise)
    or coalesce(charges.net_cost, 0) is distinct from coalesce(staging.net_cost, charges.net_cost, 0)
