-- cart_products: one row per raw row, renamed and typed
with source as (
    {{ select_source('cart_products', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz',
        'trackstar_created_date': 'timestamptz',
        'trackstar_updated_date': 'timestamptz',
        'trackstar_tags': 'json',
        'additional_fields': 'json',
        'parent_product_id': 'varchar',
        'name': 'varchar',
        'sku': 'varchar',
        'price': 'decimal(18,2)',
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
        source.parent_product_id,
        source.name,
        source.sku,
        source.price,
        source.external_system_url,
        source._dlt_load_id,
        source._dlt_id
    from source
),

final as (
    select * from renamed
)

select * from final
