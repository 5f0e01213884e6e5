-- wms_returns: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_returns', {
        'warehouse_customer_id': 'varchar',
        'status': 'varchar',
        'raw_status': 'varchar',
        'order_id': 'varchar',
        'external_system_url': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as return_id,
        {{ trackstar_record_metadata() }},
        source.warehouse_customer_id,
        lower(source.status) as status,
        source.raw_status,
        source.order_id,
        source.external_system_url,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
