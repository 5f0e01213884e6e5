-- wms_products__supplier_products: dlt child table of wms_products; connection_id and product_id come from its root row
with source as (
    {{ select_child_source('wms_products__supplier_products', {
        'supplier_id': 'varchar',
        'supplier_name': 'varchar',
        'external_id': 'varchar',
        'unit_cost': 'decimal(18,2)'
    }) }}
),

root as (
    {{ select_root_keys('wms_products', 'product_id') }}
),

renamed as (
    select
        root.connection_id,
        root.product_id,
        source.supplier_id,
        source.supplier_name,
        source.external_id,
        source.unit_cost,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
