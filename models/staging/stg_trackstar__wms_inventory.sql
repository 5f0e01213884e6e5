with

source as (

    {{ select_source('wms_inventory', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'sku': 'varchar',
        'name': 'varchar',
        'warehouse_customer_id': 'varchar',
        'unit_cost': 'decimal(38, 9)',
        'active': 'boolean',
        'onhand': 'bigint',
        'committed': 'bigint',
        'unfulfillable': 'bigint',
        'fulfillable': 'bigint',
        'unsellable': 'bigint',
        'sellable': 'bigint',
        'awaiting': 'bigint',
        'measurements__length': 'decimal(38, 9)',
        'measurements__width': 'decimal(38, 9)',
        'measurements__height': 'decimal(38, 9)',
        'measurements__unit': 'varchar',
        'measurements__weight': 'decimal(38, 9)',
        'measurements__weight_unit': 'varchar',
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
        id as inventory_item_id,
        sku,
        name as item_name,
        warehouse_customer_id,
        unit_cost,
        active as is_active,
        onhand,
        committed,
        unfulfillable,
        fulfillable,
        unsellable,
        sellable,
        awaiting,
        measurements__length as length,
        measurements__width as width,
        measurements__height as height,
        measurements__unit as dimension_unit,
        measurements__weight as weight,
        measurements__weight_unit as weight_unit,
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
