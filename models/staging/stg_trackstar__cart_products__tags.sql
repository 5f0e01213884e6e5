-- cart_products__tags: dlt child table of cart_products; connection_id and product_id come from its root row
with source as (
    {{ select_child_source('cart_products__tags', {
        'value': 'varchar'
    }) }}
),

root as (
    {{ select_root_keys('cart_products', 'product_id') }}
),

renamed as (
    select
        root.connection_id,
        root.product_id,
        source.value,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
