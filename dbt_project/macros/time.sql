{#
    utc_date(expression): the UTC calendar date of a timestamp with time zone, whatever the
    session's TimeZone setting (day boundaries are UTC days).
#}
{% macro utc_date(expression) -%}
    cast(timezone('UTC', {{ expression }}) as date)
{%- endmacro %}


{#
    forward_fill(spine, states): for each row of `spine` (key columns + snapshot_date), the
    state (a row of `states`: key columns + valid_date + the levels) in effect at the end of
    that day, i.e. the latest state with valid_date <= snapshot_date (an ASOF join).
#}
{% macro forward_fill(spine, states) -%}
    select
        {{ spine }}.*,
        {{ states }}.* exclude (connection_id, inventory_item_id, warehouse_id, valid_date)
    from {{ spine }}
    asof inner join {{ states }}
        on {{ spine }}.connection_id = {{ states }}.connection_id
        and {{ spine }}.inventory_item_id = {{ states }}.inventory_item_id
        and {{ spine }}.warehouse_id = {{ states }}.warehouse_id
        and {{ spine }}.snapshot_date >= {{ states }}.valid_date
{%- endmacro %}
