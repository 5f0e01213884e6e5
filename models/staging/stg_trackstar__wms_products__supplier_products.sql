with

source as (

    {{ select_source('wms_products__supplier_products', {
        '_dlt_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_root_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        'supplier_id': 'varchar',
        'supplier_name': 'varchar',
        'external_id': 'varchar',
        'unit_cost': 'decimal(38, 9)',
        'cost': 'decimal(38, 9)',
    }) }}

),

products as (

    {{ select_root_keys('wms_products') }}

),

renamed as (

    select
        products.connection_id,
        products.id as product_id,
        source.supplier_id,
        source.supplier_name,
        source.external_id,
        coalesce(source.unit_cost, source.cost) as unit_cost,
        source._dlt_id,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_list_idx,
        products._dlt_load_id

    from source
    inner join products on source._dlt_root_id = products._dlt_id

)

select * from renamed
