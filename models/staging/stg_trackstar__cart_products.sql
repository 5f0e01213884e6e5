-- cart_products: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('cart_products', {
        'parent_product_id': 'varchar',
        'name': 'varchar',
        'sku': 'varchar',
        'price': 'decimal(18,2)',
        'external_system_url': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as product_id,
        {{ trackstar_record_metadata() }},
        source.parent_product_id,
        source.name,
        source.sku,
        source.price,
        source.external_system_url,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
