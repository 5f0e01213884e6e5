-- wms_returns__shipments: dlt child table of wms_returns; connection_id and return_id come from its root row
with source as (
    {{ select_child_source('wms_returns__shipments', {
        'tracking_number': 'varchar',
        'shipped_date': 'timestamptz',
        'arrived_date': 'timestamptz',
        'warehouse_id': 'varchar',
        'carrier': 'varchar',
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
    {{ select_root_keys('wms_returns', 'return_id') }}
),

renamed as (
    select
        root.connection_id,
        root.return_id,
        source.tracking_number,
        source.shipped_date,
        source.arrived_date,
        source.warehouse_id,
        source.carrier,
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
