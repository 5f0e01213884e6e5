-- connections' sync_schedules: one row per connection x Trackstar function (get_orders, ...),
-- unnested from the JSON list of the connection's latest state and typed
with source as (
    {{ select_root_source('connections', {
        'connection_id': 'varchar',
        'sync_schedules': 'json',
        'observed_at': 'timestamptz'
    }) }}
),

schedules as (
    select
        source.connection_id,
        source.observed_at,
        source._dlt_load_id,
        unnest(cast(source.sync_schedules as json [])) as schedule
    from source
),

renamed as (
    select
        connection_id,
        schedule ->> '$.function_name' as function_name,
        schedule ->> '$.sync_status' as sync_status,
        try_cast(schedule ->> '$.sync_frequency' as bigint) as sync_frequency_seconds,
        try_cast(schedule ->> '$.last_crawl_start' as timestamptz) as last_crawl_started_at,
        -- latest_sync: the deprecated name of last_crawl_end, read where the new one is missing
        coalesce(
            try_cast(schedule ->> '$.last_crawl_end' as timestamptz),
            try_cast(schedule ->> '$.latest_sync' as timestamptz)
        ) as last_crawl_ended_at,
        try_cast(schedule ->> '$.in_progress' as boolean) as in_progress,
        -- when the pipeline read these schedules (Trackstar's clock)
        observed_at,
        _dlt_load_id
    from schedules
),

final as (
    select * from renamed
)

select * from final
