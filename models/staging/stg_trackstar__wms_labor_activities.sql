-- wms_labor_activities: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_labor_activities', {
        'user_id': 'varchar',
        'user_first_name': 'varchar',
        'user_last_name': 'varchar',
        'warehouse_id': 'varchar',
        'activity_type': 'varchar',
        'activity_start_time': 'timestamptz',
        'activity_end_time': 'timestamptz',
        'associated_object_type': 'varchar',
        'associated_object_id': 'varchar',
        'quantity': 'bigint'
    }) }}
),

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('wms_labor_activities') }}
),

renamed as (
    select
        source.connection_id,
        source.id as labor_activity_id,
        {{ trackstar_record_metadata() }},
        source.user_id,
        source.user_first_name,
        source.user_last_name,
        source.warehouse_id,
        source.activity_type,
        source.activity_start_time,
        source.activity_end_time,
        source.associated_object_type,
        source.associated_object_id,
        source.quantity,
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
