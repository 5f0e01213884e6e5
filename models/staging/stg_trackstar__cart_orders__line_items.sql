with

source as (

    {{ select_source('cart_orders__line_items', {
        '_dlt_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_root_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        'line_item_id': 'varchar',
        'product_id': 'varchar',
        'sku': 'varchar',
        'product_sku': 'varchar',
        'parent_product_id': 'varchar',
        'quantity': 'bigint',
        'unit_price': 'decimal(38, 9)',
        'discount': 'decimal(38, 9)',
        'discount_amount': 'decimal(38, 9)',
        'tax': 'decimal(38, 9)',
        'warehouse_id': 'varchar',
    }) }}

),

orders as (

    {{ select_root_keys('cart_orders') }}

),

renamed as (

    select
        orders.connection_id,
        orders.id as order_id,
        source.line_item_id,
        source.product_id,
        coalesce(source.product_sku, source.sku) as sku,
        source.parent_product_id,
        source.quantity,
        source.unit_price,
        -- unit discount; `discount_amount` is the name some integrations use
        coalesce(source.discount, source.discount_amount) as discount,
        source.tax,
        source.warehouse_id,
        source._dlt_id,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_list_idx,
        orders._dlt_load_id

    from source
    inner join orders on source._dlt_root_id = orders._dlt_id

)

select * from renamed
