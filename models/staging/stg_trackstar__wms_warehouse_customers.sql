-- wms_warehouse_customers: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_warehouse_customers', {
        'name': 'varchar',
        'email': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as warehouse_customer_id,
        {{ trackstar_record_metadata() }},
        source.name,
        source.email,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
