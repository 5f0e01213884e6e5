with

source as (

    {{ select_source('carrier_invoice_line_items', {
        'connection_id': 'varchar',
        'id': 'varchar',
        'tracking_number': 'varchar',
        'invoice_id': 'varchar',
        'account_id': 'varchar',
        'charge_description': 'varchar',
        'gross_cost': 'decimal(38, 9)',
        'net_cost': 'decimal(38, 9)',
        'transaction_date': 'timestamptz',
        'raw': 'json',
        'created_date': 'timestamptz',
        'updated_date': 'timestamptz',
        'trackstar_created_date': 'timestamptz',
        'trackstar_updated_date': 'timestamptz',
        'trackstar_tags': 'json',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar',
    }) }}

),

renamed as (

    select
        connection_id,
        id as line_item_id,
        tracking_number,
        invoice_id,
        account_id,
        charge_description,
        gross_cost,
        net_cost,
        transaction_date as transaction_at,
        raw as raw_charge,
        created_date as created_at,
        updated_date as updated_at,
        trackstar_created_date as trackstar_created_at,
        trackstar_updated_date as trackstar_updated_at,
        trackstar_tags,
        _dlt_load_id,
        _dlt_id

    from source

)

select * from renamed
