-- carrier_files: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('carrier_files', {
        'file_name': 'varchar',
        'invoice_id': 'varchar',
        'file_type': 'varchar',
        'download_url': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as file_id,
        {{ trackstar_timestamps() }},
        source.file_name,
        source.invoice_id,
        source.file_type,
        source.download_url,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
