-- cart_order_status_history: one row per raw row, renamed and typed
with source as (
    {{ select_root_source('cart_order_status_history', {
        'connection_id': 'varchar',
        'order_id': 'varchar',
        'trackstar_updated_date': 'timestamptz',
        'observed_at': 'timestamptz',
        'status': 'varchar',
        'raw_status': 'varchar',
        'updated_date': 'timestamptz'
    }) }}
),

renamed as (
    select
        source.connection_id,
        source.order_id,
        source.trackstar_updated_date as trackstar_updated_at,
        source.observed_at,
        source.status,
        source.raw_status,
        source.updated_date as updated_at,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
