-- One row per product of a WMS or cart connection. WMS products list the inventory items they
-- are made of; cart products are parents and their variants (a parent has
-- parent_product_id = its own id; price and inventory live on the variants).

with

wms_products as (

    select * from {{ ref('stg_trackstar__wms_products') }}

),

wms_product_items as (

    select * from {{ ref('stg_trackstar__wms_products__inventory_items') }}

),

cart_products as (

    select * from {{ ref('stg_trackstar__cart_products') }}

),

cart_inventory as (

    select * from {{ ref('stg_trackstar__cart_products__inventory_by_warehouse') }}

),

connections as (

    select * from {{ ref('stg_trackstar__connections') }}

),

wms_items_per_product as (

    select
        connection_id,
        product_id,
        count(*) as inventory_item_count,
        string_agg(
            inventory_item_id || coalesce(' x' || unit_quantity, ''), ', '
            order by inventory_item_id
        ) as inventory_items

    from wms_product_items
    group by connection_id, product_id

),

cart_quantities as (

    select connection_id, product_id, cast(sum(quantity) as bigint) as inventory_quantity
    from cart_inventory
    group by connection_id, product_id

),

cart_variant_counts as (

    select connection_id, parent_product_id, count(*) as variant_count
    from cart_products
    where parent_product_id is distinct from product_id
    group by connection_id, parent_product_id

),

wms as (

    select
        'wms' as source,
        wms_products.connection_id,
        wms_products.product_id,
        wms_products.sku,
        wms_products.product_name,
        cast(null as varchar) as parent_product_id,
        cast(null as varchar) as parent_product_name,
        false as is_parent,
        false as is_variant,
        0 as variant_count,
        wms_products.gtin,
        cast(wms_products.unit_price as decimal(18, 2)) as price,
        wms_products.is_kit,
        wms_products.is_active,
        coalesce(wms_items_per_product.inventory_item_count, 0) as inventory_item_count,
        wms_items_per_product.inventory_items,
        cast(null as bigint) as inventory_quantity,
        wms_products.created_at,
        wms_products.trackstar_updated_at

    from wms_products
    left join wms_items_per_product
        on wms_products.connection_id = wms_items_per_product.connection_id
        and wms_products.product_id = wms_items_per_product.product_id

),

cart as (

    select
        'cart' as source,
        cart_products.connection_id,
        cart_products.product_id,
        cart_products.sku,
        cart_products.product_name,
        cart_products.parent_product_id,
        parents.product_name as parent_product_name,
        cart_products.parent_product_id = cart_products.product_id as is_parent,
        cart_products.parent_product_id is not null
        and cart_products.parent_product_id != cart_products.product_id as is_variant,
        coalesce(cart_variant_counts.variant_count, 0) as variant_count,
        cart_products.gtin,
        cast(cart_products.price as decimal(18, 2)) as price,
        cart_products.is_kit,
        cart_products.is_active,
        0 as inventory_item_count,
        cast(null as varchar) as inventory_items,
        coalesce(cart_quantities.inventory_quantity, cart_products.inventory_quantity)
            as inventory_quantity,
        cart_products.created_at,
        cart_products.trackstar_updated_at

    from cart_products
    left join cart_products as parents
        on cart_products.connection_id = parents.connection_id
        and cart_products.parent_product_id = parents.product_id
    left join cart_quantities
        on cart_products.connection_id = cart_quantities.connection_id
        and cart_products.product_id = cart_quantities.product_id
    left join cart_variant_counts
        on cart_products.connection_id = cart_variant_counts.connection_id
        and cart_products.product_id = cart_variant_counts.parent_product_id

),

unioned as (

    select * from wms
    union all
    select * from cart

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
