-- wms_inventory_ledger: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_inventory_ledger', {
        'inventory_item_id': 'varchar',
        'warehouse_id': 'varchar',
        'quantity_change': 'bigint',
        'reason': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as ledger_entry_id,
        {{ trackstar_record_metadata() }},
        source.inventory_item_id,
        source.warehouse_id,
        source.quantity_change,
        source.reason,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
