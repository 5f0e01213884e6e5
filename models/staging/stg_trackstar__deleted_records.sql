-- deleted_records: what Trackstar no longer has, one event per change of a key: `deleted` when
-- a complete listing (every page read) no longer held a key the warehouse has, `restored` when
-- a key marked deleted was listed or read again; `connections` keys are connections that
-- GET /connections no longer lists. The latest event of a key is its state.
with source as (
    {{ deleted_records_source() }}
),

renamed as (
    select
        source.run_id,
        source.connection_id,
        source.resource,
        source.record_key,
        source.event,
        source.event = 'deleted' as is_deleted,
        source.observed_at,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
