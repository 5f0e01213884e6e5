-- one row per connection x Trackstar function: how fresh Trackstar's copy is (its crawls, from
-- the connection's sync_schedules) and ours (our last successful extraction of the resources
-- reading that function), and a status: failing / stuck / late / first_sync / disabled / ok.
-- Ages are in seconds as of `as_of`: when the pipeline last read the schedules (Trackstar's
-- clock), so both sides are measured on one clock. Thresholds are dbt vars (dbt_project.yml).
with schedules as (
    select * from {{ ref('stg_trackstar__connections__sync_schedules') }}
),

connections as (
    select * from {{ ref('stg_trackstar__connections') }}
),

sync_log as (
    select * from {{ ref('stg_trackstar__sync_log') }}
),

extractions as (
    select
        connection_id,
        action as function_name,
        string_agg(distinct resource, ',' order by resource) as resources,
        max(coalesce(observed_at, finished_at)) as last_extracted_at
    from sync_log
    where status = 'ok' and action is not null
    group by connection_id, action
),

measured as (
    select
        schedules.connection_id,
        schedules.function_name,
        schedules.sync_status,
        schedules.sync_frequency_seconds,
        schedules.last_crawl_started_at,
        schedules.last_crawl_ended_at,
        schedules.observed_at as as_of,
        extractions.resources,
        extractions.last_extracted_at,
        -- a crawl is running: started after the last one ended, or Trackstar says so
        coalesce(
            schedules.last_crawl_started_at > coalesce(schedules.last_crawl_ended_at, timestamptz '1970-01-01'),
            false
        )
        or coalesce(schedules.sync_status in ('sync_in_progress', 'first_sync_in_progress'), false)
            as crawl_running,
        date_diff('second', schedules.last_crawl_ended_at, schedules.observed_at) as trackstar_age_seconds,
        date_diff('second', extractions.last_extracted_at, schedules.observed_at) as extraction_age_seconds
    from schedules
    left join extractions
        on
            schedules.connection_id = extractions.connection_id
            and schedules.function_name = extractions.function_name
),

final as (
    select
        measured.connection_id,
        connections.integration_name,
        connections.integration_type,
        connections.customer_id,
        measured.function_name,
        measured.resources,
        measured.sync_status,
        measured.sync_frequency_seconds,
        measured.last_crawl_started_at,
        measured.last_crawl_ended_at,
        measured.crawl_running,
        case
            when measured.crawl_running
                then date_diff('second', measured.last_crawl_started_at, measured.as_of)
        end as crawl_running_seconds,
        measured.last_extracted_at,
        measured.as_of,
        measured.trackstar_age_seconds,
        measured.extraction_age_seconds,
        -- our copy includes Trackstar's last completed crawl of this function
        coalesce(measured.last_extracted_at >= measured.last_crawl_ended_at, false) as extracted_since_last_crawl,
        case
            when measured.sync_status = 'error' then 'failing'
            when
                measured.crawl_running
                and date_diff('second', measured.last_crawl_started_at, measured.as_of)
                > 3600 * case
                    when measured.sync_status = 'first_sync_in_progress'
                        then {{ var('trackstar_first_sync_stuck_after_hours') }}
                    else {{ var('trackstar_sync_stuck_after_hours') }}
                end
                then 'stuck'
            when measured.sync_status = 'first_sync_in_progress' then 'first_sync'
            when measured.sync_status = 'disabled' then 'disabled'
            when
                measured.last_crawl_ended_at is null
                or measured.trackstar_age_seconds
                > {{ var('trackstar_sync_late_after_periods') }} * coalesce(measured.sync_frequency_seconds, 3600)
                then 'late'
            else 'ok'
        end as freshness_status
    from measured
    left join connections on measured.connection_id = connections.connection_id
)

select * from final
