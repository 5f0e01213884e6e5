-- wms_inbound_shipment_suppliers: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_inbound_shipment_suppliers', {
        'name': 'varchar',
        'warehouse_customer_id': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as supplier_id,
        {{ trackstar_record_metadata() }},
        source.name,
        source.warehouse_customer_id,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
