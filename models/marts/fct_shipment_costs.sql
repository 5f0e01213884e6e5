-- one row per carrier connection x tracking number: the carrier's charges rolled up (exact
-- decimals, cast to decimal(18,2) before summing) and the order that shipped the parcel, matched
-- by tracking number among the WMS packages and cart shipments of the same customer
with line_items as (
    select * from {{ ref('stg_trackstar__carrier_invoice_line_items') }}
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

rolled_up as (
    {{ shipment_cost_rollup('line_items') }}
),

matches as (
    select
        rolled_up.connection_id,
        rolled_up.tracking_number,
        tracking_numbers.source as order_source,
        tracking_numbers.connection_id as order_connection_id,
        tracking_numbers.order_id
    from rolled_up
    left join connections on rolled_up.connection_id = connections.connection_id
    inner join tracking_numbers
        on rolled_up.tracking_number = tracking_numbers.tracking_number
        -- same customer; a connection without customer_id matches within the organisation
        and (
            connections.customer_id = tracking_numbers.customer_id
            or connections.customer_id is null
            or tracking_numbers.customer_id is null
        )
    qualify row_number() over (
        partition by rolled_up.connection_id, rolled_up.tracking_number
        order by
            (connections.customer_id = tracking_numbers.customer_id) desc nulls last,
            tracking_numbers.source desc,  -- a WMS package before a cart shipment
            tracking_numbers.connection_id asc,
            tracking_numbers.order_id asc
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
