{%- set wms_statuses = [
    'open', 'confirmed', 'processing', 'picked', 'packed', 'partially_fulfilled',
    'fulfilled', 'backordered', 'exception', 'cancelled', 'other',
] -%}

{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key=['source', 'connection_id', 'order_id'],
        on_schema_change='fail',
    )
}}

-- One row per WMS or cart order: where it is now, when each status was first observed (from
-- fct_order_status_transitions), when it shipped, what the carrier charged for it and what
-- the customer paid for shipping.
--
-- Incremental: orders whose record changed, whose status history grew, or whose carrier
-- costs changed since the last build are recomputed (merge on the order).

with

orders as (

    select * from {{ ref('int_orders') }}

),

transitions as (

    select * from {{ ref('fct_order_status_transitions') }}

),

shipments as (

    select * from {{ ref('int_order_shipments') }}

),

shipment_costs as (

    select * from {{ ref('fct_shipment_costs') }}

),

{% if is_incremental() %}

touched_orders as (

    select source, connection_id, order_id
    from orders
    where _dlt_load_id > {{ load_watermark() }}

    union

    select source, connection_id, order_id
    from transitions
    where last_load_id > {{ load_watermark() }}

    union

    select order_source as source, connection_id, order_id
    from shipment_costs
    where last_load_id > {{ load_watermark() }}
        and is_matched

),

{% endif %}

orders_in_scope as (

    select orders.*
    from orders
    {% if is_incremental() %}
        inner join touched_orders
            on orders.source = touched_orders.source
            and orders.connection_id = touched_orders.connection_id
            and orders.order_id = touched_orders.order_id
    {% endif %}

),

first_observed as (

    select
        source,
        connection_id,
        order_id,
        {% for status in wms_statuses %}
        min(observed_at) filter (where to_status = '{{ status }}') as first_{{ status }}_at,
        {% endfor %}
        count(*) as status_change_count,
        max(last_load_id) as last_load_id

    from transitions
    group by source, connection_id, order_id

),

order_costs as (

    select
        order_source as source,
        connection_id,
        order_id,
        sum(net_cost) as shipping_cost,
        sum(gross_cost) as shipping_gross_cost,
        count(*) as billed_tracking_number_count,
        max(last_load_id) as last_load_id

    from shipment_costs
    where is_matched
    group by order_source, connection_id, order_id

),

joined as (

    select
        orders_in_scope.*,
        {% for status in wms_statuses %}
        first_observed.first_{{ status }}_at,
        {% endfor %}
        coalesce(first_observed.status_change_count, 0) as status_change_count,
        shipments.first_shipped_at,
        coalesce(shipments.shipment_count, 0) as shipment_count,
        coalesce(shipments.package_count, 0) as package_count,
        order_costs.shipping_cost,
        order_costs.shipping_gross_cost,
        coalesce(order_costs.billed_tracking_number_count, 0) as billed_tracking_number_count,
        greatest(
            orders_in_scope._dlt_load_id,
            first_observed.last_load_id,
            order_costs.last_load_id
        ) as last_load_id

    from orders_in_scope
    left join first_observed
        on orders_in_scope.source = first_observed.source
        and orders_in_scope.connection_id = first_observed.connection_id
        and orders_in_scope.order_id = first_observed.order_id
    left join shipments
        on orders_in_scope.source = shipments.source
        and orders_in_scope.connection_id = shipments.connection_id
        and orders_in_scope.order_id = shipments.order_id
    left join order_costs
        on orders_in_scope.source = order_costs.source
        and orders_in_scope.connection_id = order_costs.connection_id
        and orders_in_scope.order_id = order_costs.order_id

),

final as (

    select
        source,
        connection_id,
        order_id,
        order_number,
        customer_id,
        warehouse_id,
        channel,
        created_at,
        updated_at,
        trackstar_updated_at,
        status as current_status,
        raw_status as current_raw_status,
        {% for status in wms_statuses %}
        first_{{ status }}_at,
        {% endfor %}
        status_change_count,
        first_shipped_at,
        {{ hours_between('created_at', 'first_shipped_at') }} as hours_to_ship,
        required_ship_at,
        case
            when required_ship_at is null or first_shipped_at is null then null
            else first_shipped_at <= required_ship_at
        end as met_required_ship_date,
        status = 'cancelled' as is_cancelled,
        first_shipped_at is not null as is_shipped,
        shipment_count,
        package_count,
        cast(shipping_cost as decimal(18, 2)) as shipping_cost,
        cast(shipping_gross_cost as decimal(18, 2)) as shipping_gross_cost,
        billed_tracking_number_count,
        cast(total_shipping as decimal(18, 2)) as total_shipping,
        cast(total_shipping - shipping_cost as decimal(18, 2)) as shipping_margin,
        cast(total_price as decimal(18, 2)) as total_price,
        currency_code,
        last_load_id

    from joined

)

select * from final
