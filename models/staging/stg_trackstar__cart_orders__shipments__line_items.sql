-- cart_orders__shipments__line_items: dlt child table; connection_id and order_id come from the root row (_dlt_root_id = root._dlt_id)
with source as (
    {{ select_source('cart_orders__shipments__line_items', {
        'sku': 'varchar',
        'quantity': 'bigint',
        '_dlt_root_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        '_dlt_id': 'varchar'
    }) }}
),

root as (
    select
        _dlt_id,
        connection_id,
        id as order_id,
        _dlt_load_id
    from ({{ select_root_keys('cart_orders') }}) as root_keys
),

renamed as (
    select
        root.connection_id,
        root.order_id,
        source.sku,
        source.quantity,
        root._dlt_load_id,
        source._dlt_list_idx,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_id
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
