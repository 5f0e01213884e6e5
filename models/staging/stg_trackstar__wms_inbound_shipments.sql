-- wms_inbound_shipments: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_inbound_shipments', {
        'warehouse_customer_id': 'varchar',
        'warehouse_id': 'varchar',
        'purchase_order_number': 'varchar',
        'status': 'varchar',
        'raw_status': 'varchar',
        'supplier': 'varchar',
        'expected_arrival_date': 'timestamptz'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as inbound_shipment_id,
        {{ trackstar_record_metadata() }},
        source.warehouse_customer_id,
        source.warehouse_id,
        source.purchase_order_number,
        lower(source.status) as status,
        source.raw_status,
        source.supplier,
        source.expected_arrival_date,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
