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
        'channel_object__channel_id': 'varchar',
        'channel_object__channel_name': 'varchar',
        'type': 'varchar',
        'trading_partner': 'varchar',
        'shipping_method': 'varchar',
        'service_level': 'varchar',
        'shipping_method_id': 'varchar',
        'shipping_method_name': 'varchar',
        'carrier_id': 'varchar',
        'carrier_name': 'varchar',
        'scac': 'varchar',
        'is_third_party_freight': 'boolean',
        'third_party_freight_account_number': 'varchar',
        'first_party_freight_account_number': 'varchar',
        'invoice_currency_code': 'varchar',
        'total_price': 'decimal(18,2)',
        'total_tax': 'decimal(18,2)',
        'total_discount': 'decimal(18,2)',
        'total_shipping': 'decimal(18,2)',
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
        'required_ship_date': 'timestamptz',
        'saturday_delivery': 'boolean',
        'signature_required': 'boolean',
        'international_duty_paid_by': 'varchar',
        'external_system_url': 'varchar'
    }) }}
),

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('wms_orders') }}
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
        source.channel_object__channel_id,
        source.channel_object__channel_name,
        source.type,
        source.trading_partner,
        source.shipping_method,
        source.service_level,
        source.shipping_method_id,
        source.shipping_method_name,
        source.carrier_id,
        source.carrier_name,
        source.scac,
        source.is_third_party_freight,
        source.third_party_freight_account_number,
        source.first_party_freight_account_number,
        source.invoice_currency_code,
        source.total_price,
        source.total_tax,
        source.total_discount,
        source.total_shipping,
        {{ ship_to_address_columns() }},
        source.required_ship_date,
        source.saturday_delivery,
        source.signature_required,
        source.international_duty_paid_by,
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
