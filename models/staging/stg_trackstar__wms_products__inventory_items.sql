with

source as (

    {{ select_source('wms_products__inventory_items', {
        '_dlt_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_root_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        'inventory_item_id': 'varchar',
        'sku': 'varchar',
        'unit_quantity': 'bigint',
    }) }}

),

products as (

    {{ select_root_keys('wms_products') }}

),

renamed as (

    select
        products.connection_id,
        products.id as product_id,
        source.inventory_item_id,
        source.sku,
        source.unit_quantity,
        source._dlt_id,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_list_idx,
        products._dlt_load_id

    from source
    inner join products on source._dlt_root_id = products._dlt_id

)

select * from renamed
