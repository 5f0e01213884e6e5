-- wms_orders__shipments__line_items: dlt child table of wms_orders; connection_id and order_id come from its root row
with source as (
    {{ select_child_source('wms_orders__shipments__line_items', {
        'inventory_item_id': 'varchar',
        'sku': 'varchar',
        'quantity': 'bigint',
        'parent_product_id': 'varchar'
    }) }}
),

root as (
    {{ select_root_keys('wms_orders', 'order_id') }}
),

renamed as (
    select
        root.connection_id,
        root.order_id,
        source.inventory_item_id,
        source.sku,
        source.quantity,
        source.parent_product_id,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
