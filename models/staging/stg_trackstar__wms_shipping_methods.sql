-- wms_shipping_methods: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('wms_shipping_methods', {
        'name': 'varchar',
        'carrier': 'varchar',
        'carrier_id': 'varchar',
        'carrier_name': 'varchar',
        'scac': 'varchar'
    }) }}
),

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('wms_shipping_methods') }}
),

renamed as (
    select
        source.connection_id,
        source.id as shipping_method_id,
        {{ trackstar_record_metadata() }},
        source.name,
        source.carrier,
        source.carrier_id,
        source.carrier_name,
        source.scac,
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
