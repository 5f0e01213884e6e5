-- Every status version the pipeline saw of every WMS and cart order, in one shape.

with

wms_history as (

    select * from {{ ref('stg_trackstar__wms_order_status_history') }}

),

cart_history as (

    select * from {{ ref('stg_trackstar__cart_order_status_history') }}

),

unioned as (

    select
        'wms' as source,
        connection_id,
        order_id,
        status,
        raw_status,
        updated_at,
        trackstar_updated_at,
        observed_at,
        _dlt_load_id

    from wms_history

    union all

    select
        'cart' as source,
        connection_id,
        order_id,
        status,
        raw_status,
        updated_at,
        trackstar_updated_at,
        observed_at,
        _dlt_load_id

    from cart_history

)

select * from unioned
