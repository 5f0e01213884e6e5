-- wms_order_channels: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_order_channels', {
        'name': 'varchar',
        'warehouse_customer_id': 'varchar'
    }) }}
),

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('wms_order_channels') }}
),

renamed as (
    select
        source.connection_id,
        source.id as order_channel_id,
        {{ trackstar_record_metadata() }},
        source.name,
        source.warehouse_customer_id,
        deletions.deleted_at is not null as is_deleted,
        deletions.deleted_at,
        {{ dlt_columns() }}
    from source
    left join deletions
        on
            source.connection_id = deletions.connection_id
            and source.id = deletions.record_key
),

final as (
    select * from renamed
)

select * from final
