with

source as (

    {{ select_source('cart_orders__shipments__line_items', {
        '_dlt_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_root_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        'shipment_line_item_id': 'varchar',
        'product_id': 'varchar',
        'sku': 'varchar',
        'product_sku': 'varchar',
        'quantity': 'bigint',
    }) }}

),

orders as (

    {{ select_root_keys('cart_orders') }}

),

shipments as (

    {{ select_source('cart_orders__shipments', {
        '_dlt_id': 'varchar',
        'shipment_id': 'varchar',
    }) }}

),

renamed as (

    select
        orders.connection_id,
        orders.id as order_id,
        shipments.shipment_id,
        source.shipment_line_item_id,
        source.product_id,
        coalesce(source.product_sku, source.sku) as sku,
        source.quantity,
        source._dlt_id,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_list_idx,
        orders._dlt_load_id

    from source
    inner join orders on source._dlt_root_id = orders._dlt_id
    left join shipments on source._dlt_parent_id = shipments._dlt_id

)

select * from renamed
