-- tracking numbers of orders (WMS packages, cart shipments; one row per package or shipment
-- with a tracking number, so an order may repeat a tracking number) with the customer of the
-- order's connection: what carrier charges are matched against. _dlt_load_id is the load of the order's
-- root row (a reloaded order replaces its packages and shipments)
with packages as (
    select * from {{ ref('stg_trackstar__wms_orders__shipments__packages') }}
),

cart_shipments as (
    select * from {{ ref('stg_trackstar__cart_orders__shipments') }}
),

connections as (
    select
        connection_id,
        customer_id
    from {{ ref('stg_trackstar__connections') }}
),

unioned as (
    select
        'wms' as source,
        connection_id,
        order_id,
        tracking_number,
        _dlt_load_id
    from packages
    where tracking_number is not null
    union all
    select
        'cart' as source,
        connection_id,
        order_id,
        tracking_number,
        _dlt_load_id
    from cart_shipments
    where tracking_number is not null
),

final as (
    select
        unioned.source,
        unioned.connection_id,
        unioned.order_id,
        unioned.tracking_number,
        connections.customer_id,
        unioned._dlt_load_id
    from unioned
    left join connections on unioned.connection_id = connections.connection_id
)

select * from final
