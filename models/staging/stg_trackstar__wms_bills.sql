with

source as (

    {{ select_source('wms_bills', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'bill_number': 'varchar',
        'warehouse_customer_id': 'varchar',
        'total': 'decimal(38, 9)',
        'currency': 'varchar',
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
        id as bill_id,
        bill_number,
        warehouse_customer_id,
        total as bill_total,
        currency as currency_code,
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
