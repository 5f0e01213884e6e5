-- wms_returns__notes: dlt child table of wms_returns; connection_id and return_id come from its root row
with source as (
    {{ select_child_source('wms_returns__notes', {
        'value': 'varchar'
    }) }}
),

root as (
    {{ select_root_keys('wms_returns', 'return_id') }}
),

renamed as (
    select
        root.connection_id,
        root.return_id,
        source.value,
        {{ dlt_child_columns() }}
    from source
    inner join root on source._dlt_root_id = root._dlt_id
),

final as (
    select * from renamed
)

select * from final
