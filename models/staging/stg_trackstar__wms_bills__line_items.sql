with

source as (

    {{ select_source('wms_bills__line_items', {
        '_dlt_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_root_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        'description': 'varchar',
        'amount': 'decimal(38, 9)',
    }) }}

),

bills as (

    {{ select_root_keys('wms_bills') }}

),

renamed as (

    select
        bills.connection_id,
        bills.id as bill_id,
        source.description,
        source.amount,
        source._dlt_id,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_list_idx,
        bills._dlt_load_id

    from source
    inner join bills on source._dlt_root_id = bills._dlt_id

)

select * from renamed
