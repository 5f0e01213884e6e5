-- Every tracking number an order shipped with: WMS packages and cart shipments, one row per
-- order and tracking number, with the customer that owns the order's connection. This is
-- what carrier charges are matched against.

with

wms_packages as (

    select * from {{ ref('stg_trackstar__wms_orders__shipments__packages') }}

),

cart_shipments as (

    select * from {{ ref('stg_trackstar__cart_orders__shipments') }}

),

connections as (

    select * from {{ ref('stg_trackstar__connections') }}

),

shipped as (

    select
        'wms' as source,
        connection_id,
        order_id,
        shipment_id,
        package_id,
        tracking_number,
        carrier_name,
        shipped_at,
        _dlt_load_id

    from wms_packages

    union all

    select
        'cart' as source,
        connection_id,
        order_id,
        shipment_id,
        cast(null as varchar) as package_id,
        tracking_number,
        carrier_name,
        coalesce(shipped_at, created_at) as shipped_at,
        _dlt_load_id

    from cart_shipments

),

cleaned as (

    select
        source,
        connection_id,
        order_id,
        trim(tracking_number) as tracking_number,
        min(shipped_at) as shipped_at,
        count(*) as package_count,
        min(carrier_name) as carrier_name,
        max(_dlt_load_id) as _dlt_load_id

    from shipped
    where nullif(trim(tracking_number), '') is not null
    group by source, connection_id, order_id, trim(tracking_number)

),

final as (

    select
        cleaned.*,
        connections.customer_id

    from cleaned
    left join connections
        on cleaned.connection_id = connections.connection_id

)

select * from final
