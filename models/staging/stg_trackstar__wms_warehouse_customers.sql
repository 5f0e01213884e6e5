-- wms_warehouse_customers: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_warehouse_customers', {
        'name': 'varchar',
        'email': 'varchar'
    }) }}
),

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('wms_warehouse_customers') }}
),

renamed as (
    select
        source.connection_id,
        source.id as warehouse_customer_id,
        {{ trackstar_record_metadata() }},
        source.name,
        source.email,
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
