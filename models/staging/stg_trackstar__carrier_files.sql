-- carrier_files: one row per raw row, renamed and typed
with source as (
    {{ select_source('carrier_files', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz',
        'trackstar_created_date': 'timestamptz',
        'trackstar_updated_date': 'timestamptz',
        'file_name': 'varchar',
        'invoice_id': 'varchar',
        'file_type': 'varchar',
        'download_url': 'varchar',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as file_id,
        source.created_date as created_at,
        source.updated_date as updated_at,
        source.trackstar_created_date as trackstar_created_at,
        source.trackstar_updated_date as trackstar_updated_at,
        source.file_name,
        source.invoice_id,
        source.file_type,
        source.download_url,
        source._dlt_load_id,
        source._dlt_id
    from source
),

final as (
    select * from renamed
)

select * from final
