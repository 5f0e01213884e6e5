-- wms_inventory__lots: dlt child table of wms_inventory; connection_id and inventory_item_id come from its root row
with source as (
    {{ select_child_source('wms_inventory__lots', {
        'lot_id': 'varchar',
        'onhand': 'bigint',
        'expiration_date': 'timestamptz',
        'warehouse_id': 'varchar'
    }) }}
),

root as (
    {{ select_root_keys('wms_inventory', 'inventory_item_id') }}
),

renamed as (
    select
        root.connection_id,
        root.inventory_item_id,
        source.lot_id,
        source.onhand,
        source.expiration_date,
        source.warehouse_id,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
