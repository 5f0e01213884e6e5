with

source as (

    {{ select_source('carrier_files', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'file_name': 'varchar',
        'invoice_id': 'varchar',
        'file_type': 'varchar',
        'download_url': 'varchar',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz',
        'trackstar_created_date': 'timestamptz',
        'trackstar_updated_date': 'timestamptz',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar',
    }) }}

),

renamed as (

    select
        connection_id,
        id as file_id,
        file_name,
        invoice_id,
        file_type,
        download_url,
        created_date as created_at,
        updated_date as updated_at,
        trackstar_created_date as trackstar_created_at,
        trackstar_updated_date as trackstar_updated_at,
        _dlt_load_id,
        _dlt_id

    from source

)

select * from renamed
