with

source as (

    {{ select_source('wms_products', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'sku': 'varchar',
        'name': 'varchar',
        'warehouse_customer_id': 'varchar',
        'gtin': 'varchar',
        'unit_price': 'decimal(38, 9)',
        'is_kit': 'boolean',
        'active': 'boolean',
        'supplier': 'varchar',
        'supplier_object__supplier_id': 'varchar',
        'supplier_object__supplier_name': 'varchar',
        'country_of_origin': 'varchar',
        'harmonized_code': 'varchar',
        'external_system_url': 'varchar',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz',
        'trackstar_created_date': 'timestamptz',
        'trackstar_updated_date': 'timestamptz',
        'trackstar_tags': 'json',
        'additional_fields': 'json',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar',
    }) }}

),

renamed as (

    select
        connection_id,
        id as product_id,
        sku,
        name as product_name,
        warehouse_customer_id,
        gtin,
        unit_price,
        is_kit,
        active as is_active,
        supplier,
        supplier_object__supplier_id as supplier_id,
        supplier_object__supplier_name as supplier_name,
        country_of_origin,
        harmonized_code,
        external_system_url,
        created_date as created_at,
        updated_date as updated_at,
        trackstar_created_date as trackstar_created_at,
        trackstar_updated_date as trackstar_updated_at,
        trackstar_tags,
        additional_fields,
        _dlt_load_id,
        _dlt_id

    from source

)

select * from renamed
