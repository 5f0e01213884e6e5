-- integrations: one row per integration type x integration (GET /integrations/{integration_type},
-- read at most once a day per type), renamed and typed; the operations stay JSON
with source as (
    {{ select_root_source('integrations', {
        'integration_type': 'varchar',
        'integration_name': 'varchar',
        'display_name': 'varchar',
        'install_method': 'varchar',
        'description': 'varchar',
        'logo_url': 'varchar',
        'available_actions': 'json',
        'list_operations': 'json',
        'write_operations': 'json',
        'observed_at': 'timestamptz'
    }) }}
),

renamed as (
    select
        source.integration_type,
        source.integration_name,
        source.display_name as integration_display_name,
        source.install_method,
        source.description,
        source.logo_url,
        source.available_actions,
        source.list_operations,
        source.write_operations,
        -- when Trackstar said so (its clock)
        source.observed_at,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
