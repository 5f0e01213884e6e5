-- wms_orders__shipments: dlt child table of wms_orders; connection_id and order_id come from its root row
with source as (
    {{ select_child_source('wms_orders__shipments', {
        'shipment_id': 'varchar',
        'warehouse_id': 'varchar',
        'raw_status': 'varchar',
        'status': 'varchar',
        'shipped_date': 'timestamptz',
        'shipping_method': 'varchar',
        'ship_to_address__full_name': 'varchar',
        'ship_to_address__name': 'varchar',
        'ship_to_address__company': 'varchar',
        'ship_to_address__address1': 'varchar',
        'ship_to_address__address2': 'varchar',
        'ship_to_address__address3': 'varchar',
        'ship_to_address__city': 'varchar',
        'ship_to_address__state': 'varchar',
        'ship_to_address__postal_code': 'varchar',
        'ship_to_address__zip_code': 'varchar',
        'ship_to_address__country': 'varchar',
        'ship_to_address__phone_number': 'varchar',
        'ship_to_address__email_address': 'varchar',
        'ship_to_address__email': 'varchar',
        'ship_from_address__address1': 'varchar',
        'ship_from_address__address2': 'varchar',
        'ship_from_address__address3': 'varchar',
        'ship_from_address__city': 'varchar',
        'ship_from_address__state': 'varchar',
        'ship_from_address__postal_code': 'varchar',
        'ship_from_address__country': 'varchar'
    }) }}
),

root as (
    {{ select_root_keys('wms_orders', 'order_id') }}
),

renamed as (
    select
        root.connection_id,
        root.order_id,
        source.shipment_id,
        source.warehouse_id,
        source.raw_status,
        lower(source.status) as status,
        source.shipped_date,
        source.shipping_method,
        {{ ship_to_address_columns() }},
        source.ship_from_address__address1,
        source.ship_from_address__address2,
        source.ship_from_address__address3,
        source.ship_from_address__city,
        source.ship_from_address__state,
        source.ship_from_address__postal_code,
        source.ship_from_address__country,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
