with

source as (

    {{ select_source('wms_inbound_shipment_suppliers', {
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
        id as supplier_id,
        name as supplier_name,
        _dlt_load_id,
        _dlt_id

    from source

)

select * from renamed
