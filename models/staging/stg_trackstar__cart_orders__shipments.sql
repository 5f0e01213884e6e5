with

source as (

    {{ select_source('cart_orders__shipments', {
        '_dlt_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_root_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        'shipment_id': 'varchar',
        'status': 'varchar',
        'raw_status': 'varchar',
        'warehouse_id': 'varchar',
        'tracking_number': 'varchar',
        'tracking_url': 'varchar',
        'carrier': 'varchar',
        'carrier_id': 'varchar',
        'carrier_name': 'varchar',
        'shipping_method_id': 'varchar',
        'shipping_method_name': 'varchar',
        'shipped_date': 'timestamptz',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz',
    }) }}

),

orders as (

    {{ select_root_keys('cart_orders') }}

),

renamed as (

    select
        orders.connection_id,
        orders.id as order_id,
        source.shipment_id,
        source.status,
        source.raw_status,
        source.warehouse_id,
        source.tracking_number,
        source.tracking_url,
        source.carrier_id,
        coalesce(source.carrier_name, source.carrier) as carrier_name,
        source.shipping_method_id,
        source.shipping_method_name,
        source.shipped_date as shipped_at,
        source.created_date as created_at,
        source.updated_date as updated_at,
        source._dlt_id,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_list_idx,
        orders._dlt_load_id

    from source
    inner join orders on source._dlt_root_id = orders._dlt_id

)

select * from renamed
