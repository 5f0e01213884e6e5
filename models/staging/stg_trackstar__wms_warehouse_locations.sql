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

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('wms_warehouse_locations') }}
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
        deletions.deleted_at is not null as is_deleted,
        deletions.deleted_at,
        {{ dlt_columns() }}
    from source
    left join deletions
        on
            source.connection_id = deletions.connection_id
            and source.warehouse_id || '|' || source.id = deletions.record_key
),

final as (
    select * from renamed
)

select * from final
