{#
    Incremental bookkeeping for marts whose public contract has no bookkeeping column
    (fct_shipment_costs, fct_order_lifecycle).

    Such a mart records, in the same transaction as its rows (a post-hook), the newest dlt load
    it has seen: the greatest load_id of trackstar_raw._dlt_loads, i.e. of the loads dlt had
    completed when the mart was built. Its next incremental build recomputes only the keys
    touched by raw rows with a newer _dlt_load_id. The table lives in schema `intermediate`
    (not published):

        intermediate.incremental_watermarks(model, load_id, fingerprint, built_at)

    `fingerprint` is an optional digest of small inputs that the mart depends on as a whole
    (e.g. which customer each connection belongs to); when it differs from the current one the
    next build recomputes every key, as it does when the watermark is missing. A completed load
    is never loaded into again (dlt finishes or resumes the pending package before a new one),
    so rows newer than the watermark are exactly the rows the mart has not seen; rows of a
    package still pending have a load id newer than the watermark and are picked up again later.
#}

{% macro watermark_relation() -%}
    {{ return(api.Relation.create(
        database=target.database, schema='intermediate', identifier='incremental_watermarks', type='table'
    )) }}
{%- endmacro %}


{#
    stored_watermark(name): the row (load_id, fingerprint) stored under `name`, or none when
    there is none (or no watermarks table yet).
#}
{% macro stored_watermark(name) -%}
    {%- set relation = watermark_relation() -%}
    {%- set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) -%}
    {%- if existing is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set result = run_query("select load_id, fingerprint from " ~ existing ~ " where model = '" ~ name ~ "'") -%}
    {{ return(result.rows[0] if result.rows | length > 0 else none) }}
{%- endmacro %}


{#
    incremental_watermark(fingerprint=none): the load id this model's last build recorded, as
    a string to compare _dlt_load_id with, when the build is incremental and that state is
    usable; none otherwise (a full refresh, a first build, a missing watermark, or a changed
    fingerprint), in which case the model recomputes every key.
#}
{% macro incremental_watermark(fingerprint=none) -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set row = stored_watermark(this.identifier) -%}
    {%- if row is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if row[1] != fingerprint -%}
        {{ log(this.identifier ~ ': inputs changed as a whole (fingerprint), recomputing every key', info=true) }}
        {{ return(none) }}
    {%- endif -%}
    {{ return(row[0]) }}
{%- endmacro %}


{#
    record_watermark(fingerprint=none, name=none): SQL that stores the newest completed dlt
    load (and the fingerprint the build used) as the watermark of this model (a post-hook), or
    of `name`.
#}
{% macro record_watermark(fingerprint=none, name=none) -%}
    {%- set relation = watermark_relation() -%}
    {%- set loads = adapter.get_relation(
        database=target.database, schema=var('trackstar_raw_schema'), identifier='_dlt_loads'
    ) if execute else none -%}
    {%- set newest_load = "coalesce((select max(load_id) from " ~ loads ~ "), '')" if loads is not none else "''" -%}
    insert or replace into {{ relation }} (model, load_id, fingerprint, built_at)
    select
        '{{ name or this.identifier }}',
        {{ newest_load }},
        {{ "'" ~ fingerprint ~ "'" if fingerprint is not none else 'null' }},
        now()
{%- endmacro %}


{#
    create_watermarks_table(): on-run-start; creates the watermarks table once per run, before
    the threads that write into it start (two threads creating it would conflict).
#}
{% macro create_watermarks_table() -%}
    {%- set relation = watermark_relation() -%}
    create schema if not exists {{ relation.include(identifier=false) }};
    create table if not exists {{ relation }} (
        model varchar primary key,
        load_id varchar not null,
        fingerprint varchar,
        built_at timestamptz not null
    )
{%- endmacro %}


{#
    connections_fingerprint(): digest of which customer every connection belongs to (carrier
    charges match orders of the same customer), computed when the model is built.
#}
{% macro connections_fingerprint() -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set result = run_query(
        "select md5(coalesce(string_agg(connection_id || '=' || coalesce(customer_id, ''), ',' "
        ~ "order by connection_id), '')) from " ~ ref('stg_trackstar__connections')
    ) -%}
    {{ return(result.rows[0][0]) }}
{%- endmacro %}
