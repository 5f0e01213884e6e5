with

source as (

    {{ select_source('wms_inbound_shipments', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'purchase_order_number': 'varchar',
        'warehouse_customer_id': 'varchar',
        'warehouse_id': 'varchar',
        'status': 'varchar',
        'raw_status': 'varchar',
        'supplier': 'varchar',
        'supplier_object__supplier_id': 'varchar',
        'supplier_object__supplier_name': 'varchar',
        'expected_arrival_date': 'timestamptz',
        'ship_from_address__city': 'varchar',
        'ship_from_address__state': 'varchar',
        'ship_from_address__postal_code': 'varchar',
        'ship_from_address__country': 'varchar',
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
        id as inbound_shipment_id,
        purchase_order_number,
        warehouse_customer_id,
        warehouse_id,
        status,
        raw_status,
        supplier,
        supplier_object__supplier_id as supplier_id,
        supplier_object__supplier_name as supplier_name,
        expected_arrival_date as expected_arrival_at,
        ship_from_address__city as ship_from_address_city,
        ship_from_address__state as ship_from_address_state,
        ship_from_address__postal_code as ship_from_address_postal_code,
        ship_from_address__country as ship_from_address_country,
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
