-- wms_inventory_ledger: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_inventory_ledger', {
        'entry_date': 'timestamptz',
        'inventory_item_id': 'varchar',
        'sku': 'varchar',
        'quantity': 'bigint',
        'raw_event_type': 'varchar',
        'event_type': 'varchar',
        'reason': 'varchar',
        'object_id': 'varchar',
        'object_type': 'varchar',
        'warehouse_id': 'varchar',
        'location_id': 'varchar'
    }) }}
),

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('wms_inventory_ledger') }}
),

renamed as (
    select
        source.connection_id,
        source.id as ledger_entry_id,
        {{ trackstar_record_metadata() }},
        source.entry_date,
        source.inventory_item_id,
        source.sku,
        source.quantity,
        source.raw_event_type,
        source.event_type,
        source.reason,
        source.object_id,
        source.object_type,
        source.warehouse_id,
        source.location_id,
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
