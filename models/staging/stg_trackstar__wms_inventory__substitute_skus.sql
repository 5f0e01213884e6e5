-- wms_inventory__substitute_skus: dlt child table; connection_id and inventory_item_id come from the root row (_dlt_root_id = root._dlt_id)
with source as (
    {{ select_source('wms_inventory__substitute_skus', {
        'value': 'varchar',
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
        id as inventory_item_id,
        _dlt_load_id
    from ({{ select_root_keys('wms_inventory') }}) as root_keys
),

renamed as (
    select
        root.connection_id,
        root.inventory_item_id,
        source.value,
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
