{#
    Generic data tests this project needs (dbt_utils is not installable here).
#}

{#
    unique_combination_of_columns: no two rows share the values of `combination_of_columns`
    (the grain of a model whose key has several columns). Fails with each duplicated key and
    how often it occurs. On incremental builds, only the keys of new rows (see below).
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {%- set columns_csv = combination_of_columns | join(', ') %}
    {%- set watermark = data_tests_watermark() %}
    {%- if watermark is none %}
    select
        {{ columns_csv }},
        count(*) as occurrences
    from {{ model }}
    group by {{ columns_csv }}
    having count(*) > 1
    {%- else %}
    {#-
        The keys of rows loaded since the last passing build, counted over all rows. Keys are
        matched with `=`, which lets DuckDB filter the scans of a child view (a join of its
        whole child table to its root) by the new keys; `is not distinct from` would not, so
        keys with a null in them are matched that way in a second pass of their own, which is
        usually empty. (Subqueries, not a CTE: a CTE read twice is materialized, which hides
        the keys from the scans again.)
    #}
    {%- set any_null = '(' ~ combination_of_columns | join(' is null or ') ~ ' is null)' %}
    {%- for null_keys in [false, true] %}
    select
        {% for column in combination_of_columns -%}
        model.{{ column }},
        {% endfor -%}
        count(*) as occurrences
    from {{ model }} as model
    semi join (
        select distinct {{ columns_csv }}
        from {{ model }}
        where {{ new_rows(watermark) }} and {{ any_null if null_keys else 'not ' ~ any_null }}
    ) as new_keys
        on
            {% for column in combination_of_columns -%}
            model.{{ column }} {{ 'is not distinct from' if null_keys else '=' }} new_keys.{{ column }}
            {{- " and" if not loop.last }}
            {% endfor %}
    group by {{ columns_csv }}
    having count(*) > 1
    {{- "\n    union all" if not loop.last }}
    {%- endfor %}
    {%- endif %}
{% endtest %}


{#
    expression_is_true: every row satisfies `expression` (a SQL boolean; null counts as a failure
    unless the expression handles it).
#}
{% test expression_is_true(model, expression, column_name=none) %}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
{% endtest %}


{#
    relationships_where: like `relationships`, but only for rows of the model that match
    `from_condition` (e.g. matched shipment costs must point at an existing order; unmatched
    ones have no order).
#}
{% test relationships_where(model, column_name, to, field, from_condition='true') %}
    select child.{{ column_name }}
    from {{ model }} as child
    anti join {{ to }} as parent on parent.{{ field }} = child.{{ column_name }}
    where {{ from_condition }}
        and child.{{ column_name }} is not null
{% endtest %}


{#
    relationships_multi: every row's composite key (columns) exists in `to` (fields, in the
    same order); rows with a null in the key are skipped.
#}
{% test relationships_multi(model, columns, to, fields, from_condition='true') %}
    {% set child_columns, key_matches = [], [] %}
{% for column in columns %}
    {% do child_columns.append('child.' ~ column) %}
    {% do key_matches.append('parent.' ~ fields[loop.index0] ~ ' = child.' ~ column) %}
{% endfor %}
    select {{ child_columns | join(', ') }}
    from {{ model }} as child
    anti join {{ to }} as parent on {{ key_matches | join(' and ') }}
    where {{ from_condition }}
        and {{ child_columns | join(' is not null and ') }} is not null
{% endtest %}
