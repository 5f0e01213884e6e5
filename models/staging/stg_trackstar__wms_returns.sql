-- wms_returns: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_returns', {
        'warehouse_customer_id': 'varchar',
        'status': 'varchar',
        'raw_status': 'varchar',
        'order_id': 'varchar',
        'external_system_url': 'varchar'
    }) }}
),

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('wms_returns') }}
),

renamed as (
    select
        source.connection_id,
        source.id as return_id,
        {{ trackstar_record_metadata() }},
        source.warehouse_customer_id,
        lower(source.status) as status,
        source.raw_status,
        source.order_id,
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
