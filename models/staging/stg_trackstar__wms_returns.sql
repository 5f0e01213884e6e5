-- wms_returns: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_returns', {
        'warehouse_customer_id': 'varchar',
        'warehouse_id': 'varchar',
        'order_id': 'varchar',
        'status': 'varchar',
        'raw_status': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as return_id,
        {{ trackstar_record_metadata() }},
        source.warehouse_customer_id,
        source.warehouse_id,
        source.order_id,
        lower(source.status) as status,
        source.raw_status,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
