-- cart_products__inventory_by_warehouse: dlt child table of cart_products; connection_id and product_id come from its root row
with source as (
    {{ select_child_source('cart_products__inventory_by_warehouse', {
        'warehouse_id': 'varchar',
        'quantity': 'bigint'
    }) }}
),

root as (
    {{ select_root_keys('cart_products', 'product_id') }}
),

renamed as (
    select
        root.connection_id,
        root.product_id,
        source.warehouse_id,
        source.quantity,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
