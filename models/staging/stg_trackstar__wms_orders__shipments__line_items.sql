with

source as (

    {{ select_source('wms_orders__shipments__line_items', {
        '_dlt_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_root_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        'inventory_item_id': 'varchar',
        'sku': 'varchar',
        'quantity': 'bigint',
        'parent_product_id': 'varchar',
    }) }}

),

orders as (

    {{ select_root_keys('wms_orders') }}

),

shipments as (

    {{ select_source('wms_orders__shipments', {
        '_dlt_id': 'varchar',
        'shipment_id': 'varchar',
    }) }}

),

renamed as (

    select
        orders.connection_id,
        orders.id as order_id,
        shipments.shipment_id,
        source.inventory_item_id,
        source.sku,
        source.quantity,
        source.parent_product_id,
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
