-- wms_orders__shipments__packages: dlt child table of wms_orders; connection_id and order_id come from its root row
with source as (
    {{ select_child_source('wms_orders__shipments__packages', {
        'package_id': 'varchar',
        'package_name': 'varchar',
        'tracking_number': 'varchar',
        'tracking_url': 'varchar',
        'shipping_method': 'varchar',
        'carrier': 'varchar',
        'shipping_method_id': 'varchar',
        'shipping_method_name': 'varchar',
        'carrier_id': 'varchar',
        'carrier_name': 'varchar',
        'scac': 'varchar',
        'shipping_cost': 'decimal(18,2)',
        'measurements__length': 'decimal(18,4)',
        'measurements__width': 'decimal(18,4)',
        'measurements__height': 'decimal(18,4)',
        'measurements__unit': 'varchar',
        'measurements__weight': 'decimal(18,4)',
        'measurements__weight_unit': 'varchar'
    }) }}
),

root as (
    {{ select_root_keys('wms_orders', 'order_id') }}
),

renamed as (
    select
        root.connection_id,
        root.order_id,
        source.package_id,
        source.package_name,
        source.tracking_number,
        source.tracking_url,
        source.shipping_method,
        source.carrier,
        source.shipping_method_id,
        source.shipping_method_name,
        source.carrier_id,
        source.carrier_name,
        source.scac,
        source.shipping_cost,
        source.measurements__length,
        source.measurements__width,
        source.measurements__height,
        source.measurements__unit,
        source.measurements__weight,
        source.measurements__weight_unit,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
