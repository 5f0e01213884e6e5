-- one row per product: WMS products (with the inventory items they consist of) and cart
-- products (variants with their parent; a row whose parent_product_id is its own id is a parent)
with wms_products as (
    select * from {{ ref('stg_trackstar__wms_products') }}
),

wms_inventory_items as (
    select * from {{ ref('stg_trackstar__wms_products__inventory_items') }}
),

cart_products as (
    select * from {{ ref('stg_trackstar__cart_products') }}
),

wms_items_per_product as (
    select
        connection_id,
        product_id,
        string_agg(inventory_item_id, ',' order by inventory_item_id) as inventory_item_ids,
        count(*) as inventory_item_count
    from wms_inventory_items
    group by connection_id, product_id
),

wms as (
    select
        'wms' as source,
        wms_products.connection_id,
        wms_products.product_id,
        wms_products.sku,
        wms_products.name,
        wms_products.unit_price as price,
        wms_products.is_kit,
        wms_products.active,
        cast(null as varchar) as parent_product_id,
        cast(null as varchar) as parent_name,
        cast(null as boolean) as is_parent,
        wms_items_per_product.inventory_item_ids,
        cast(coalesce(wms_items_per_product.inventory_item_count, 0) as bigint) as inventory_item_count,
        wms_products.trackstar_updated_at,
        wms_products.is_deleted,
        wms_products.deleted_at
    from wms_products
    left join wms_items_per_product
        on
            wms_products.connection_id = wms_items_per_product.connection_id
            and wms_products.product_id = wms_items_per_product.product_id
),

cart as (
    select
        'cart' as source,
        variants.connection_id,
        variants.product_id,
        variants.sku,
        variants.name,
        variants.price,
        variants.is_kit,
        variants.active,
        variants.parent_product_id,
        parents.name as parent_name,
        coalesce(variants.parent_product_id = variants.product_id, false) as is_parent,
        cast(null as varchar) as inventory_item_ids,
        cast(0 as bigint) as inventory_item_count,
        variants.trackstar_updated_at,
        variants.is_deleted,
        variants.deleted_at
    from cart_products as variants
    left join cart_products as parents
        on
            variants.connection_id = parents.connection_id
            and variants.parent_product_id = parents.product_id
),

final as (
    select * from wms
    union all
    select * from cart
)

select * from final
