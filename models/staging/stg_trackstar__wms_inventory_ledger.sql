with

source as (

    {{ select_source('wms_inventory_ledger', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'inventory_item_id': 'varchar',
        'warehouse_id': 'varchar',
        'quantity_change': 'bigint',
        'reason': 'varchar',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz',
        'trackstar_created_date': 'timestamptz',
        'trackstar_updated_date': 'timestamptz',
        'trackstar_tags': 'json',
        'additional_fields': 'json',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar',
    }) }}

),

renamed as (

    select
        connection_id,
        id as ledger_entry_id,
        inventory_item_id,
        warehouse_id,
        quantity_change,
        reason,
        created_date as created_at,
        updated_date as updated_at,
        trackstar_created_date as trackstar_created_at,
        trackstar_updated_date as trackstar_updated_at,
        trackstar_tags,
        additional_fields,
        _dlt_load_id,
        _dlt_id

    from source

)

select * from renamed
