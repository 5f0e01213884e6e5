-- connections: one row per raw row, renamed and typed
with source as (
    {{ select_root_source('connections', {
        'connection_id': 'varchar',
        'available_actions': 'json',
        'available_endpoints': 'json',
        'errors': 'json',
        'sync_schedules': 'json',
        'historical_sync_completed': 'json',
        'created_at': 'timestamptz',
        'last_used': 'timestamptz',
        'times_used': 'bigint',
        'latest_sync': 'timestamptz',
        'webhooks_disabled': 'boolean',
        'observed_at': 'timestamptz',
        'integration_name': 'varchar',
        'integration_display_name': 'varchar',
        'integration_type': 'varchar',
        'customer_id': 'varchar',
        'connection_source': 'varchar'
    }) }}
),

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('connections') }}
),

renamed as (
    select
        source.connection_id,
        source.available_actions,
        source.available_endpoints,
        source.errors,
        cast(coalesce(json_array_length(source.errors), 0) as bigint) as error_count,
        source.sync_schedules,
        source.historical_sync_completed,
        -- the resources whose historical sync Trackstar reports complete (true)
        (
            select string_agg(entry.key, ',' order by entry.key)
            from json_each(source.historical_sync_completed) as entry
            where cast(entry.value as varchar) = 'true'
        ) as historical_sync_completed_resources,
        source.created_at,
        source.last_used,
        source.times_used,
        source.latest_sync,
        source.webhooks_disabled,
        source.observed_at,
        source.integration_name,
        source.integration_display_name,
        source.integration_type,
        source.customer_id,
        source.connection_source,
        deletions.deleted_at is not null as is_deleted,
        deletions.deleted_at,
        {{ dlt_columns() }}
    from source
    left join deletions
        on
            source.connection_id = deletions.connection_id
            and source.connection_id = deletions.record_key
),

final as (
    select * from renamed
)

select * from final
