-- cart_warehouses: one row per raw row, renamed and typed
with source as (
    {{ select_record_source('cart_warehouses', {
        'name': 'varchar',
        'code': 'varchar',
        'address__address1': 'varchar',
        'address__address2': 'varchar',
        'address__address3': 'varchar',
        'address__city': 'varchar',
        'address__state': 'varchar',
        'address__postal_code': 'varchar',
        'address__country': 'varchar'
    }) }}
),

deletions as (
    -- gone from Trackstar (deleted_records): the row keeps its last version, flagged
    {{ current_deletions('cart_warehouses') }}
),

renamed as (
    select
        source.connection_id,
        source.id as warehouse_id,
        {{ trackstar_record_metadata() }},
        source.name,
        source.code,
        source.address__address1,
        source.address__address2,
        source.address__address3,
        source.address__city,
        source.address__state,
        source.address__postal_code,
        source.address__country,
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
