with

source as (

    {{ select_source('connections', {
        'connection_id': 'varchar',
        'integration_name': 'varchar',
        'integration_display_name': 'varchar',
        'integration_type': 'varchar',
        'customer_id': 'varchar',
        'connection_source': 'varchar',
        'created_at': 'timestamptz',
        'last_used': 'timestamptz',
        'available_actions': 'json',
        'errors': 'json',
        'sync_schedules': 'json',
        'historical_sync_completed': 'json',
        'observed_at': 'timestamptz',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar',
    }) }}

),

renamed as (

    select
        connection_id,
        integration_name,
        integration_display_name,
        integration_type,
        -- the organisation's own id of the customer that owns the connection; carrier charges
        -- are matched to orders of the same customer
        nullif(trim(customer_id), '') as customer_id,
        connection_source,
        created_at,
        last_used as last_used_at,
        observed_at,

        -- the JSON columns, parsed where the marts need them
        coalesce(
            from_json(available_actions, '["varchar"]'), []
        ) as available_actions,
        coalesce(
            from_json(
                errors,
                '[{"error_type": "varchar", "resource": "varchar", "message": "varchar"}]'
            ),
            []
        ) as connection_errors,
        cast(coalesce(json_array_length(errors), 0) as bigint) as connection_error_count,
        coalesce(
            list_filter(
                json_keys(historical_sync_completed),
                lambda action: json_extract_string(
                    historical_sync_completed, '$."' || action || '"'
                ) = 'false'
            ),
            []
        ) as historical_sync_pending_actions,
        coalesce(
            from_json(
                sync_schedules,
                '[{"function_name": "varchar", "last_crawl_start": "timestamptz",
                   "last_crawl_end": "timestamptz", "latest_data": "timestamptz",
                   "sync_frequency": "varchar", "sync_status": "varchar"}]'
            ),
            []
        ) as sync_schedules,
        available_actions as available_actions_json,
        errors as errors_json,
        sync_schedules as sync_schedules_json,
        historical_sync_completed as historical_sync_completed_json,

        _dlt_load_id,
        _dlt_id

    from source

)

select * from renamed
