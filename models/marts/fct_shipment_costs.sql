{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['connection_id', 'tracking_number'],
        on_schema_change='fail',
        post_hook="{{ record_watermark(connections_fingerprint()) }}",
    )
}}
-- one row per carrier connection x tracking number: the carrier's charges rolled up (exact
-- decimals, cast to decimal(18,2) before summing) and the order that shipped the parcel, matched
-- by tracking number among the WMS packages and cart shipments of the same customer.
--
-- Incremental: a row depends on every charge of its tracking number and on every order with
-- that tracking number, so the build recomputes whole tracking numbers (for every carrier
-- connection) from all their charges and packages: those with charges loaded since the last
-- build or left by them (a charge moved to another tracking number), those of orders loaded
-- since (a new package may match, or match better), and those matched before to an order
-- loaded since (its package may be gone). delete+insert replaces their rows. When the
-- connections' customers change, or the watermark is missing, every tracking number is
-- recomputed.
-- depends_on: {{ ref('int_trackstar__orders') }}
{%- set watermark = incremental_watermark(connections_fingerprint() if is_incremental() else none) %}
with line_items as (
    select * from {{ ref('int_trackstar__carrier_invoice_line_items') }}
),

connections as (
    select
        connection_id,
        customer_id
    from {{ ref('stg_trackstar__connections') }}
),

tracking_numbers as (
    select * from {{ ref('int_trackstar__order_tracking_numbers') }}
),

{% if watermark is not none %}
    changed_orders as (
        select
            source,
            connection_id,
            order_id
        from {{ ref('int_trackstar__orders') }}
        where _dlt_load_id > '{{ watermark }}'
    ),

    -- (the relations, not the CTEs above: a CTE used twice would be materialized in full)
    changed_tracking_numbers as (
        -- the charges' tracking numbers, now and before (a charge may have moved: a corrected
        -- label); a null one matches nothing below
        select unnest(list_append(previous_tracking_numbers, tracking_number)) as tracking_number
        from {{ ref('int_trackstar__carrier_invoice_line_items') }}
        where _dlt_load_id > '{{ watermark }}'
        union
        select tracking_number
        from {{ ref('int_trackstar__order_tracking_numbers') }}
        where _dlt_load_id > '{{ watermark }}'
        union
        select previous.tracking_number
        from {{ this }} as previous
        semi join changed_orders
            on
                previous.order_source = changed_orders.source
                and previous.order_connection_id = changed_orders.connection_id
                and previous.order_id = changed_orders.order_id
    ),

    scoped_line_items as (
        select line_items.*
        from line_items
        semi join changed_tracking_numbers
            on line_items.tracking_number = changed_tracking_numbers.tracking_number
    ),

    scoped_tracking_numbers as (
        select tracking_numbers.*
        from tracking_numbers
        semi join changed_tracking_numbers
            on tracking_numbers.tracking_number = changed_tracking_numbers.tracking_number
    ),
{% else %}
scoped_line_items as (
    select * from line_items
),

scoped_tracking_numbers as (
    select * from tracking_numbers
),
{% endif %}

rolled_up as (
    {{ shipment_cost_rollup('scoped_line_items') }}
),

matches as (
    select
        rolled_up.connection_id,
        rolled_up.tracking_number,
        scoped_tracking_numbers.source as order_source,
        scoped_tracking_numbers.connection_id as order_connection_id,
        scoped_tracking_numbers.order_id
    from rolled_up
    left join connections on rolled_up.connection_id = connections.connection_id
    inner join scoped_tracking_numbers
        on rolled_up.tracking_number = scoped_tracking_numbers.tracking_number
        -- same customer; a connection without customer_id matches within the organisation
        and (
            connections.customer_id = scoped_tracking_numbers.customer_id
            or connections.customer_id is null
            or scoped_tracking_numbers.customer_id is null
        )
    qualify row_number() over (
        partition by rolled_up.connection_id, rolled_up.tracking_number
        order by
            (connections.customer_id = scoped_tracking_numbers.customer_id) desc nulls last,
            scoped_tracking_numbers.source desc,  -- a WMS package before a cart shipment
            scoped_tracking_numbers.connection_id asc,
            scoped_tracking_numbers.order_id asc
    ) = 1
),

final as (
    select
        rolled_up.connection_id,
        rolled_up.tracking_number,
        rolled_up.net_cost,
        rolled_up.gross_cost,
        rolled_up.charge_count,
        rolled_up.invoice_ids,
        rolled_up.first_transaction_date,
        rolled_up.last_transaction_date,
        matches.order_connection_id,
        matches.order_id,
        matches.order_source,
        matches.order_id is not null as is_matched
    from rolled_up
    left join matches
        on
            rolled_up.connection_id = matches.connection_id
            and rolled_up.tracking_number = matches.tracking_number
)

select * from final
