-- sync_log: one row per raw row (run x connection x resource x part), renamed and typed
with source as (
    {{ select_root_source('sync_log', {
        'run_id': 'varchar',
        'connection_id': 'varchar',
        'resource': 'varchar',
        'part': 'bigint',
        'action': 'varchar',
        'status': 'varchar',
        'http_status': 'bigint',
        'message': 'varchar',
        'rows': 'bigint',
        'rejected': 'bigint',
        'pages': 'bigint',
        'seconds': 'double',
        'cursor_from': 'timestamptz',
        'cursor_to': 'timestamptz',
        'cursor_field': 'varchar',
        'cursor_fallback': 'boolean',
        'started_at': 'timestamptz',
        'finished_at': 'timestamptz',
        'observed_at': 'timestamptz'
    }) }}
),

renamed as (
    select
        source.run_id,
        source.connection_id,
        source.resource,
        coalesce(source.part, 1) as part,
        source.action,
        source.status,
        source.http_status,
        source.message,
        source.rows,
        coalesce(source.rejected, 0) as rejected,
        source.pages,
        source.seconds,
        source.cursor_from,
        source.cursor_to,
        source.cursor_field,
        coalesce(source.cursor_fallback, false) as cursor_fallback,
        source.started_at,
        source.finished_at,
        source.observed_at,
        {{ dlt_columns() }}
    from source
),

final as (
    select * from renamed
)

select * from final
