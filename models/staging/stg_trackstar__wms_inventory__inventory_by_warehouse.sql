with

source as (

    {{ select_source('wms_inventory__inventory_by_warehouse', {
        '_dlt_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_root_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        'warehouse_id': 'varchar',
        'onhand': 'bigint',
        'committed': 'bigint',
        'unfulfillable': 'bigint',
        'fulfillable': 'bigint',
        'unsellable': 'bigint',
        'sellable': 'bigint',
        'awaiting': 'bigint',
    }) }}

),

inventory_items as (

    {{ select_root_keys('wms_inventory') }}

),

renamed as (

    select
        inventory_items.connection_id,
        inventory_items.id as inventory_item_id,
        source.warehouse_id,
        source.onhand,
        source.committed,
        source.unfulfillable,
        source.fulfillable,
        source.unsellable,
        source.sellable,
        source.awaiting,
        source._dlt_id,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_list_idx,
        inventory_items._dlt_load_id

    from source
    inner join inventory_items on source._dlt_root_id = inventory_items._dlt_id

)

select * from renamed
