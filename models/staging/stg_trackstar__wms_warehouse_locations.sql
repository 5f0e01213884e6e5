-- wms_warehouse_locations: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_warehouse_locations', {
        'warehouse_id': 'varchar',
        'name': 'varchar',
        'barcode': 'varchar',
        'pickable': 'boolean',
        'sellable': 'boolean'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.warehouse_id,
        source.id as location_id,
        {{ trackstar_record_metadata() }},
        source.name,
        source.barcode,
        source.pickable,
        source.sellable,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
