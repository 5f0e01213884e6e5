-- wms_shipping_methods: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_shipping_methods', {
        'name': 'varchar',
        'carrier': 'varchar',
        'carrier_id': 'varchar',
        'carrier_name': 'varchar',
        'scac': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as shipping_method_id,
        {{ trackstar_record_metadata() }},
        source.name,
        source.carrier,
        source.carrier_id,
        source.carrier_name,
        source.scac,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
