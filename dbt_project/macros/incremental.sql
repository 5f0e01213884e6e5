{#
    Incremental bookkeeping shared by the incremental marts.

    Every incremental mart has a `last_load_id` column: the newest dlt load
    (trackstar_raw._dlt_loads.load_id, an epoch-seconds string) whose rows the row reflects.
    dlt rewrites a root row (and its child rows) with the new load id whenever the record
    changes, and appends history rows with the load that saw them, so "rows with
    _dlt_load_id > the mart's newest last_load_id" are exactly what changed since the last
    build. Load ids of one warehouse all have the same number of integer digits, so they
    compare correctly as strings.
#}

{# The newest load a mart has processed ('' when the mart is empty): a scalar subquery. #}
{% macro load_watermark(relation=this) -%}
    (select coalesce(max(last_load_id), '') from {{ relation }})
{%- endmacro %}
