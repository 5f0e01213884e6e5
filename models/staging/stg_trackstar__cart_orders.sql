-- cart_orders: one row per raw row, renamed and typed
with source as (
    {{ select_source('cart_orders', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz',
        'trackstar_created_date': 'timestamptz',
        'trackstar_updated_date': 'timestamptz',
        'trackstar_tags': 'json',
        'additional_fields': 'json',
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
        'customer__name': 'varchar',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as order_id,
        source.created_date as created_at,
        source.updated_date as updated_at,
        source.trackstar_created_date as trackstar_created_at,
        source.trackstar_updated_date as trackstar_updated_at,
        source.trackstar_tags,
        source.additional_fields,
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
        source._dlt_load_id,
        source._dlt_id
    from source
),

final as (
    select * from renamed
)

select * from final
