{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['source', 'connection_id', 'order_id'],
        on_schema_change='fail',
    )
}}

-- One row per order and observed status change, from the status history every run keeps
-- (one version per trackstar_updated_date). The first version of an order is a change from
-- nothing; later versions count only when the status differs from the version before.
-- `observed_at` is the trackstar_updated_date of the version that carried the new status:
-- when Trackstar's copy of the order changed, not when the run happened to see it.
--
-- Incremental: the orders with history rows newer than the last build are rebuilt in full
-- (delete+insert on the order), so a late version in the middle of a history is handled.

with

history as (

    select * from {{ ref('int_order_status_history') }}

),

{% if is_incremental() %}

touched_orders as (

    select distinct source, connection_id, order_id
    from history
    where _dlt_load_id > {{ load_watermark() }}

),

{% endif %}

history_in_scope as (

    select history.*
    from history
    {% if is_incremental() %}
        inner join touched_orders
            on history.source = touched_orders.source
            and history.connection_id = touched_orders.connection_id
            and history.order_id = touched_orders.order_id
    {% endif %}

),

sequenced as (

    select
        *,
        lag(status) over order_versions as previous_status,
        lag(raw_status) over order_versions as previous_raw_status,
        lag(trackstar_updated_at) over order_versions as previous_version_at,
        max(_dlt_load_id) over (partition by source, connection_id, order_id) as last_load_id

    from history_in_scope
    window order_versions as (
        partition by source, connection_id, order_id
        order by trackstar_updated_at, observed_at
    )

),

changes as (

    select * from sequenced
    where previous_version_at is null
        or status is distinct from previous_status

),

final as (

    select
        source,
        connection_id,
        order_id,
        cast(row_number() over (
            partition by source, connection_id, order_id
            order by trackstar_updated_at
        ) as integer) as transition_number,
        previous_status as from_status,
        status as to_status,
        previous_raw_status as from_raw_status,
        raw_status as to_raw_status,
        trackstar_updated_at as observed_at,
        {{ hours_between(
            'lag(trackstar_updated_at) over (partition by source, connection_id, order_id '
            ~ 'order by trackstar_updated_at)',
            'trackstar_updated_at'
        ) }} as hours_in_from_status,
        updated_at as source_updated_at,
        observed_at as run_observed_at,
        last_load_id

    from changes

)

select * from final
