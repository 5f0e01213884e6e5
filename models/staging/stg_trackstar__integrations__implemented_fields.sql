-- what each integration fills: one row per integration x list operation (action) x top-level
-- field of its implemented_fields (true / false; an object or a list of details means implemented)
with source as (
    {{ select_root_source('integrations', {
        'integration_type': 'varchar',
        'integration_name': 'varchar',
        'list_operations': 'json',
        'observed_at': 'timestamptz'
    }) }}
),

operations as (
    select
        source.integration_type,
        source.integration_name,
        source.observed_at,
        source._dlt_load_id,
        unnest(cast(source.list_operations as json [])) as operation
    from source
),

fields as (
    select
        operations.integration_type,
        operations.integration_name,
        operations.operation ->> '$.action' as action,
        operations.operation ->> '$.url' as url,
        field.key as field_name,
        field.value as detail,
        operations.observed_at,
        operations._dlt_load_id
    from operations,
        json_each(operations.operation -> '$.implemented_fields') as field
),

renamed as (
    select
        integration_type,
        integration_name,
        action,
        url,
        field_name,
        coalesce(json_type(detail) <> 'BOOLEAN' or cast(detail as boolean), false) as is_implemented,
        observed_at,
        _dlt_load_id
    from fields
),

final as (
    select * from renamed
)

select * from final
