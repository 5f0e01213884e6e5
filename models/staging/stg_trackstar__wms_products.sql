-- wms_products: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_products', {
        'warehouse_customer_id': 'varchar',
        'name': 'varchar',
        'sku': 'varchar',
        'gtin': 'varchar',
        'unit_price': 'decimal(18,2)',
        'is_kit': 'boolean',
        'active': 'boolean',
        'supplier': 'varchar',
        'supplier_object__supplier_id': 'varchar',
        'supplier_object__supplier_name': 'varchar',
        'country_of_origin': 'varchar',
        'harmonized_code': 'varchar',
        'external_system_url': 'varchar'
    }) }}
),

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('wms_products') }}
),

renamed as (
    select
        source.connection_id,
        source.id as product_id,
        {{ trackstar_record_metadata() }},
        source.warehouse_customer_id,
        source.name,
        source.sku,
        source.gtin,
        source.unit_price,
        source.is_kit,
        source.active,
        source.supplier,
        source.supplier_object__supplier_id,
        source.supplier_object__supplier_name,
        source.country_of_origin,
        source.harmonized_code,
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
