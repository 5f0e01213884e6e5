{#- integration_fields_since(): the start of the window the null shares are observed over: the
    var integration_fields_observed_days before the newest read of GET /connections (Trackstar's
    clock), as a literal (a constant the scans can prune with) -#}
{% macro integration_fields_since() -%}
    {%- set days = var('integration_fields_observed_days') | int -%}
    {%- if execute -%}
        {%- set relation = source('trackstar', 'connections') -%}
        {%- set existing = adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier
        ) -%}
        {%- if existing is not none -%}
            {%- set result = run_query(
                "select strftime(max(observed_at) - interval " ~ days ~ " day, '%Y-%m-%d %H:%M:%S+00') from " ~ existing
            ) -%}
            {%- if result.rows and result.rows[0][0] -%}
                {{ return(result.rows[0][0]) }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {{ return('1970-01-01 00:00:00+00') }}
{%- endmacro %}
