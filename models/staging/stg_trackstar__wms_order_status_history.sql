with

source as (

    {{ select_source('wms_order_status_history', {
        'connection_id': 'varchar',
        'order_id': 'varchar',
        'status': 'varchar',
        'raw_status': 'varchar',
        'updated_date': 'timestamptz',
        'trackstar_updated_date': 'timestamptz',
        'observed_at': 'timestamptz',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar',
    }) }}

),

renamed as (

    select
        connection_id,
        order_id,
        status,
        raw_status,
        updated_date as updated_at,
        trackstar_updated_date as trackstar_updated_at,
        observed_at,
        _dlt_load_id,
        _dlt_id

    from source

)

select * from renamed
