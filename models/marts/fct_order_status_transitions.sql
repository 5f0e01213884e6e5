{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['source', 'connection_id', 'order_id'],
        on_schema_change='fail',
    )
}}
-- one row per order and observed status change (the first version counts as a change from
-- nothing). Incremental: only orders with history rows loaded since the last build are
-- recomputed, from their whole history (a late version can change the neighbours' transitions);
-- delete+insert replaces those orders' rows.
with history as (
    select * from {{ ref('int_trackstar__order_status_history') }}
),

{% if is_incremental() %}
    changed_orders as (
        select distinct
            source,
            connection_id,
            order_id
        from history
        where _dlt_load_id > (select coalesce(max(last_load_id), '') from {{ this }})
    ),

    scoped as (
        select history.*
        from history
        semi join changed_orders
            on
                history.source = changed_orders.source
                and history.connection_id = changed_orders.connection_id
                and history.order_id = changed_orders.order_id
    ),
{% else %}
scoped as (
    select * from history
),
{% endif %}

ordered as (
    select
        source,
        connection_id,
        order_id,
        lag(status) over order_versions as from_status,
        status as to_status,
        lag(raw_status) over order_versions as from_raw_status,
        raw_status as to_raw_status,
        trackstar_updated_at as observed_at,
        observed_at as extracted_at,
        row_number() over order_versions as version_number,
        max(_dlt_load_id) over (partition by source, connection_id, order_id) as last_load_id
    from scoped
    window order_versions as (
        partition by source, connection_id, order_id order by trackstar_updated_at
    )
),

final as (
    select
        source,
        connection_id,
        order_id,
        from_status,
        to_status,
        from_raw_status,
        to_raw_status,
        observed_at,
        extracted_at,
        last_load_id
    from ordered
    where from_status is null or from_status <> to_status
)

select * from final
