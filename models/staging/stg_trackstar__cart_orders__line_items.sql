-- cart_orders__line_items: dlt child table of cart_orders; connection_id and order_id come from its root row
with source as (
    {{ select_child_source('cart_orders__line_items', {
        'product_id': 'varchar',
        'sku': 'varchar',
        'quantity': 'bigint',
        'unit_price': 'decimal(18,2)',
        'discount_amount': 'decimal(18,2)'
    }) }}
),

root as (
    {{ select_root_keys('cart_orders', 'order_id') }}
),

renamed as (
    select
        root.connection_id,
        root.order_id,
        source.product_id,
        source.sku,
        source.quantity,
        source.unit_price,
        source.discount_amount,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
