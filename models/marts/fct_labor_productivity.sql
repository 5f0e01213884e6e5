{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['connection_id', 'activity_date'],
        on_schema_change='fail',
        post_hook="{{ record_watermark() }}",
    )
}}
-- warehouse labor per WMS connection x day x warehouse x user x activity type: how many
-- activities, how many units they moved and how long they took (finished activities only for
-- the minutes). The day is the UTC day the activity started.
--
-- Incremental: the days (per connection) of the activities loaded since the last build are
-- recomputed from all of that day's activities; delete+insert replaces those days.
{%- set watermark = incremental_watermark() %}
with activities as (
    select
        *,
        {{ utc_date('activity_start_time') }} as activity_date
    from {{ ref('stg_trackstar__wms_labor_activities') }}
),

{% if watermark is not none %}
    touched_days as (
        select distinct
            connection_id,
            activity_date
        from activities
        where _dlt_load_id > '{{ watermark }}'
    ),

    scoped as (
        select activities.*
        from activities
        semi join touched_days
            on
                activities.connection_id = touched_days.connection_id
                and activities.activity_date = touched_days.activity_date
    ),
{% else %}
scoped as (
    select * from activities
),
{% endif %}

final as (
    select
        connection_id,
        activity_date,
        warehouse_id,
        user_id,
        max(user_first_name) as user_first_name,
        max(user_last_name) as user_last_name,
        activity_type,
        cast(count(*) as bigint) as activity_count,
        cast(coalesce(sum(quantity), 0) as bigint) as units,
        cast(
            round(sum(date_diff('second', activity_start_time, activity_end_time)) / 60.0, 2) as decimal(18, 2)
        ) as minutes_worked,
        cast(count(activity_end_time) as bigint) as finished_count
    from scoped
    where activity_date is not null
    group by connection_id, activity_date, warehouse_id, user_id, activity_type
)

select * from final
