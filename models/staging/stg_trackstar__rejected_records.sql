-- rejected_records: records Trackstar served that could not land (no id, a cursor that is not a
-- date, a list that is not a list), set aside by the pipeline with the reason; the cursor of
-- their resource stayed before them, so a corrected record is read again by a later run
with source as (
    {{ select_root_source('rejected_records', {
        'run_id': 'varchar',
        'connection_id': 'varchar',
        'resource': 'varchar',
        'record_key': 'varchar',
        'reason': 'varchar',
        'cursor_value': 'varchar',
        'record': 'json',
        'observed_at': 'timestamptz'
    }) }}
),

renamed as (
    select
        source.run_id,
        source.connection_id,
        source.resource,
        source.record_key,
        source.reason,
        source.cursor_value,
        source.record,
        source.observed_at,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
