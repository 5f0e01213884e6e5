-- wms_order_packs__packs: dlt child table of wms_order_packs, one row per pack (carton) of an
-- order; connection_id and order_id come from its root row
with source as (
    {{ select_child_source('wms_order_packs__packs', {
        'pack_id': 'varchar',
        'measurements__length': 'decimal(18,4)',
        'measurements__width': 'decimal(18,4)',
        'measurements__height': 'decimal(18,4)',
        'measurements__unit': 'varchar',
        'measurements__weight': 'decimal(18,4)',
        'measurements__weight_unit': 'varchar'
    }) }}
),

root as (
    {{ select_root_keys('wms_order_packs', 'order_id', 'order_id') }}
),

renamed as (
    select
        root.connection_id,
        root.order_id,
        source.pack_id,
        source.measurements__length,
        source.measurements__width,
        source.measurements__height,
        source.measurements__unit,
        source.measurements__weight,
        source.measurements__weight_unit,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
