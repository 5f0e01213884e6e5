-- freight_shipments: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('freight_shipments', {
        'eta_date': 'timestamptz',
        'cost': 'decimal(18,2)',
        'shipment_date': 'timestamptz',
        'arrival_date': 'timestamptz',
        'raw_status': 'varchar',
        'status': 'varchar',
        'shipment_method': 'varchar',
        'external_system_url': 'varchar'
    }) }}
),

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('freight_shipments') }}
),

renamed as (
    select
        source.connection_id,
        source.id as freight_shipment_id,
        {{ trackstar_record_metadata() }},
        source.eta_date,
        source.cost,
        source.shipment_date,
        source.arrival_date,
        source.raw_status,
        lower(source.status) as status,
        source.shipment_method,
        source.external_system_url,
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
