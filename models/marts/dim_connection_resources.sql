-- One row per connection and resource (raw table) it was ever asked for: the last run's
-- status, the last successful extraction, rows and failures. `connection` is the pseudo
-- resource of runs where the connection failed as a whole.

with

resource_status as (

    select * from {{ ref('int_connection_resource_status') }}

),

connections as (

    select * from {{ ref('stg_trackstar__connections') }}

),

final as (

    select
        resource_status.connection_id,
        resource_status.resource,
        connections.integration_name,
        connections.integration_type,
        connections.customer_id,
        resource_status.last_status,
        resource_status.last_http_status,
        resource_status.last_message,
        resource_status.last_run_id,
        resource_status.last_run_at,
        resource_status.last_run_rows,
        resource_status.last_success_at,
        resource_status.last_failure_at,
        resource_status.last_cursor,
        resource_status.run_count,
        resource_status.ok_run_count,
        resource_status.failed_run_count,
        resource_status.rows_extracted,
        resource_status.is_capability_gap

    from resource_status
    left join connections
        on resource_status.connection_id = connections.connection_id

)

select * from final
