-- one row per warehouse: WMS warehouses and shopping-cart warehouses (locations); a warehouse
-- Trackstar no longer lists stays, flagged is_deleted
with wms as (
    select * from {{ ref('stg_trackstar__wms_warehouses') }}
),

cart as (
    select * from {{ ref('stg_trackstar__cart_warehouses') }}
),

unioned as (
    select
        'wms' as source,
        connection_id,
        warehouse_id,
        name,
        code,
        address__city as city,
        address__state as state,
        address__country as country,
        trackstar_updated_at,
        is_deleted,
        deleted_at
    from wms
    union all
    select
        'cart' as source,
        connection_id,
        warehouse_id,
        name,
        code,
        address__city as city,
        address__state as state,
        address__country as country,
        trackstar_updated_at,
        is_deleted,
        deleted_at
    from cart
),

final as (
    select * from unioned
)

select * from final
