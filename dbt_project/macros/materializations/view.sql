{#
    The view materialization, for DuckDB: a view whose definition and documentation are the
    ones it was last built with is left as it is instead of being recreated.

    Every `dbt build` would otherwise drop and recreate each staging and intermediate view
    (about ten catalog statements and a commit per view, plus a comment per documented column)
    although their SQL changes only with the project or with the raw schema (select_source
    compiles to the raw table's current columns, so a new raw column changes the SQL). After
    building a view, its checksum (compiled SQL, description, column descriptions, persist_docs)
    is stored in intermediate.incremental_watermarks as `view:<schema>.<name>`; the next build
    skips the view when the checksum is the same and the view exists. `--full-refresh`, hooks,
    or any difference fall back to dbt's default view materialization.
#}
{% materialization view, adapter='duckdb' -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set key = 'view:' ~ this.schema ~ '.' ~ this.identifier -%}
    {%- set column_docs = [] -%}
    {%- for name, column in model.columns.items() -%}
        {%- do column_docs.append([name, column.description]) -%}
    {%- endfor -%}
    {%- set checksum = local_md5(
        sql ~ '\n' ~ tojson([model.description, column_docs, config.get('persist_docs', {})])
    ) -%}
    {%- if existing_relation is not none and existing_relation.is_view and not should_full_refresh()
        and not pre_hooks and not post_hooks and (stored_watermark(key) or [none, none])[1] == checksum -%}
        {%- call noop_statement('main', 'view unchanged', 'OK') -%}{%- endcall -%}
        {{ return({'relations': [this.incorporate(type='view')]}) }}
    {%- endif -%}
    {%- set result = dbt.materialization_view_default() -%}
    {%- call statement('record_view_checksum') -%}
        {{ record_watermark(fingerprint=checksum, name=key) }}
    {%- endcall -%}
    {%- do adapter.commit() -%}
    {{ return(result) }}
{%- endmaterialization %}
