-- The extraction health of every connection x resource, from the run log (sync_log): the
-- latest run, the latest successful run, rows and errors.

with

sync_log as (

    select * from {{ ref('stg_trackstar__sync_log') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by connection_id, resource
            order by finished_at desc nulls last, started_at desc, run_id desc
        ) as run_recency

    from sync_log

),

latest as (

    select * from ranked where run_recency = 1

),

aggregated as (

    select
        connection_id,
        resource,
        count(*) as run_count,
        count(*) filter (where status = 'ok') as ok_run_count,
        count(*) filter (where status = 'failed') as failed_run_count,
        max(finished_at) filter (where status = 'ok') as last_success_at,
        max(finished_at) filter (where status = 'failed') as last_failure_at,
        cast(coalesce(sum(row_count), 0) as bigint) as rows_extracted,
        max(cursor_to) filter (where status = 'ok') as last_cursor

    from sync_log
    group by connection_id, resource

),

final as (

    select
        aggregated.connection_id,
        aggregated.resource,
        latest.run_id as last_run_id,
        latest.status as last_status,
        latest.http_status as last_http_status,
        latest.message as last_message,
        latest.finished_at as last_run_at,
        latest.row_count as last_run_rows,
        aggregated.last_success_at,
        aggregated.last_failure_at,
        aggregated.run_count,
        aggregated.ok_run_count,
        aggregated.failed_run_count,
        aggregated.rows_extracted,
        aggregated.last_cursor,
        latest.status = 'capability_gap' as is_capability_gap

    from aggregated
    inner join latest
        on aggregated.connection_id = latest.connection_id
        and aggregated.resource = latest.resource

)

select * from final
