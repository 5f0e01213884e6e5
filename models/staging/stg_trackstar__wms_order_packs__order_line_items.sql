-- wms_order_packs__order_line_items: dlt child table of wms_order_packs, the order's line items
-- as the packs endpoint returns them; connection_id and order_id come from its root row
with source as (
    {{ select_child_source('wms_order_packs__order_line_items', {
        'product_id': 'varchar',
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
        source.product_id,
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
