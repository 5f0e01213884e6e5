-- wms_returns__shipments: dlt child table; connection_id and return_id come from the root row (_dlt_root_id = root._dlt_id)
with source as (
    {{ select_source('wms_returns__shipments', {
        'tracking_number': 'varchar',
        'warehouse_id': 'varchar',
        'carrier': 'varchar',
        'shipping_cost': 'decimal(18,2)',
        'shipped_date': 'timestamptz',
        'arrived_date': 'timestamptz',
        '_dlt_root_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        '_dlt_id': 'varchar'
    }) }}
),

root as (
    select
        _dlt_id,
        connection_id,
        id as return_id,
        _dlt_load_id
    from ({{ select_root_keys('wms_returns') }}) as root_keys
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
        root._dlt_load_id,
        source._dlt_list_idx,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_id
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
