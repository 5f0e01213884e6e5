with

source as (

    {{ select_source('wms_inbound_shipments__receipts__line_items', {
        '_dlt_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_root_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        'inventory_item_id': 'varchar',
        'sku': 'varchar',
        'quantity': 'bigint',
    }) }}

),

inbound_shipments as (

    {{ select_root_keys('wms_inbound_shipments') }}

),

receipts as (

    {{ select_source('wms_inbound_shipments__receipts', {
        '_dlt_id': 'varchar',
        'id': 'varchar',
    }) }}

),

renamed as (

    select
        inbound_shipments.connection_id,
        inbound_shipments.id as inbound_shipment_id,
        receipts.id as receipt_id,
        source.inventory_item_id,
        source.sku,
        source.quantity,
        source._dlt_id,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_list_idx,
        inbound_shipments._dlt_load_id

    from source
    inner join inbound_shipments on source._dlt_root_id = inbound_shipments._dlt_id
    left join receipts on source._dlt_parent_id = receipts._dlt_id

)

select * from renamed
