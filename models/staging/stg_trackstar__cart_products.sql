-- cart_products: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('cart_products', {
        'name': 'varchar',
        'sku': 'varchar',
        'parent_product_id': 'varchar',
        'is_kit': 'boolean',
        'active': 'boolean',
        'price': 'decimal(18,2)',
        'unit_cost': 'decimal(18,2)',
        'inventory': 'bigint',
        'external_system_url': 'varchar'
    }) }}
),

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('cart_products') }}
),

renamed as (
    select
        source.connection_id,
        source.id as product_id,
        {{ trackstar_record_metadata() }},
        source.name,
        source.sku,
        source.parent_product_id,
        source.is_kit,
        source.active,
        source.price,
        source.unit_cost,
        source.inventory,
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
