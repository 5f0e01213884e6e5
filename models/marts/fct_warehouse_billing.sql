{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['connection_id', 'charge_date'],
        on_schema_change='fail',
        post_hook="{{ record_watermark() }}",
    )
}}
-- what the warehouse charged, per WMS connection x day x warehouse customer x charge type x
-- currency (Trackstar's bills are one row per charge). Amounts are summed per currency, never
-- across currencies.
--
-- Incremental: the days (per connection) of the charges loaded since the last build are
-- recomputed from all of that day's charges; delete+insert replaces those days.
{%- set watermark = incremental_watermark() %}
with bills as (
    select
        *,
        {{ utc_date('created_at') }} as charge_date
    from {{ ref('stg_trackstar__wms_bills') }}
),

{% if watermark is not none %}
    touched_days as (
        select distinct
            connection_id,
            charge_date
        from bills
        where _dlt_load_id > '{{ watermark }}'
    ),

    scoped as (
        select bills.*
        from bills
        semi join touched_days
            on
                bills.connection_id = touched_days.connection_id
                and bills.charge_date = touched_days.charge_date
    ),
{% else %}
scoped as (
    select * from bills
),
{% endif %}

final as (
    select
        connection_id,
        charge_date,
        warehouse_customer_id,
        charge_type,
        currency_code,
        cast(sum(amount) as decimal(18, 2)) as amount,
        cast(count(*) as bigint) as charge_count,
        cast(count(distinct object_id) as bigint) as object_count
    from scoped
    where charge_date is not null  -- a charge without a date belongs to no day
    group by connection_id, charge_date, warehouse_customer_id, charge_type, currency_code
)

select * from final
