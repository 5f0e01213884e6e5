-- cart_products__inventory_by_warehouse: dlt child table; connection_id and product_id come from the root row (_dlt_root_id = root._dlt_id)
with source as (
    {{ select_source('cart_products__inventory_by_warehouse', {
        'warehouse_id': 'varchar',
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
        id as product_id,
        _dlt_load_id
    from ({{ select_root_keys('cart_products') }}) as root_keys
),

renamed as (
    select
        root.connection_id,
        root.product_id,
        source.warehouse_id,
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
