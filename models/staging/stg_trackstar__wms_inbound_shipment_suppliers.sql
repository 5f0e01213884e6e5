-- wms_inbound_shipment_suppliers: one row per raw row, renamed and typed
with source as (
    {{ select_root_source('wms_inbound_shipment_suppliers', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'name': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as supplier_id,
        source.name,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
