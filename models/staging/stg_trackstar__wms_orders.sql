-- wms_orders: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_orders', {
        'warehouse_customer_id': 'varchar',
        'warehouse_id': 'varchar',
        'reference_id': 'varchar',
        'order_number': 'varchar',
        'status': 'varchar',
        'raw_status': 'varchar',
        'channel': 'varchar',
        'type': 'varchar',
        'trading_partner': 'varchar',
        'shipping_method': 'varchar',
        'is_third_party_freight': 'boolean',
        'invoice_currency_code': 'varchar',
        'total_price': 'decimal(18,2)',
        'total_tax': 'decimal(18,2)',
        'total_discount': 'decimal(18,2)',
        'total_shipping': 'decimal(18,2)',
        'required_ship_date': 'timestamptz',
        'saturday_delivery': 'boolean',
        'signature_required': 'boolean',
        'external_system_url': 'varchar',
        'ship_to_address__name': 'varchar',
        'ship_to_address__address1': 'varchar',
        'ship_to_address__city': 'varchar',
        'ship_to_address__state': 'varchar',
        'ship_to_address__zip_code': 'varchar',
        'ship_to_address__country': 'varchar',
        'ship_to_address__phone_number': 'varchar',
        'ship_to_address__email': 'varchar',
        'channel_object__channel_id': 'varchar',
        'channel_object__channel_name': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as order_id,
        {{ trackstar_record_metadata() }},
        source.warehouse_customer_id,
        source.warehouse_id,
        source.reference_id,
        source.order_number,
        lower(source.status) as status,
        source.raw_status,
        source.channel,
        source.type,
        source.trading_partner,
        source.shipping_method,
        source.is_third_party_freight,
        source.invoice_currency_code,
        source.total_price,
        source.total_tax,
        source.total_discount,
        source.total_shipping,
        source.required_ship_date,
        source.saturday_delivery,
        source.signature_required,
        source.external_system_url,
        source.ship_to_address__name,
        source.ship_to_address__address1,
        source.ship_to_address__city,
        source.ship_to_address__state,
        source.ship_to_address__zip_code,
        source.ship_to_address__country,
        source.ship_to_address__phone_number,
        source.ship_to_address__email,
        source.channel_object__channel_id,
        source.channel_object__channel_name,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
