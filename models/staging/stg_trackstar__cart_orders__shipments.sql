-- cart_orders__shipments: dlt child table of cart_orders; connection_id and order_id come from its root row
with source as (
    {{ select_child_source('cart_orders__shipments', {
        'shipment_id': 'varchar',
        'raw_status': 'varchar',
        'status': 'varchar',
        'warehouse_id': 'varchar',
        'shipping_method_id': 'varchar',
        'shipping_method': 'varchar',
        'shipping_method_name': 'varchar',
        'carrier_id': 'varchar',
        'carrier_name': 'varchar',
        'carrier': 'varchar',
        'tracking_number': 'varchar',
        'tracking_url': 'varchar',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz'
    }) }}
),

root as (
    {{ select_root_keys('cart_orders', 'order_id') }}
),

renamed as (
    select
        root.connection_id,
        root.order_id,
        source.shipment_id,
        source.raw_status,
        lower(source.status) as status,
        source.warehouse_id,
        coalesce(source.shipping_method_id, source.shipping_method) as shipping_method_id,
        source.shipping_method_name,
        source.carrier_id,
        coalesce(source.carrier_name, source.carrier) as carrier_name,
        source.tracking_number,
        source.tracking_url,
        source.created_date as created_at,
        source.updated_date as updated_at,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
