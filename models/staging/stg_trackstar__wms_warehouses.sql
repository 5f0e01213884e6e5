-- wms_warehouses: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_warehouses', {
        'name': 'varchar',
        'code': 'varchar',
        'external_system_url': 'varchar',
        'address__full_name': 'varchar',
        'address__address1': 'varchar',
        'address__city': 'varchar',
        'address__state': 'varchar',
        'address__postal_code': 'varchar',
        'address__country': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as warehouse_id,
        {{ trackstar_record_metadata() }},
        source.name,
        source.code,
        source.external_system_url,
        source.address__full_name,
        source.address__address1,
        source.address__city,
        source.address__state,
        source.address__postal_code,
        source.address__country,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
