-- wms_order_packs__packs__line_items: dlt child table of wms_order_packs, one row per item in a
-- pack; connection_id and order_id come from its root row, the pack is its parent row
with source as (
    {{ select_child_source('wms_order_packs__packs__line_items', {
        'inventory_item_id': 'varchar',
        'sku': 'varchar',
        'quantity': 'bigint'
    }) }}
),

root as (
    {{ select_root_keys('wms_order_packs', 'order_id', 'order_id') }}
),

renamed as (
    select
        root.connection_id,
        root.order_id,
        source.inventory_item_id,
        source.sku,
        source.quantity,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
