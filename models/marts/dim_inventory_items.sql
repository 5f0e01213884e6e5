-- One row per WMS inventory item (the stock-keeping unit the warehouse counts), with the
-- products it belongs to and its current totals over all warehouses.

with

inventory_items as (

    select * from {{ ref('stg_trackstar__wms_inventory') }}

),

product_items as (

    select * from {{ ref('stg_trackstar__wms_products__inventory_items') }}

),

by_warehouse as (

    select * from {{ ref('stg_trackstar__wms_inventory__inventory_by_warehouse') }}

),

connections as (

    select * from {{ ref('stg_trackstar__connections') }}

),

products_per_item as (

    select
        connection_id,
        inventory_item_id,
        min(product_id) as product_id,
        count(distinct product_id) as product_count,
        string_agg(distinct product_id, ', ' order by product_id) as product_ids

    from product_items
    group by connection_id, inventory_item_id

),

warehouses_per_item as (

    select connection_id, inventory_item_id, count(*) as warehouse_count
    from by_warehouse
    group by connection_id, inventory_item_id

),

final as (

    select
        inventory_items.connection_id,
        inventory_items.inventory_item_id,
        inventory_items.sku,
        inventory_items.item_name,
        inventory_items.warehouse_customer_id,
        connections.customer_id,
        products_per_item.product_id,
        coalesce(products_per_item.product_count, 0) as product_count,
        products_per_item.product_ids,
        cast(inventory_items.unit_cost as decimal(18, 2)) as unit_cost,
        inventory_items.is_active,
        coalesce(warehouses_per_item.warehouse_count, 0) as warehouse_count,
        inventory_items.onhand,
        inventory_items.fulfillable,
        inventory_items.committed,
        inventory_items.unfulfillable,
        inventory_items.awaiting,
        inventory_items.sellable,
        inventory_items.unsellable,
        inventory_items.created_at,
        inventory_items.trackstar_updated_at

    from inventory_items
    left join products_per_item
        on inventory_items.connection_id = products_per_item.connection_id
        and inventory_items.inventory_item_id = products_per_item.inventory_item_id
    left join warehouses_per_item
        on inventory_items.connection_id = warehouses_per_item.connection_id
        and inventory_items.inventory_item_id = warehouses_per_item.inventory_item_id
    left join connections
        on inventory_items.connection_id = connections.connection_id

)

select * from final
