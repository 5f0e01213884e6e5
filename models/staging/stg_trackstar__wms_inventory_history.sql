with

source as (

    {{ select_source('wms_inventory_history', {
        'connection_id': 'varchar',
        'inventory_item_id': 'varchar',
        'warehouse_id': 'varchar',
        'sku': 'varchar',
        'onhand': 'bigint',
        'committed': 'bigint',
        'unfulfillable': 'bigint',
        'fulfillable': 'bigint',
        'unsellable': 'bigint',
        'sellable': 'bigint',
        'awaiting': 'bigint',
        'trackstar_updated_date': 'timestamptz',
        'observed_at': 'timestamptz',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar',
    }) }}

),

renamed as (

    select
        connection_id,
        inventory_item_id,
        warehouse_id,
        sku,
        onhand,
        committed,
        unfulfillable,
        fulfillable,
        unsellable,
        sellable,
        awaiting,
        trackstar_updated_date as trackstar_updated_at,
        observed_at,
        _dlt_load_id,
        _dlt_id

    from source

)

select * from renamed
