-- wms_bills: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_bills', {
        'warehouse_customer_id': 'varchar',
        'object_id': 'varchar',
        'object_type': 'varchar',
        'charge_type': 'varchar',
        'amount': 'decimal(18,2)',
        'currency_code': 'varchar'
    }) }}
),

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('wms_bills') }}
),

renamed as (
    select
        source.connection_id,
        source.id as bill_id,
        {{ trackstar_record_metadata() }},
        source.warehouse_customer_id,
        source.object_id,
        source.object_type,
        source.charge_type,
        source.amount,
        source.currency_code,
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
