-- One row per connection: what it is (integration, customer), what it can do, and how its
-- extraction is doing (from the run log): last successful extraction, rows, failures,
-- capability gaps, and the connection's own errors as Trackstar reports them.

with

connections as (

    select * from {{ ref('stg_trackstar__connections') }}

),

resource_status as (

    select * from {{ ref('int_connection_resource_status') }}

),

-- `connection` rows in the run log are runs where the connection failed as a whole (bad
-- token, listing failed); the other rows are its resources. Skipped resources (not in the
-- connection's available actions) and capability gaps are not expected to be fresh.
connection_failures as (

    select connection_id, last_failure_at, last_message
    from resource_status
    where resource = 'connection'

),

health as (

    select
        connection_id,
        max(last_run_at) as last_run_at,
        max(last_success_at) as last_successful_extraction_at,
        -- the stalest resource that is expected to be extracted: the connection's freshness
        min(last_success_at) filter (
            where last_status not in ('skipped', 'capability_gap')
        ) as oldest_resource_success_at,
        count(*) filter (where last_status = 'ok') as resources_ok,
        count(*) filter (where last_status = 'failed') as resources_failed,
        count(*) filter (where last_status = 'sync_incomplete') as resources_sync_incomplete,
        coalesce(
            string_agg(resource, ', ' order by resource) filter (
                where last_status = 'failed'
            ),
            ''
        ) as failing_resources,
        count(*) filter (where is_capability_gap) as capability_gap_count,
        coalesce(
            string_agg(resource, ', ' order by resource) filter (where is_capability_gap),
            ''
        ) as capability_gaps,
        cast(coalesce(sum(last_run_rows) filter (where last_status = 'ok'), 0) as bigint)
            as rows_last_run,
        cast(sum(rows_extracted) as bigint) as rows_extracted,
        cast(sum(failed_run_count) as bigint) as failed_resource_runs,
        max(last_message) filter (where last_status = 'failed') as last_error_message

    from resource_status
    where resource != 'connection'
    group by connection_id

),

final as (

    select
        connections.connection_id,
        connections.integration_name,
        connections.integration_display_name,
        connections.integration_type,
        connections.customer_id,
        connections.connection_source,
        connections.created_at,
        connections.last_used_at,
        len(connections.available_actions) as available_action_count,
        array_to_string(list_sort(connections.available_actions), ', ') as available_actions,
        connections.connection_error_count,
        array_to_string(
            list_transform(
                connections.connection_errors,
                lambda error: coalesce(error.error_type, 'error')
                || coalesce(' (' || error.resource || ')', '')
                || coalesce(': ' || error.message, '')
            ),
            '; '
        ) as connection_errors,
        array_to_string(connections.historical_sync_pending_actions, ', ')
            as historical_sync_pending,
        health.last_run_at,
        health.last_successful_extraction_at,
        health.oldest_resource_success_at,
        coalesce(health.resources_ok, 0) as resources_ok,
        coalesce(health.resources_failed, 0) as resources_failed,
        coalesce(health.resources_sync_incomplete, 0) as resources_sync_incomplete,
        coalesce(health.failing_resources, '') as failing_resources,
        coalesce(health.capability_gap_count, 0) as capability_gap_count,
        coalesce(health.capability_gaps, '') as capability_gaps,
        coalesce(health.rows_last_run, 0) as rows_last_run,
        coalesce(health.rows_extracted, 0) as rows_extracted,
        coalesce(health.failed_resource_runs, 0) as failed_resource_runs,
        coalesce(health.last_error_message, connection_failures.last_message)
            as last_error_message,
        {{ hours_between('health.oldest_resource_success_at', 'current_timestamp') }}
            as freshness_hours_at_build,
        case
            when connection_failures.last_failure_at
                > coalesce(health.last_successful_extraction_at, '-infinity'::timestamptz)
                then 'failing'
            when health.connection_id is null then 'never_extracted'
            when health.resources_failed > 0 then 'failing'
            when connections.connection_error_count > 0 then 'degraded'
            when health.resources_sync_incomplete > 0 then 'syncing'
            else 'healthy'
        end as health_status,
        connections.observed_at as metadata_observed_at

    from connections
    left join health
        on connections.connection_id = health.connection_id
    left join connection_failures
        on connections.connection_id = connection_failures.connection_id

)

select * from final
