-- One row per warehouse of a WMS or cart connection.

with

wms_warehouses as (

    select * from {{ ref('stg_trackstar__wms_warehouses') }}

),

wms_locations as (

    select * from {{ ref('stg_trackstar__wms_warehouse_locations') }}

),

cart_warehouses as (

    select * from {{ ref('stg_trackstar__cart_warehouses') }}

),

connections as (

    select * from {{ ref('stg_trackstar__connections') }}

),

location_counts as (

    select connection_id, warehouse_id, count(*) as location_count
    from wms_locations
    group by connection_id, warehouse_id

),

unioned as (

    select
        'wms' as source,
        wms_warehouses.connection_id,
        wms_warehouses.warehouse_id,
        wms_warehouses.warehouse_name,
        wms_warehouses.warehouse_code,
        wms_warehouses.address_city as city,
        wms_warehouses.address_state as state,
        wms_warehouses.address_postal_code as postal_code,
        wms_warehouses.address_country as country,
        coalesce(location_counts.location_count, 0) as location_count,
        wms_warehouses.created_at,
        wms_warehouses.trackstar_updated_at

    from wms_warehouses
    left join location_counts
        on wms_warehouses.connection_id = location_counts.connection_id
        and wms_warehouses.warehouse_id = location_counts.warehouse_id

    union all

    select
        'cart' as source,
        connection_id,
        warehouse_id,
        warehouse_name,
        cast(null as varchar) as warehouse_code,
        cast(null as varchar) as city,
        cast(null as varchar) as state,
        cast(null as varchar) as postal_code,
        cast(null as varchar) as country,
        0 as location_count,
        created_at,
        trackstar_updated_at

    from cart_warehouses

),

final as (

    select
        unioned.*,
        connections.integration_name,
        connections.customer_id

    from unioned
    left join connections
        on unioned.connection_id = connections.connection_id

)

select * from final
