{#
    shipment_cost_rollup(relation): carrier invoice line items rolled up per carrier connection
    and tracking number. Costs are cast to decimal(18,2) before summing, so totals are exact to
    the cent (no float drift, no rounding of a sum).
#}
{% macro shipment_cost_rollup(relation) -%}
    select
        connection_id,
        tracking_number,
        cast(sum(cast(net_cost as decimal(18, 2))) as decimal(18, 2)) as net_cost,
        cast(sum(cast(gross_cost as decimal(18, 2))) as decimal(18, 2)) as gross_cost,
        cast(count(*) as bigint) as charge_count,
        string_agg(distinct invoice_id, ',' order by invoice_id) as invoice_ids,
        min(transaction_date) as first_transaction_date,
        max(transaction_date) as last_transaction_date
    from {{ relation }}
    where tracking_number is not null
    group by connection_id, tracking_number
{%- endmacro %}
