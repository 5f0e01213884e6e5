with

source as (

    {{ select_source('wms_order_channels', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'name': 'varchar',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar',
    }) }}

),

renamed as (

    select
        connection_id,
        id as channel_id,
        name as channel_name,
        _dlt_load_id,
        _dlt_id

    from source

)

select * from renamed
