-- carrier_files: one row per raw invoice file of a carrier connection. Trackstar documents no id
-- and no Trackstar dates for files: a file is the pair (file_name, generated_time); its
-- download_url is presigned and expires 20 minutes after the run that read it
with source as (
    {{ select_root_source('carrier_files', {
        'connection_id': 'varchar',
        'file_name': 'varchar',
        'generated_time': 'timestamptz',
        'file_type': 'varchar',
        'download_url': 'varchar',
        'download_url_expires_at': 'timestamptz'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.file_name,
        source.generated_time as generated_at,
        source.file_type,
        source.download_url,
        source.download_url_expires_at,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
