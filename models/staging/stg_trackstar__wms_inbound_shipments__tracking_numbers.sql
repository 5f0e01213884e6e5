-- wms_inbound_shipments__tracking_numbers: dlt child table of wms_inbound_shipments; connection_id and inbound_shipment_id come from its root row
with source as (
    {{ select_child_source('wms_inbound_shipments__tracking_numbers', {
        'value': 'varchar'
    }) }}
),

root as (
    {{ select_root_keys('wms_inbound_shipments', 'inbound_shipment_id') }}
),

renamed as (
    select
        root.connection_id,
        root.inbound_shipment_id,
        source.value,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
