with

source as (

    {{ select_source('cart_warehouses', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'name': 'varchar',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz',
        'trackstar_created_date': 'timestamptz',
        'trackstar_updated_date': 'timestamptz',
        'trackstar_tags': 'json',
        'additional_fields': 'json',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar',
    }) }}

),

renamed as (

    select
        connection_id,
        id as warehouse_id,
        name as warehouse_name,
        created_date as created_at,
        updated_date as updated_at,
        trackstar_created_date as trackstar_created_at,
        trackstar_updated_date as trackstar_updated_at,
        trackstar_tags,
        additional_fields,
        _dlt_load_id,
        _dlt_id

    from source

)

select * from renamed
