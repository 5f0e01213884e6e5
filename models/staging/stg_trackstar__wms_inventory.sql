-- wms_inventory: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_inventory', {
        'warehouse_customer_id': 'varchar',
        'name': 'varchar',
        'sku': 'varchar',
        'unit_cost': 'decimal(18,2)',
        'active': 'boolean',
        'awaiting': 'bigint',
        'onhand': 'bigint',
        'committed': 'bigint',
        'unfulfillable': 'bigint',
        'fulfillable': 'bigint',
        'unsellable': 'bigint',
        'sellable': 'bigint',
        'measurements__length': 'decimal(18,4)',
        'measurements__width': 'decimal(18,4)',
        'measurements__height': 'decimal(18,4)',
        'measurements__unit': 'varchar',
        'measurements__weight': 'decimal(18,4)',
        'measurements__weight_unit': 'varchar',
        'external_system_url': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as inventory_item_id,
        {{ trackstar_record_metadata() }},
        source.warehouse_customer_id,
        source.name,
        source.sku,
        source.unit_cost,
        source.active,
        source.awaiting,
        source.onhand,
        source.committed,
        source.unfulfillable,
        source.fulfillable,
        source.unsellable,
        source.sellable,
        source.measurements__length,
        source.measurements__width,
        source.measurements__height,
        source.measurements__unit,
        source.measurements__weight,
        source.measurements__weight_unit,
        source.external_system_url,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
