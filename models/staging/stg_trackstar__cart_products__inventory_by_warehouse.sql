with

source as (

    {{ select_source('cart_products__inventory_by_warehouse', {
        '_dlt_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_root_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        'warehouse_id': 'varchar',
        'quantity': 'bigint',
    }) }}

),

products as (

    {{ select_root_keys('cart_products') }}

),

renamed as (

    select
        products.connection_id,
        products.id as product_id,
        source.warehouse_id,
        source.quantity,
        source._dlt_id,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_list_idx,
        products._dlt_load_id

    from source
    inner join products on source._dlt_root_id = products._dlt_id

)

select * from renamed
