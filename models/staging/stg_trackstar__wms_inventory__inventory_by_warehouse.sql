-- wms_inventory__inventory_by_warehouse: dlt child table of wms_inventory; connection_id and inventory_item_id come from its root row
with source as (
    {{ select_child_source('wms_inventory__inventory_by_warehouse', {
        'warehouse_id': 'varchar',
        'awaiting': 'bigint',
        'onhand': 'bigint',
        'committed': 'bigint',
        'unfulfillable': 'bigint',
        'fulfillable': 'bigint',
        'unsellable': 'bigint',
        'sellable': 'bigint'
    }) }}
),

root as (
    {{ select_root_keys('wms_inventory', 'inventory_item_id') }}
),

renamed as (
    select
        root.connection_id,
        root.inventory_item_id,
        source.warehouse_id,
        source.awaiting,
        source.onhand,
        source.committed,
        source.unfulfillable,
        source.fulfillable,
        source.unsellable,
        source.sellable,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
