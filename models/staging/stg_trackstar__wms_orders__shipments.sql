with

source as (

    {{ select_source('wms_orders__shipments', {
        '_dlt_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_root_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        'shipment_id': 'varchar',
        'warehouse_id': 'varchar',
        'status': 'varchar',
        'raw_status': 'varchar',
        'shipping_method': 'varchar',
        'shipped_date': 'timestamptz',
        'ship_to_address__city': 'varchar',
        'ship_to_address__state': 'varchar',
        'ship_to_address__postal_code': 'varchar',
        'ship_to_address__country': 'varchar',
        'ship_from_address__city': 'varchar',
        'ship_from_address__state': 'varchar',
        'ship_from_address__postal_code': 'varchar',
        'ship_from_address__country': 'varchar',
    }) }}

),

orders as (

    {{ select_root_keys('wms_orders') }}

),

renamed as (

    select
        orders.connection_id,
        orders.id as order_id,
        source.shipment_id,
        source.warehouse_id,
        source.status,
        source.raw_status,
        source.shipping_method,
        source.shipped_date as shipped_at,
        source.ship_to_address__city as ship_to_address_city,
        source.ship_to_address__state as ship_to_address_state,
        source.ship_to_address__postal_code as ship_to_address_postal_code,
        source.ship_to_address__country as ship_to_address_country,
        source.ship_from_address__city as ship_from_address_city,
        source.ship_from_address__state as ship_from_address_state,
        source.ship_from_address__postal_code as ship_from_address_postal_code,
        source.ship_from_address__country as ship_from_address_country,
        source._dlt_id,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_list_idx,
        orders._dlt_load_id

    from source
    inner join orders on source._dlt_root_id = orders._dlt_id

)

select * from renamed
