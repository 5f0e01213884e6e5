-- wms_shipping_methods: one row per raw row, renamed and typed
with source as (
    {{ select_source('wms_shipping_methods', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz',
        'trackstar_created_date': 'timestamptz',
        'trackstar_updated_date': 'timestamptz',
        'trackstar_tags': 'json',
        'additional_fields': 'json',
        'name': 'varchar',
        'carrier_id': 'varchar',
        'carrier_name': 'varchar',
        'scac': 'varchar',
        'service_level': 'varchar',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as shipping_method_id,
        source.created_date as created_at,
        source.updated_date as updated_at,
        source.trackstar_created_date as trackstar_created_at,
        source.trackstar_updated_date as trackstar_updated_at,
        source.trackstar_tags,
        source.additional_fields,
        source.name,
        source.carrier_id,
        source.carrier_name,
        source.scac,
        source.service_level,
        source._dlt_load_id,
        source._dlt_id
    from source
),

final as (
    select * from renamed
)

select * from final
