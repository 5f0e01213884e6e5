-- wms_returns__line_items: dlt child table of wms_returns; connection_id and return_id come from its root row
with source as (
    {{ select_child_source('wms_returns__line_items', {
        'inventory_item_id': 'varchar',
        'sku': 'varchar',
        'expected_quantity': 'bigint',
        'received_quantity': 'bigint',
        'restocked_quantity': 'bigint',
        'return_reason': 'varchar',
        'quantity': 'bigint',
        'warehouse_id': 'varchar',
        'returned_date': 'timestamptz'
    }) }}
),

root as (
    {{ select_root_keys('wms_returns', 'return_id') }}
),

renamed as (
    select
        root.connection_id,
        root.return_id,
        source.inventory_item_id,
        source.sku,
        source.expected_quantity,
        source.received_quantity,
        source.restocked_quantity,
        source.return_reason,
        source.quantity,
        source.warehouse_id,
        source.returned_date,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
