-- Carrier cost per customer and day, split into what is attributable to an order (matched) and
-- what is not (labels bought elsewhere, returns, re-bills). `dbt compile` renders it; run the
-- compiled SQL against the published file.

select
    costs.customer_id,
    cast(timezone('UTC', costs.first_transaction_date) as date) as transaction_day,
    sum(costs.net_cost) filter (where costs.is_matched) as matched_net_cost,
    sum(costs.net_cost) filter (where not costs.is_matched) as unmatched_net_cost,
    count(*) as tracking_numbers

from {{ ref('fct_shipment_costs') }} as costs
group by costs.customer_id, transaction_day
order by costs.customer_id, transaction_day
