with

source as (

    {{ select_source('wms_inbound_shipments__line_items', {
        '_dlt_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_root_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        'inventory_item_id': 'varchar',
        'sku': 'varchar',
        'expected_quantity': 'bigint',
        'received_quantity': 'bigint',
        'unit_cost': 'decimal(38, 9)',
        'external_id': 'varchar',
    }) }}

),

inbound_shipments as (

    {{ select_root_keys('wms_inbound_shipments') }}

),

renamed as (

    select
        inbound_shipments.connection_id,
        inbound_shipments.id as inbound_shipment_id,
        source.inventory_item_id,
        source.sku,
        source.expected_quantity,
        source.received_quantity,
        source.unit_cost,
        source.external_id,
        source._dlt_id,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_list_idx,
        inbound_shipments._dlt_load_id

    from source
    inner join inbound_shipments on source._dlt_root_id = inbound_shipments._dlt_id

)

select * from renamed
