{#
    utc_date(expression): the UTC calendar date of a timestamp with time zone, whatever the
    session's TimeZone setting (day boundaries are UTC days).
#}
{% macro utc_date(expression) -%}
    cast(timezone('UTC', {{ expression }}) as date)
{%- endmacro %}


{#
    forward_fill(spine, states): for each row of `spine` (key columns + snapshot_date), the
    state (a row of `states`: key columns + valid_date + levels) in effect at the end of that
    day, i.e. the latest state with valid_date <= snapshot_date (an ASOF join), with the
    state's last_load_id.
#}
{% macro forward_fill(spine, states) -%}
    select
        {{ spine }}.snapshot_date,
        {{ spine }}.connection_id,
        {{ spine }}.inventory_item_id,
        {{ spine }}.warehouse_id,
        {{ states }}.sku,
        {{ states }}.onhand,
        {{ states }}.fulfillable,
        {{ states }}.committed,
        {{ states }}.unfulfillable,
        {{ states }}.awaiting,
        {{ states }}.sellable,
        {{ states }}.unsellable,
        {{ states }}.valid_from,
        {{ states }}.last_load_id
    from {{ spine }}
    asof inner join {{ states }}
        on {{ spine }}.connection_id = {{ states }}.connection_id
        and {{ spine }}.inventory_item_id = {{ states }}.inventory_item_id
        and {{ spine }}.warehouse_id = {{ states }}.warehouse_id
        and {{ spine }}.snapshot_date >= {{ states }}.valid_date
{%- endmacro %}
