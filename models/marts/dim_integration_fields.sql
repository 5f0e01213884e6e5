-- one row per integration x resource x top-level field: whether the integration fills the field
-- (Trackstar's integration info: GET /integrations/{integration_type}), so a null means either
-- "this integration does not provide it" or "empty for this record", and how often the field is
-- null in the records of the integration's connections that Trackstar changed in the last
-- var('integration_fields_observed_days') days (a field whose parts are columns, e.g. an address,
-- counts as filled where any part is)
{%- set resources = [
    'wms_orders', 'wms_inventory', 'wms_products', 'wms_inbound_shipments', 'wms_returns', 'wms_bills',
    'wms_inventory_ledger', 'wms_shipping_methods', 'wms_warehouses', 'wms_warehouse_locations',
    'wms_warehouse_customers', 'wms_order_channels', 'wms_inbound_shipment_suppliers', 'wms_labor_activities',
    'cart_orders', 'cart_products', 'cart_warehouses', 'freight_shipments',
] %}

with implemented as (
    select * from {{ ref('stg_trackstar__integrations__implemented_fields') }}
),

integrations as (
    select * from {{ ref('stg_trackstar__integrations') }}
),

connections as (
    select * from {{ ref('stg_trackstar__connections') }}
),

sync_log as (
    select * from {{ ref('stg_trackstar__sync_log') }}
),

-- which of our resources reads each Trackstar action, per integration type (as the runs logged)
resources as (
    select distinct
        connections.integration_type,
        sync_log.action,
        sync_log.resource
    from sync_log
    inner join connections on sync_log.connection_id = connections.connection_id
    where
        sync_log.action is not null
        and sync_log.resource in (
            '{{ resources | join("', '") }}'
        )
),

fill_counts as (
    {{ field_fill_counts(resources, integration_fields_since()) }}
),

-- per connection and field: records, and those filling it (any of its columns)
connection_fields as (
    select
        fill_counts.resource,
        fill_counts.connection_id,
        split_part(fill_counts.column_name, '__', 1) as field_name,
        max(fill_counts.records) as records,
        max(fill_counts.filled) as filled
    from fill_counts
    group by all
),

connection_records as (
    select
        resource,
        connection_id,
        max(records) as records
    from fill_counts
    group by all
),

field_names as (
    select distinct field_name from implemented
),

-- per integration: the records of its connections, and those filling each field
observed as (
    select
        connection_records.resource,
        connections.integration_name,
        fields.field_name,
        sum(connection_records.records) as records,
        sum(coalesce(connection_fields.filled, 0)) as filled
    from connection_records
    inner join connections on connection_records.connection_id = connections.connection_id
    cross join field_names as fields
    left join connection_fields
        on
            connection_records.resource = connection_fields.resource
            and connection_records.connection_id = connection_fields.connection_id
            and fields.field_name = connection_fields.field_name
    group by all
),

final as (
    select
        implemented.integration_type,
        implemented.integration_name,
        integrations.integration_display_name,
        implemented.action,
        resources.resource,
        implemented.field_name,
        implemented.is_implemented,
        case when implemented.is_implemented then 'provided' else 'not provided' end as coverage,
        case
            when implemented.is_implemented then 'empty for this record'
            else 'not provided by this integration'
        end as null_means,
        cast(coalesce(observed.records, 0) as bigint) as observed_records,
        case
            when observed.records > 0 then round(1 - observed.filled / observed.records, 4)
        end as observed_null_share,
        implemented.observed_at as integration_info_read_at
    from implemented
    left join integrations
        on
            implemented.integration_type = integrations.integration_type
            and implemented.integration_name = integrations.integration_name
    left join resources
        on
            implemented.integration_type = resources.integration_type
            and implemented.action = resources.action
    left join observed
        on
            resources.resource = observed.resource
            and implemented.integration_name = observed.integration_name
            and implemented.field_name = observed.field_name
)

select * from final
