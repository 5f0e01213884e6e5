-- Per order: how many shipments and packages it has and when it first shipped.

with

wms_shipments as (

    select * from {{ ref('stg_trackstar__wms_orders__shipments') }}

),

wms_packages as (

    select * from {{ ref('stg_trackstar__wms_orders__shipments__packages') }}

),

cart_shipments as (

    select * from {{ ref('stg_trackstar__cart_orders__shipments') }}

),

wms_package_counts as (

    select
        _dlt_parent_id as shipment_row_id,
        count(*) as package_count

    from wms_packages
    group by _dlt_parent_id

),

wms as (

    select
        'wms' as source,
        wms_shipments.connection_id,
        wms_shipments.order_id,
        count(*) as shipment_count,
        cast(coalesce(sum(wms_package_counts.package_count), 0) as bigint) as package_count,
        min(wms_shipments.shipped_at) as first_shipped_at,
        max(wms_shipments._dlt_load_id) as _dlt_load_id

    from wms_shipments
    left join wms_package_counts
        on wms_shipments._dlt_id = wms_package_counts.shipment_row_id
    group by wms_shipments.connection_id, wms_shipments.order_id

),

cart as (

    select
        'cart' as source,
        connection_id,
        order_id,
        count(*) as shipment_count,
        -- a cart shipment is one parcel with one tracking number
        count(*) as package_count,
        -- the Cart API documents a shipment's created_date; some integrations send shipped_date
        min(coalesce(shipped_at, created_at)) as first_shipped_at,
        max(_dlt_load_id) as _dlt_load_id

    from cart_shipments
    group by connection_id, order_id

),

final as (

    select * from wms
    union all
    select * from cart

)

select * from final
