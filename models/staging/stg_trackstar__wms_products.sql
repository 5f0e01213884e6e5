-- wms_products: one row per raw row, renamed and typed
with source as (
    {{ select_source('wms_products', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz',
        'trackstar_created_date': 'timestamptz',
        'trackstar_updated_date': 'timestamptz',
        'trackstar_tags': 'json',
        'additional_fields': 'json',
        'warehouse_customer_id': 'varchar',
        'name': 'varchar',
        'sku': 'varchar',
        'gtin': 'varchar',
        'unit_price': 'decimal(18,2)',
        'is_kit': 'boolean',
        'active': 'boolean',
        'country_of_origin': 'varchar',
        'harmonized_code': 'varchar',
        'external_system_url': 'varchar',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as product_id,
        source.created_date as created_at,
        source.updated_date as updated_at,
        source.trackstar_created_date as trackstar_created_at,
        source.trackstar_updated_date as trackstar_updated_at,
        source.trackstar_tags,
        source.additional_fields,
        source.warehouse_customer_id,
        source.name,
        source.sku,
        source.gtin,
        source.unit_price,
        source.is_kit,
        source.active,
        source.country_of_origin,
        source.harmonized_code,
        source.external_system_url,
        source._dlt_load_id,
        source._dlt_id
    from source
),

final as (
    select * from renamed
)

select * from final
