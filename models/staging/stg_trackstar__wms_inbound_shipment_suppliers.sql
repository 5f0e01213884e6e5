-- wms_inbound_shipment_suppliers: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_inbound_shipment_suppliers', {
        'name': 'varchar',
        'warehouse_customer_id': 'varchar'
    }) }}
),

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('wms_inbound_shipment_suppliers') }}
),

renamed as (
    select
        source.connection_id,
        source.id as supplier_id,
        {{ trackstar_record_metadata() }},
        source.name,
        source.warehouse_customer_id,
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
