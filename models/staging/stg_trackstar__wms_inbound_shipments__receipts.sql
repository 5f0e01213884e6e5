with

source as (

    {{ select_source('wms_inbound_shipments__receipts', {
        '_dlt_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_root_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        'id': 'varchar',
        'arrived_date': 'timestamptz',
    }) }}

),

inbound_shipments as (

    {{ select_root_keys('wms_inbound_shipments') }}

),

renamed as (

    select
        inbound_shipments.connection_id,
        inbound_shipments.id as inbound_shipment_id,
        source.id as receipt_id,
        source.arrived_date as arrived_at,
        source._dlt_id,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_list_idx,
        inbound_shipments._dlt_load_id

    from source
    inner join inbound_shipments on source._dlt_root_id = inbound_shipments._dlt_id

)

select * from renamed
