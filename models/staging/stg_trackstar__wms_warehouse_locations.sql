-- wms_warehouse_locations: one row per raw row, renamed and typed
with source as (
    {{ select_source('wms_warehouse_locations', {
        'connection_id': 'varchar',
        'warehouse_id': 'varchar',
        'id': 'varchar',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz',
        'trackstar_created_date': 'timestamptz',
        'trackstar_updated_date': 'timestamptz',
        'trackstar_tags': 'json',
        'additional_fields': 'json',
        'name': 'varchar',
        'barcode': 'varchar',
        'pickable': 'boolean',
        'sellable': 'boolean',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.warehouse_id,
        source.id as location_id,
        source.created_date as created_at,
        source.updated_date as updated_at,
        source.trackstar_created_date as trackstar_created_at,
        source.trackstar_updated_date as trackstar_updated_at,
        source.trackstar_tags,
        source.additional_fields,
        source.name,
        source.barcode,
        source.pickable,
        source.sellable,
        source._dlt_load_id,
        source._dlt_id
    from source
),

final as (
    select * from renamed
)

select * from final
