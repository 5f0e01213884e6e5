{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['connection_id', 'line_item_id'],
        on_schema_change='fail',
        post_hook="{{ record_watermark() }}",
    )
}}
-- carrier charges kept as a table: one row per carrier connection x line item (its latest
-- version), with the columns fct_shipment_costs rolls up (costs already decimal(18,2)). Incremental: line
-- items loaded since the last build replace their previous version (delete+insert on the key),
-- so an hourly build reads only the new charges, and fct_shipment_costs re-aggregates the
-- tracking numbers they touch from this table instead of re-reading every raw charge.
{%- set watermark = incremental_watermark() %}
with line_items as (
    select * from {{ ref('stg_trackstar__carrier_invoice_line_items') }}
    {% if watermark is not none -%}
        where _dlt_load_id > '{{ watermark }}'
    {%- endif %}
),

final as (
    select
        connection_id,
        line_item_id,
        invoice_id,
        tracking_number,
        transaction_date,
        cast(net_cost as decimal(18, 2)) as net_cost,
        cast(gross_cost as decimal(18, 2)) as gross_cost,
        _dlt_load_id
    from line_items
)

select * from final
