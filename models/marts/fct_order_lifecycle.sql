-- one row per order (source x connection x order): its current state, when each status was
-- first observed (from fct_order_status_transitions), shipping, and carrier cost
{% set statuses = var('order_statuses') %}
with orders as (
    select * from {{ ref('int_trackstar__orders') }}
),

transitions as (
    select * from {{ ref('fct_order_status_transitions') }}
),

shipments as (
    select * from {{ ref('int_trackstar__order_shipments') }}
),

shipment_costs as (
    select * from {{ ref('fct_shipment_costs') }}
),

first_observed as (
    select
        {%- for status in statuses %}
            min(case when to_status = '{{ status }}' then observed_at end) as first_{{ status }}_at,
        {%- endfor %}
        source,
        connection_id,
        order_id
    from transitions
    group by source, connection_id, order_id
),

shipped as (
    select
        source,
        connection_id,
        order_id,
        count(*) as shipment_count,
        min(shipped_date) as first_shipped_at
    from shipments
    group by source, connection_id, order_id
),

costs as (
    select
        order_source as source,
        order_connection_id as connection_id,
        order_id,
        sum(net_cost) as shipping_cost
    from shipment_costs
    where is_matched
    group by order_source, order_connection_id, order_id
),

joined as (
    select
        orders.source,
        orders.connection_id,
        orders.order_id,
        orders.order_number,
        orders.created_at,
        orders.status as current_status,
        orders.raw_status,
        {%- for status in statuses %}
            first_observed.first_{{ status }}_at,
        {%- endfor %}
        shipped.first_shipped_at,
        orders.required_ship_date,
        coalesce(shipped.shipment_count, 0) as shipment_count,
        coalesce(costs.shipping_cost, 0) as shipping_cost,
        orders.total_shipping
    from orders
    left join first_observed
        on
            orders.source = first_observed.source
            and orders.connection_id = first_observed.connection_id
            and orders.order_id = first_observed.order_id
    left join shipped
        on
            orders.source = shipped.source
            and orders.connection_id = shipped.connection_id
            and orders.order_id = shipped.order_id
    left join costs
        on
            orders.source = costs.source
            and orders.connection_id = costs.connection_id
            and orders.order_id = costs.order_id
),

final as (
    select
        source,
        connection_id,
        order_id,
        order_number,
        created_at,
        current_status,
        raw_status,
        {%- for status in statuses %}
            first_{{ status }}_at,
        {%- endfor %}
        first_shipped_at,
        cast(round(date_diff('second', created_at, first_shipped_at) / 3600.0, 2) as decimal(18, 2)) as hours_to_ship,
        required_ship_date,
        case
            when required_ship_date is null or first_shipped_at is null then null
            else first_shipped_at <= required_ship_date
        end as met_required_ship_date,
        current_status = 'cancelled' as is_cancelled,
        cast(shipment_count as bigint) as shipment_count,
        cast(shipping_cost as decimal(18, 2)) as shipping_cost,
        cast(total_shipping as decimal(18, 2)) as total_shipping
    from joined
)

select * from final
