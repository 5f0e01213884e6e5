with

source as (

    {{ select_source('wms_orders__shipments__packages', {
        '_dlt_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_root_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        'package_id': 'varchar',
        'package_name': 'varchar',
        'tracking_number': 'varchar',
        'tracking_url': 'varchar',
        'carrier_id': 'varchar',
        'carrier_name': 'varchar',
        'carrier': 'varchar',
        'scac': 'varchar',
        'shipping_method': 'varchar',
        'shipping_method_id': 'varchar',
        'shipping_method_name': 'varchar',
        'shipping_cost': 'decimal(38, 9)',
        'measurements__length': 'decimal(38, 9)',
        'measurements__width': 'decimal(38, 9)',
        'measurements__height': 'decimal(38, 9)',
        'measurements__unit': 'varchar',
        'measurements__weight': 'decimal(38, 9)',
        'measurements__weight_unit': 'varchar',
    }) }}

),

orders as (

    {{ select_root_keys('wms_orders') }}

),

shipments as (

    {{ select_source('wms_orders__shipments', {
        '_dlt_id': 'varchar',
        'shipment_id': 'varchar',
        'shipped_date': 'timestamptz',
    }) }}

),

renamed as (

    select
        orders.connection_id,
        orders.id as order_id,
        shipments.shipment_id,
        shipments.shipped_date as shipped_at,
        source.package_id,
        source.package_name,
        source.tracking_number,
        source.tracking_url,
        source.carrier_id,
        coalesce(source.carrier_name, source.carrier) as carrier_name,
        source.scac,
        source.shipping_method,
        source.shipping_method_id,
        source.shipping_method_name,
        source.shipping_cost,
        source.measurements__length as length,
        source.measurements__width as width,
        source.measurements__height as height,
        source.measurements__unit as dimension_unit,
        source.measurements__weight as weight,
        source.measurements__weight_unit as weight_unit,
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
