-- WMS and cart orders in one shape: one row per source x connection x order (latest version)
with wms as (
    select * from {{ ref('stg_trackstar__wms_orders') }}
),

cart as (
    select * from {{ ref('stg_trackstar__cart_orders') }}
),

unioned as (
    select
        'wms' as source,
        connection_id,
        order_id,
        order_number,
        created_at,
        updated_at,
        trackstar_updated_at,
        status,
        raw_status,
        required_ship_date,
        total_shipping,
        invoice_currency_code as currency_code,
        carrier_id,
        carrier_name,
        shipping_method_id,
        shipping_method_name,
        _dlt_load_id
    from wms
    union all
    select
        'cart' as source,
        connection_id,
        order_id,
        order_number,
        created_at,
        updated_at,
        trackstar_updated_at,
        status,
        raw_status,
        -- a cart order's latest promised ship date is its required one
        latest_ship_date as required_ship_date,
        total_shipping,
        invoice_currency_code as currency_code,
        carrier_id,
        carrier_name,
        shipping_method_id,
        shipping_method_name,
        _dlt_load_id
    from cart
),

final as (
    select * from unioned
)

select * from final
