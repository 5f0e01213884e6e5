-- wms_inventory_history: one row per raw row, renamed and typed
with source as (
    {{ select_root_source('wms_inventory_history', {
        'connection_id': 'varchar',
        'inventory_item_id': 'varchar',
        'warehouse_id': 'varchar',
        'trackstar_updated_date': 'timestamptz',
        'observed_at': 'timestamptz',
        'sku': 'varchar',
        'onhand': 'bigint',
        'committed': 'bigint',
        'unfulfillable': 'bigint',
        'fulfillable': 'bigint',
        'unsellable': 'bigint',
        'sellable': 'bigint',
        'awaiting': 'bigint'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.inventory_item_id,
        source.warehouse_id,
        source.trackstar_updated_date as trackstar_updated_at,
        source.observed_at,
        source.sku,
        source.onhand,
        source.committed,
        source.unfulfillable,
        source.fulfillable,
        source.unsellable,
        source.sellable,
        source.awaiting,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
