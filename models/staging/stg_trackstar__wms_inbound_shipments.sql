-- wms_inbound_shipments: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_inbound_shipments', {
        'warehouse_customer_id': 'varchar',
        'purchase_order_number': 'varchar',
        'status': 'varchar',
        'raw_status': 'varchar',
        'supplier': 'varchar',
        'supplier_object__supplier_id': 'varchar',
        'supplier_object__supplier_name': 'varchar',
        'expected_arrival_date': 'timestamptz',
        'warehouse_id': 'varchar',
        'ship_from_address__address1': 'varchar',
        'ship_from_address__address2': 'varchar',
        'ship_from_address__address3': 'varchar',
        'ship_from_address__city': 'varchar',
        'ship_from_address__state': 'varchar',
        'ship_from_address__postal_code': 'varchar',
        'ship_from_address__country': 'varchar',
        'external_system_url': 'varchar'
    }) }}
),

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('wms_inbound_shipments') }}
),

renamed as (
    select
        source.connection_id,
        source.id as inbound_shipment_id,
        {{ trackstar_record_metadata() }},
        source.warehouse_customer_id,
        source.purchase_order_number,
        lower(source.status) as status,
        source.raw_status,
        source.supplier,
        source.supplier_object__supplier_id,
        source.supplier_object__supplier_name,
        source.expected_arrival_date,
        source.warehouse_id,
        source.ship_from_address__address1,
        source.ship_from_address__address2,
        source.ship_from_address__address3,
        source.ship_from_address__city,
        source.ship_from_address__state,
        source.ship_from_address__postal_code,
        source.ship_from_address__country,
        source.external_system_url,
        deletions.deleted_at is not null as is_deleted,
        deletions.deleted_at,
        {{ dlt_columns() }}
    from source
    left join deletions
        on
            source.connection_id = deletions.connection_id
            and source.id = deletions.record_key
),

final as (
    select * from renamed
)

select * from final
