-- wms_order_packs: one row per order whose packs were read (GET /wms/orders/{order_id}/packs),
-- as of the order version they were read for; the packs themselves are child rows
with source as (
    {{ select_root_source('wms_order_packs', {
        'connection_id': 'varchar',
        'order_id': 'varchar',
        'order_trackstar_updated_date': 'timestamptz',
        'observed_at': 'timestamptz',
        'carrier': 'varchar',
        'carrier_id': 'varchar',
        'carrier_name': 'varchar',
        'scac': 'varchar',
        'shipping_method': 'varchar',
        'shipping_method_id': 'varchar',
        'shipping_method_name': 'varchar',
        'ship_to_address__full_name': 'varchar',
        'ship_to_address__company': 'varchar',
        'ship_to_address__address1': 'varchar',
        'ship_to_address__address2': 'varchar',
        'ship_to_address__address3': 'varchar',
        'ship_to_address__city': 'varchar',
        'ship_to_address__state': 'varchar',
        'ship_to_address__postal_code': 'varchar',
        'ship_to_address__country': 'varchar',
        'ship_to_address__phone_number': 'varchar',
        'ship_to_address__email_address': 'varchar',
        'additional_fields': 'json'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.order_id,
        source.order_trackstar_updated_date as order_trackstar_updated_at,
        source.observed_at,
        source.carrier,
        source.carrier_id,
        source.carrier_name,
        source.scac,
        source.shipping_method,
        source.shipping_method_id,
        source.shipping_method_name,
        source.ship_to_address__full_name,
        source.ship_to_address__company,
        source.ship_to_address__address1,
        source.ship_to_address__address2,
        source.ship_to_address__address3,
        source.ship_to_address__city,
        source.ship_to_address__state,
        source.ship_to_address__postal_code,
        source.ship_to_address__country,
        source.ship_to_address__phone_number,
        source.ship_to_address__email_address,
        source.additional_fields,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
