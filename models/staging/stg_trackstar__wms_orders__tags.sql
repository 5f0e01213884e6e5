with

source as (

    {{ select_source('wms_orders__tags', {
        '_dlt_id': 'varchar',
        '_dlt_parent_id': 'varchar',
        '_dlt_root_id': 'varchar',
        '_dlt_list_idx': 'bigint',
        'value': 'varchar',
    }) }}

),

orders as (

    {{ select_root_keys('wms_orders') }}

),

renamed as (

    select
        orders.connection_id,
        orders.id as order_id,
        source.value as tag,
        source._dlt_id,
        source._dlt_parent_id,
        source._dlt_root_id,
        source._dlt_list_idx,
        orders._dlt_load_id

    from source
    inner join orders on source._dlt_root_id = orders._dlt_id

)

select * from renamed
