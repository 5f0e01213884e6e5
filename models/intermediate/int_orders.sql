-- WMS and cart orders in one shape, with the customer that owns the connection.

with

wms_orders as (

    select * from {{ ref('stg_trackstar__wms_orders') }}

),

cart_orders as (

    select * from {{ ref('stg_trackstar__cart_orders') }}

),

connections as (

    select * from {{ ref('stg_trackstar__connections') }}

),

unioned as (

    select
        'wms' as source,
        connection_id,
        order_id,
        order_number,
        reference_id,
        status,
        raw_status,
        channel,
        warehouse_id,
        currency_code,
        total_price,
        total_tax,
        total_discount,
        total_shipping,
        -- the date the warehouse promised to ship by
        required_ship_at,
        created_at,
        updated_at,
        trackstar_updated_at,
        _dlt_load_id

    from wms_orders

    union all

    select
        'cart' as source,
        connection_id,
        order_id,
        order_number,
        reference_id,
        status,
        raw_status,
        channel,
        cast(null as varchar) as warehouse_id,
        currency_code,
        total_price,
        total_tax,
        total_discount,
        total_shipping,
        -- a cart order's promise is its latest ship date
        latest_ship_at as required_ship_at,
        created_at,
        updated_at,
        trackstar_updated_at,
        _dlt_load_id

    from cart_orders

),

final as (

    select
        unioned.*,
        connections.customer_id

    from unioned
    left join connections
        on unioned.connection_id = connections.connection_id

)

select * from final
