-- wms_bills__line_items: dlt child table of wms_bills; connection_id and bill_id come from its root row
with source as (
    {{ select_child_source('wms_bills__line_items', {
        'description': 'varchar',
        'amount': 'decimal(18,2)'
    }) }}
),

root as (
    {{ select_root_keys('wms_bills', 'bill_id') }}
),

renamed as (
    select
        root.connection_id,
        root.bill_id,
        source.description,
        source.amount,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
