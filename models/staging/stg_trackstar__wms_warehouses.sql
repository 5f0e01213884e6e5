-- wms_warehouses: one row per raw row, renamed and typed
with source as (
    {{ select_source('wms_warehouses', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz',
        'trackstar_created_date': 'timestamptz',
        'trackstar_updated_date': 'timestamptz',
        'trackstar_tags': 'json',
        'additional_fields': 'json',
        'name': 'varchar',
        'code': 'varchar',
        'external_system_url': 'varchar',
        'address__full_name': 'varchar',
        'address__address1': 'varchar',
        'address__city': 'varchar',
        'address__state': 'varchar',
        'address__postal_code': 'varchar',
        'address__country': 'varchar',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as warehouse_id,
        source.created_date as created_at,
        source.updated_date as updated_at,
        source.trackstar_created_date as trackstar_created_at,
        source.trackstar_updated_date as trackstar_updated_at,
        source.trackstar_tags,
        source.additional_fields,
        source.name,
        source.code,
        source.external_system_url,
        source.address__full_name,
        source.address__address1,
        source.address__city,
        source.address__state,
        source.address__postal_code,
        source.address__country,
        source._dlt_load_id,
        source._dlt_id
    from source
),

final as (
    select * from renamed
)

select * from final
