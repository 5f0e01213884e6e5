-- shipments of WMS and cart orders: one row per source x connection x order x shipment, with
-- when it shipped and how many cartons it holds. A WMS shipment ships on shipped_date with its
-- packages; Trackstar documents no ship date for a cart shipment: it is created when the order
-- ships (created_date), as one parcel with one tracking number.
with wms as (
    select * from {{ ref('stg_trackstar__wms_orders__shipments') }}
),

wms_packages as (
    select
        _dlt_parent_id,
        count(*) as package_count
    from {{ ref('stg_trackstar__wms_orders__shipments__packages') }}
    group by _dlt_parent_id
),

cart as (
    select * from {{ ref('stg_trackstar__cart_orders__shipments') }}
),

unioned as (
    select
        'wms' as source,
        wms.connection_id,
        wms.order_id,
        wms.shipment_id,
        wms.shipped_date,
        coalesce(wms_packages.package_count, 0) as package_count,
        wms._dlt_load_id,
        wms._dlt_id
    from wms
    left join wms_packages on wms._dlt_id = wms_packages._dlt_parent_id
    union all
    select
        'cart' as source,
        connection_id,
        order_id,
        shipment_id,
        created_at as shipped_date,
        cast(1 as bigint) as package_count,
        _dlt_load_id,
        _dlt_id
    from cart
),

final as (
    select * from unioned
)

select * from final
