-- one row per connection: integration, customer, errors, and the health and freshness of its
-- extraction (from sync_log: the latest run per connection, the last successful extraction)
with connections as (
    select * from {{ ref('stg_trackstar__connections') }}
),

sync_log as (
    select * from {{ ref('stg_trackstar__sync_log') }}
),

latest_run as (
    select
        connection_id,
        run_id
    from sync_log
    qualify row_number() over (partition by connection_id order by started_at desc, run_id desc) = 1
),

latest_run_summary as (
    select
        sync_log.connection_id,
        sync_log.run_id as last_run_id,
        min(sync_log.started_at) as last_run_started_at,
        cast(coalesce(sum(sync_log.rows), 0) as bigint) as rows_loaded_last_run,
        -- what the connection cannot provide: not in its available_actions (skipped, not
        -- requested) or answered 403/501 when requested (capability_gap)
        string_agg(
            case when sync_log.status in ('capability_gap', 'skipped') then sync_log.resource end,
            ',' order by sync_log.resource
        ) as capability_gaps,
        string_agg(case when sync_log.status = 'failed' then sync_log.resource end, ',' order by sync_log.resource)
            as failed_resources,
        string_agg(
            case when sync_log.status = 'sync_incomplete' then sync_log.resource end, ',' order by sync_log.resource
        ) as incomplete_resources,
        -- resources read by a fallback cursor because Trackstar refused trackstar_updated_date[gte]
        string_agg(
            case
                when sync_log.cursor_fallback
                    then sync_log.resource || ' (' || coalesce(sync_log.cursor_field, 'whole list') || ')'
            end,
            ',' order by sync_log.resource
        ) as cursor_fallbacks,
        cast(coalesce(sum(sync_log.rejected), 0) as bigint) as records_set_aside_last_run,
        -- why the connection as a whole was not extracted (e.g. it needs its access token configured)
        max(case when sync_log.resource = 'connection' then sync_log.message end) as connection_problem
    from sync_log
    inner join latest_run
        on
            sync_log.connection_id = latest_run.connection_id
            and sync_log.run_id = latest_run.run_id
    group by sync_log.connection_id, sync_log.run_id
),

successful as (
    select
        connection_id,
        max(finished_at) as last_successful_extraction_at
    from sync_log
    where status = 'ok'
    group by connection_id
),

data_timestamps as (
    {#- the newest Trackstar change seen per resource (carrier files have no Trackstar dates:
        when the newest one was generated) #}
    {%- set tables = {
        'wms_orders': 'trackstar_updated_at', 'wms_inventory': 'trackstar_updated_at',
        'wms_products': 'trackstar_updated_at', 'wms_inbound_shipments': 'trackstar_updated_at',
        'wms_returns': 'trackstar_updated_at', 'wms_bills': 'trackstar_updated_at',
        'wms_labor_activities': 'trackstar_updated_at', 'cart_orders': 'trackstar_updated_at',
        'cart_products': 'trackstar_updated_at', 'carrier_invoice_line_items': 'trackstar_updated_at',
        'carrier_files': 'generated_at', 'freight_shipments': 'trackstar_updated_at',
    } %}
    {%- for table, column in tables.items() %}
        select
            connection_id,
            max({{ column }}) as latest_data
        from {{ ref('stg_trackstar__' ~ table) }}
        group by connection_id
        {{ "union all" if not loop.last }}
    {%- endfor %}
),

freshness as (
    select
        connection_id,
        max(latest_data) as latest_data
    from data_timestamps
    group by connection_id
),

-- Trackstar's syncs of this connection that are not fine (fct_connection_freshness)
sync_problems as (
    select
        connection_id,
        string_agg(function_name || ' (' || freshness_status || ')', ',' order by function_name) as sync_problems
    from {{ ref('fct_connection_freshness') }}
    where freshness_status in ('failing', 'stuck', 'late')
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
        connections.last_used,
        connections.errors,
        connections.error_count > 0 as has_errors,
        connections.available_actions,
        connections.observed_at as last_observed_at,
        -- GET /connections no longer lists it: its data is kept
        connections.is_deleted as is_removed,
        connections.deleted_at as removed_at,
        latest_run_summary.last_run_id,
        latest_run_summary.last_run_started_at,
        successful.last_successful_extraction_at,
        coalesce(latest_run_summary.rows_loaded_last_run, 0) as rows_loaded_last_run,
        latest_run_summary.capability_gaps,
        latest_run_summary.failed_resources,
        latest_run_summary.incomplete_resources,
        coalesce(latest_run_summary.failed_resources is not null, false) as has_failed_resources,
        latest_run_summary.connection_problem,
        coalesce(latest_run_summary.connection_problem like '%needs its access token configured%', false)
            as needs_access_token,
        latest_run_summary.cursor_fallbacks,
        coalesce(latest_run_summary.records_set_aside_last_run, 0) as records_set_aside_last_run,
        freshness.latest_data,
        sync_problems.sync_problems
    from connections
    left join latest_run_summary on connections.connection_id = latest_run_summary.connection_id
    left join successful on connections.connection_id = successful.connection_id
    left join freshness on connections.connection_id = freshness.connection_id
    left join sync_problems on connections.connection_id = sync_problems.connection_id
)

select * from final
