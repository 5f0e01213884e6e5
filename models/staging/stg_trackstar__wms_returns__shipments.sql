-- wms_returns__shipments: dlt child table of wms_returns; connection_id and return_id come from its root row
with source as (
    {{ select_child_source('wms_returns__shipments', {
        'tracking_number': 'varchar',
        'warehouse_id': 'varchar',
        'carrier': 'varchar',
        'shipping_cost': 'decimal(18,2)',
        'shipped_date': 'timestamptz',
        'arrived_date': 'timestamptz'
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
        source.warehouse_id,
        source.carrier,
        source.shipping_cost,
        source.shipped_date,
        source.arrived_date,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
