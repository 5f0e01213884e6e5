-- wms_order_channels: one row per raw row, renamed and typed
with source as (
    {{ select_source('wms_order_channels', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'name': 'varchar',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as order_channel_id,
        source.name,
        source._dlt_load_id,
        source._dlt_id
    from source
),

final as (
    select * from renamed
)

select * from final
