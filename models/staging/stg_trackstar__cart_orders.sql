-- cart_orders: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('cart_orders', {
        'order_number': 'varchar',
        'reference_id': 'varchar',
        'status': 'varchar',
        'raw_status': 'varchar',
        'channel': 'varchar',
        'currency_code': 'varchar',
        'total_price': 'decimal(18,2)',
        'total_tax': 'decimal(18,2)',
        'total_discount': 'decimal(18,2)',
        'total_shipping': 'decimal(18,2)',
        'external_system_url': 'varchar',
        'ship_to_address__name': 'varchar',
        'ship_to_address__address1': 'varchar',
        'ship_to_address__city': 'varchar',
        'ship_to_address__state': 'varchar',
        'ship_to_address__zip_code': 'varchar',
        'ship_to_address__country': 'varchar',
        'customer__email': 'varchar',
        'customer__name': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as order_id,
        {{ trackstar_record_metadata() }},
        source.order_number,
        source.reference_id,
        lower(source.status) as status,
        source.raw_status,
        source.channel,
        source.currency_code,
        source.total_price,
        source.total_tax,
        source.total_discount,
        source.total_shipping,
        source.external_system_url,
        source.ship_to_address__name,
        source.ship_to_address__address1,
        source.ship_to_address__city,
        source.ship_to_address__state,
        source.ship_to_address__zip_code,
        source.ship_to_address__country,
        source.customer__email,
        source.customer__name,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
