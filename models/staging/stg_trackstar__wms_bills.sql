-- wms_bills: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_bills', {
        'warehouse_customer_id': 'varchar',
        'bill_number': 'varchar',
        'total': 'decimal(18,2)',
        'currency': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as bill_id,
        {{ trackstar_record_metadata() }},
        source.warehouse_customer_id,
        source.bill_number,
        source.total,
        source.currency,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
