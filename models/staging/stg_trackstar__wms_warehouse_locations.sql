-- wms_warehouse_locations: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_warehouse_locations', {
        'name': 'varchar',
        'warehouse_id': 'varchar',
        'type': 'varchar',
        'measurements__length': 'decimal(18,4)',
        'measurements__width': 'decimal(18,4)',
        'measurements__height': 'decimal(18,4)',
        'measurements__unit': 'varchar',
        'measurements__weight': 'decimal(18,4)',
        'measurements__weight_unit': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as location_id,
        {{ trackstar_record_metadata() }},
        source.name,
        source.warehouse_id,
        source.type,
        source.measurements__length,
        source.measurements__width,
        source.measurements__height,
        source.measurements__unit,
        source.measurements__weight,
        source.measurements__weight_unit,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
