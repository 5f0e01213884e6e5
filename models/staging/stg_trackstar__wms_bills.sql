-- wms_bills: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_bills', {
        'warehouse_customer_id': 'varchar',
        'object_id': 'varchar',
        'object_type': 'varchar',
        'charge_type': 'varchar',
        'amount': 'decimal(18,2)',
        'currency_code': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as bill_id,
        {{ trackstar_record_metadata() }},
        source.warehouse_customer_id,
        source.object_id,
        source.object_type,
        source.charge_type,
        source.amount,
        source.currency_code,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
