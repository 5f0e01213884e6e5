-- cart_orders__shipments__shipping_groups: dlt child table of cart_orders; connection_id and order_id come from its root row
with source as (
    {{ select_child_source('cart_orders__shipments__shipping_groups', {
        'value': 'varchar'
    }) }}
),

root as (
    {{ select_root_keys('cart_orders', 'order_id') }}
),

renamed as (
    select
        root.connection_id,
        root.order_id,
        source.value,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
