with

source as (

    {{ select_source('sync_log', {
        'run_id': 'varchar',
        'connection_id': 'varchar',
        'resource': 'varchar',
        'status': 'varchar',
        'http_status': 'bigint',
        'message': 'varchar',
        'rows': 'bigint',
        'pages': 'bigint',
        'seconds': 'double',
        'cursor_from': 'timestamptz',
        'cursor_to': 'timestamptz',
        'started_at': 'timestamptz',
        'finished_at': 'timestamptz',
        '_dlt_load_id': 'varchar',
        '_dlt_id': 'varchar',
    }) }}

),

renamed as (

    select
        _dlt_id as sync_log_id,
        run_id,
        connection_id,
        -- the raw table the run extracted (wms_orders, ...), or `connection` when the
        -- connection as a whole failed
        resource,
        status,
        http_status,
        message,
        rows as row_count,
        pages as page_count,
        seconds as duration_seconds,
        cursor_from,
        cursor_to,
        started_at,
        finished_at,
        _dlt_load_id

    from source

)

select * from renamed
