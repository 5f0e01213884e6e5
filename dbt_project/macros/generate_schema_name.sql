{#
    A model's schema is exactly its configured `schema` (staging, intermediate, analytics), not
    dbt's default `<target schema>_<custom schema>`: BI tools query `analytics.fct_...` whatever
    the target. Models without a custom schema land in the target schema.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
