with

source as (

    {{ select_source('wms_returns__shipments', {
        '_dlt_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_root_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        'tracking_number': 'varchar',
        'warehouse_id': 'varchar',
        'carrier': 'varchar',
        'shipping_cost': 'decimal(38, 9)',
        'shipped_date': 'timestamptz',
        'arrived_date': 'timestamptz',
    }) }}

),

returns as (

    {{ select_root_keys('wms_returns') }}

),

renamed as (

    select
        returns.connection_id,
        returns.id as return_id,
        source.tracking_number,
        source.warehouse_id,
        source.carrier,
        source.shipping_cost,
        source.shipped_date as shipped_at,
        source.arrived_date as arrived_at,
        source._dlt_id,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_list_idx,
        returns._dlt_load_id

    from source
    inner join returns on source._dlt_root_id = returns._dlt_id

)

select * from renamed
