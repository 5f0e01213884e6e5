-- wms_products__inventory_items: dlt child table of wms_products; connection_id and product_id come from its root row
with source as (
    {{ select_child_source('wms_products__inventory_items', {
        'inventory_item_id': 'varchar',
        'sku': 'varchar',
        'unit_quantity': 'bigint'
    }) }}
),

root as (
    {{ select_root_keys('wms_products', 'product_id') }}
),

renamed as (
    select
        root.connection_id,
        root.product_id,
        source.inventory_item_id,
        source.sku,
        source.unit_quantity,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
