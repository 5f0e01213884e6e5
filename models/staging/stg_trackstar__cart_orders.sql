with

source as (

    {{ select_source('cart_orders', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'order_number': 'varchar',
        'reference_id': 'varchar',
        'status': 'varchar',
        'raw_status': 'varchar',
        'channel': 'varchar',
        'invoice_currency_code': 'varchar',
        'currency_code': 'varchar',
        'total_price': 'decimal(38, 9)',
        'total_tax': 'decimal(38, 9)',
        'total_discount': 'decimal(38, 9)',
        'total_shipping': 'decimal(38, 9)',
        'requested_shipping_method': 'varchar',
        'shipping_method_id': 'varchar',
        'shipping_method_name': 'varchar',
        'carrier_id': 'varchar',
        'carrier_name': 'varchar',
        'earliest_ship_date': 'timestamptz',
        'latest_ship_date': 'timestamptz',
        'ship_to_address__city': 'varchar',
        'ship_to_address__state': 'varchar',
        'ship_to_address__zip_code': 'varchar',
        'ship_to_address__country': 'varchar',
        'external_system_url': 'varchar',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz',
        'trackstar_created_date': 'timestamptz',
        'trackstar_updated_date': 'timestamptz',
        'trackstar_tags': 'json',
        'additional_fields': 'json',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar',
    }) }}

),

renamed as (

    select
        connection_id,
        id as order_id,
        order_number,
        reference_id,
        status,
        raw_status,
        channel,
        -- the OpenAPI schema names it invoice_currency_code; some integrations send currency_code
        coalesce(invoice_currency_code, currency_code) as currency_code,
        total_price,
        total_tax,
        total_discount,
        total_shipping,
        requested_shipping_method,
        shipping_method_id,
        shipping_method_name,
        carrier_id,
        carrier_name,
        earliest_ship_date as earliest_ship_at,
        latest_ship_date as latest_ship_at,
        ship_to_address__city as ship_to_address_city,
        ship_to_address__state as ship_to_address_state,
        ship_to_address__zip_code as ship_to_address_postal_code,
        ship_to_address__country as ship_to_address_country,
        external_system_url,
        created_date as created_at,
        updated_date as updated_at,
        trackstar_created_date as trackstar_created_at,
        trackstar_updated_date as trackstar_updated_at,
        trackstar_tags,
        additional_fields,
        _dlt_load_id,
        _dlt_id

    from source

)

select * from renamed
