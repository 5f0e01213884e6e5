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

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('wms_inventory') }}
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
        deletions.deleted_at is not null as is_deleted,
        deletions.deleted_at,
        {{ dlt_columns() }}
    from source
    left join deletions
        on
            source.connection_id = deletions.connection_id
            and source.id = deletions.record_key
),

final as (
    select * from renamed
)

select * from final
