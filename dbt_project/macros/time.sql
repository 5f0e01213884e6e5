{#
    UTC day arithmetic that does not depend on the session's TimeZone setting (the profile sets
    UTC, but a reader of the compiled SQL should not have to know that).
#}

{# The UTC calendar day of a timestamp with time zone. #}
{% macro utc_date(timestamp_expr) -%}
    cast(timezone('UTC', {{ timestamp_expr }}) as date)
{%- endmacro %}

{# The instant a UTC calendar day starts, as a timestamp with time zone. #}
{% macro utc_day_start(date_expr) -%}
    timezone('UTC', cast({{ date_expr }} as timestamp))
{%- endmacro %}

{# Hours between two timestamps, to the minute (2 decimals); null when either is null. #}
{% macro hours_between(start_expr, end_expr) -%}
    cast(round(date_diff('second', {{ start_expr }}, {{ end_expr }}) / 3600.0, 2) as decimal(12, 2))
{%- endmacro %}
