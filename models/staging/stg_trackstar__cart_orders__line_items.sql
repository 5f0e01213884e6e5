-- cart_orders__line_items: dlt child table of cart_orders; connection_id and order_id come from its root row
with source as (
    {{ select_child_source('cart_orders__line_items', {
        'line_item_id': 'varchar',
        'product_id': 'varchar',
        'product_sku': 'varchar',
        'parent_product_id': 'varchar',
        'parent_product_sku': 'varchar',
        'quantity': 'bigint',
        'unit_price': 'decimal(18,2)',
        'discount': 'decimal(18,2)',
        'tax': 'decimal(18,2)'
    }) }}
),

root as (
    {{ select_root_keys('cart_orders', 'order_id') }}
),

renamed as (
    select
        root.connection_id,
        root.order_id,
        source.line_item_id,
        source.product_id,
        source.product_sku,
        source.parent_product_id,
        source.parent_product_sku,
        source.quantity,
        source.unit_price,
        source.discount,
        source.tax,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
