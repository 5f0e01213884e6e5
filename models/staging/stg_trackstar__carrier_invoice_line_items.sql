-- carrier_invoice_line_items: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('carrier_invoice_line_items', {
        'transaction_date': 'timestamptz',
        'account_id': 'varchar',
        'invoice_id': 'varchar',
        'tracking_number': 'varchar',
        'charge_description': 'varchar',
        'gross_cost': 'decimal(18,2)',
        'net_cost': 'decimal(18,2)',
        'raw': 'json'
    }) }}
),

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('carrier_invoice_line_items') }}
),

renamed as (
    select
        source.connection_id,
        source.id as line_item_id,
        {{ trackstar_timestamps() }},
        source.trackstar_tags,
        source.transaction_date,
        source.account_id,
        source.invoice_id,
        source.tracking_number,
        source.charge_description,
        source.gross_cost,
        source.net_cost,
        source.raw,
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
