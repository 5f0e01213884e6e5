{#
    Data tests on incremental builds: new rows only, where that is as strong as a full scan.

    Staging and intermediate relations carry the dlt load of every row (_dlt_load_id; a child
    row carries its root's, and changes only with it); dbt_project.yml gives their data tests
    `meta: {new_rows_only: true}`. Rows change only through loads, so when
    a build's tests all passed, every row loaded up to then satisfies them; the next build only
    has to test the rows loaded since. For uniqueness that means the keys of the new rows,
    counted over all rows (a new row that duplicates an old one is caught).

    After a `dbt build` that built every model and in which every data test passed, on-run-end
    records the newest completed load as the watermark `__data_tests__`
    (intermediate.incremental_watermarks). The generic tests below then test only rows with a
    newer _dlt_load_id. Every row is tested when:
    - the build is a full refresh (`dbt build --full-refresh`), or
    - the var `data_tests_full_scan` is true (`dbt build --vars '{data_tests_full_scan: true}'`,
      for CI or a periodic deep check), or
    - no build has passed yet (no watermark), or the test is not `new_rows_only` (the marts'
      tests always scan every row).
#}
{% macro data_tests_full_scan() -%}
    {{ return(flags.FULL_REFRESH or var('data_tests_full_scan', false)) }}
{%- endmacro %}


{% macro data_tests_watermark() -%}
    {#- read at compile time, so the filter is a constant DuckDB can push into the scans -#}
    {%- if not execute or data_tests_full_scan() or not config.get('meta', {}).get('new_rows_only', false) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set row = stored_watermark('__data_tests__') -%}
    {{ return(row[0] if row is not none else none) }}
{%- endmacro %}


{#- new_rows(watermark): the rows a test checks: those loaded after `watermark`, or all (none) -#}
{% macro new_rows(watermark) -%}
    {{ return("_dlt_load_id > '" ~ watermark ~ "'" if watermark is not none else 'true') }}
{%- endmacro %}


{#
    on-run-end: record the data tests' watermark after a `dbt build` in which every model of the
    project was built and every data test passed (see above). Which flags chose the nodes does
    not matter (the hourly build excludes unit tests, for one); a build that left out or failed
    any model or data test keeps the previous watermark.
#}
{% macro record_data_tests_watermark(results) -%}
    {%- set all_passed = false -%}
    {%- if execute and flags.WHICH == 'build' -%}
        {%- set ok = results | selectattr('status', 'in', ['success', 'pass'])
            | map(attribute='node.unique_id') | list -%}
        {%- set required = graph.nodes.values() | selectattr('resource_type', 'in', ['model', 'test'])
            | map(attribute='unique_id') | list -%}
        {%- set all_passed = required | length > 0 and required | reject('in', ok) | list | length == 0 -%}
    {%- endif -%}
    {%- if all_passed -%}
        {{ record_watermark(name='__data_tests__') }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}


{% macro default__test_not_null(model, column_name) %}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} is null and {{ new_rows(data_tests_watermark()) }}
{% endmacro %}


{% macro default__test_accepted_values(model, column_name, values, quote=True) %}
{%- set accepted = ("'" ~ values | join("', '") ~ "'") if quote else values | join(', ') %}
    with all_values as (
        select
            {{ column_name }} as value_field,
            count(*) as n_records
        from {{ model }}
        where {{ new_rows(data_tests_watermark()) }}
        group by {{ column_name }}
    )

    select *
    from all_values
    where value_field not in ({{ accepted }})
{% endmacro %}
