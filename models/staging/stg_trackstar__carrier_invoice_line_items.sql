-- carrier_invoice_line_items: one row per raw row, renamed and typed
with source as (
    {{ select_source('carrier_invoice_line_items', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz',
        'trackstar_created_date': 'timestamptz',
        'trackstar_updated_date': 'timestamptz',
        'trackstar_tags': 'json',
        'transaction_date': 'timestamptz',
        'account_id': 'varchar',
        'invoice_id': 'varchar',
        'tracking_number': 'varchar',
        'charge_description': 'varchar',
        'gross_cost': 'decimal(18,2)',
        'net_cost': 'decimal(18,2)',
        'raw': 'json',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.id as line_item_id,
        source.created_date as created_at,
        source.updated_date as updated_at,
        source.trackstar_created_date as trackstar_created_at,
        source.trackstar_updated_date as trackstar_updated_at,
        source.trackstar_tags,
        source.transaction_date,
        source.account_id,
        source.invoice_id,
        source.tracking_number,
        source.charge_description,
        source.gross_cost,
        source.net_cost,
        source.raw,
        source._dlt_load_id,
        source._dlt_id
    from source
),

final as (
    select * from renamed
)

select * from final
