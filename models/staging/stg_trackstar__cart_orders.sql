-- cart_orders: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('cart_orders', {
        'order_number': 'varchar',
        'status': 'varchar',
        'raw_status': 'varchar',
        'requested_shipping_method': 'varchar',
        'shipping_method': 'varchar',
        'shipping_method_id': 'varchar',
        'shipping_method_name': 'varchar',
        'carrier_id': 'varchar',
        'carrier_name': 'varchar',
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
        'bill_to_address__full_name': 'varchar',
        'bill_to_address__address1': 'varchar',
        'bill_to_address__address2': 'varchar',
        'bill_to_address__address3': 'varchar',
        'bill_to_address__city': 'varchar',
        'bill_to_address__state': 'varchar',
        'bill_to_address__postal_code': 'varchar',
        'bill_to_address__country': 'varchar',
        'earliest_ship_date': 'timestamptz',
        'latest_ship_date': 'timestamptz',
        'external_system_url': 'varchar'
    }) }}
),

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('cart_orders') }}
),

renamed as (
    select
        source.connection_id,
        source.id as order_id,
        {{ trackstar_record_metadata() }},
        source.order_number,
        lower(source.status) as status,
        source.raw_status,
        coalesce(source.requested_shipping_method, source.shipping_method) as requested_shipping_method,
        source.shipping_method_id,
        source.shipping_method_name,
        source.carrier_id,
        source.carrier_name,
        source.invoice_currency_code,
        source.total_price,
        source.total_tax,
        source.total_discount,
        source.total_shipping,
        {{ ship_to_address_columns() }},
        source.bill_to_address__full_name,
        source.bill_to_address__address1,
        source.bill_to_address__address2,
        source.bill_to_address__address3,
        source.bill_to_address__city,
        source.bill_to_address__state,
        source.bill_to_address__postal_code,
        source.bill_to_address__country,
        source.earliest_ship_date,
        source.latest_ship_date,
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
