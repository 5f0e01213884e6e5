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
--
-- A new version may carry another tracking number than the one it replaces (a corrected
-- label): the charge then leaves the old tracking number, which fct_shipment_costs must
-- recompute too, though no current row names it. So each row keeps the tracking numbers of
-- its line item's earlier versions (previous_tracking_numbers, read from this table before
-- the replace). A full refresh starts them empty: fct_shipment_costs is then rebuilt too.
{%- set watermark = incremental_watermark() %}
with line_items as (
    select * from {{ ref('stg_trackstar__carrier_invoice_line_items') }}
    {% if watermark is not none -%}
        where _dlt_load_id > '{{ watermark }}'
    {%- endif %}
),

{% if watermark is not none %}
    previous as (
        select
            connection_id,
            line_item_id,
            tracking_number,
            previous_tracking_numbers
        from {{ this }}
    ),
{% endif %}

final as (
    select
        line_items.connection_id,
        line_items.line_item_id,
        line_items.invoice_id,
        line_items.tracking_number,
        line_items.transaction_date,
        cast(line_items.net_cost as decimal(18, 2)) as net_cost,
        cast(line_items.gross_cost as decimal(18, 2)) as gross_cost,
        {% if watermark is not none -%}
            -- (list_distinct drops nulls: none for a new line item)
            list_distinct(coalesce(previous.previous_tracking_numbers, []) || [previous.tracking_number])
        {%- else -%}
            cast([] as varchar [])
        {%- endif %} as previous_tracking_numbers,
        line_items._dlt_load_id
    from line_items
    {% if watermark is not none -%}
        left join previous
            on
                line_items.connection_id = previous.connection_id
                and line_items.line_item_id = previous.line_item_id
    {%- endif %}
)

select * from final
