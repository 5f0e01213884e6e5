-- shipments of WMS and cart orders: one row per source x connection x order x shipment
with wms as (
    select * from {{ ref('stg_trackstar__wms_orders__shipments') }}
),

cart as (
    select * from {{ ref('stg_trackstar__cart_orders__shipments') }}
),

unioned as (
    select
        'wms' as source,
        connection_id,
        order_id,
        shipment_id,
        shipped_date,
        _dlt_load_id,
        _dlt_id
    from wms
    union all
    select
        'cart' as source,
        connection_id,
        order_id,
        shipment_id,
        shipped_date,
        _dlt_load_id,
        _dlt_id
    from cart
),

final as (
    select * from unioned
)

select * from final
