-- every observed version of every order (WMS and cart): one row per source x connection x order x version
with wms as (
    select * from {{ ref('stg_trackstar__wms_order_status_history') }}
),

cart as (
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
    from wms
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
    from cart
),

final as (
    select * from unioned
)

select * from final
