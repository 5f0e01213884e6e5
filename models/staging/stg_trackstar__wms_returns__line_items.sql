with

source as (

    {{ select_source('wms_returns__line_items', {
        '_dlt_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_root_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        'inventory_item_id': 'varchar',
        'sku': 'varchar',
        'quantity': 'bigint',
        'expected_quantity': 'bigint',
        'received_quantity': 'bigint',
        'restocked_quantity': 'bigint',
        'return_reason': 'varchar',
        'disposition': 'varchar',
    }) }}

),

returns as (

    {{ select_root_keys('wms_returns') }}

),

renamed as (

    select
        returns.connection_id,
        returns.id as return_id,
        source.inventory_item_id,
        source.sku,
        source.quantity,
        source.expected_quantity,
        source.received_quantity,
        source.restocked_quantity,
        source.return_reason,
        source.disposition,
        source._dlt_id,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_list_idx,
        returns._dlt_load_id

    from source
    inner join returns on source._dlt_root_id = returns._dlt_id

)

select * from renamed
