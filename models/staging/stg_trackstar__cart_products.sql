with

source as (

    {{ select_source('cart_products', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'parent_product_id': 'varchar',
        'sku': 'varchar',
        'name': 'varchar',
        'gtin': 'varchar',
        'price': 'decimal(38, 9)',
        'unit_cost': 'decimal(38, 9)',
        'inventory': 'bigint',
        'is_kit': 'boolean',
        'active': 'boolean',
        'image_url': 'varchar',
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
        parent_product_id,
        sku,
        name as product_name,
        gtin,
        price,
        unit_cost,
        inventory as inventory_quantity,
        is_kit,
        active as is_active,
        image_url,
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
