-- Carrier cost per customer and day, split into matched (attributable to an order) and unmatched.
select
    connections.customer_id,
    cast(timezone('UTC', costs.first_transaction_date) as date) as transaction_day,
    sum(case when costs.is_matched then costs.net_cost else 0 end) as matched_net_cost,
    sum(case when not costs.is_matched then costs.net_cost else 0 end) as unmatched_net_cost,
    count(*) as tracking_numbers
from {{ ref('fct_shipment_costs') }} as costs
left join {{ ref('dim_connections') }} as connections
    on costs.connection_id = connections.connection_id
group by all
order by 1, 2
