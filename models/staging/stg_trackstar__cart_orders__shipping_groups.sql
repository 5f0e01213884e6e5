-- cart_orders__shipping_groups: dlt child table of cart_orders; connection_id and order_id come from its root row
with source as (
    {{ select_child_source('cart_orders__shipping_groups', {
        'shipping_group_id': 'varchar',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz',
        'raw_status': 'varchar',
        'status': 'varchar',
        'warehouse_id': 'varchar'
    }) }}
),

root as (
    {{ select_root_keys('cart_orders', 'order_id') }}
),

renamed as (
    select
        root.connection_id,
        root.order_id,
        source.shipping_group_id,
        source.created_date as created_at,
        source.updated_date as updated_at,
        source.raw_status,
        lower(source.status) as status,
        source.warehouse_id,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
