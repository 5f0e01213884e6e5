{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key=['carrier_connection_id', 'tracking_number'],
        on_schema_change='fail',
    )
}}

-- What each shipment cost at the carrier: the charges of one carrier connection and tracking
-- number summed (decimal arithmetic, exact to the cent), matched by tracking number to the WMS
-- package or cart shipment of the same customer.
--
-- Incremental: a build recomputes only the tracking numbers that got new charges, or whose
-- order shipments changed, since the last build (rows with a newer _dlt_load_id), from all of
-- their charges; a carrier connection whose customer changed is recomputed in full.

with

charges as (

    select * from {{ ref('stg_trackstar__carrier_invoice_line_items') }}

),

connections as (

    select * from {{ ref('stg_trackstar__connections') }}

),

order_tracking_numbers as (

    select * from {{ ref('int_order_tracking_numbers') }}

),

{% if is_incremental() %}

touched_tracking_numbers as (

    select tracking_number
    from charges
    where _dlt_load_id > {{ load_watermark() }}

    union

    select tracking_number
    from order_tracking_numbers
    where _dlt_load_id > {{ load_watermark() }}

),

rematched_carriers as (

    -- the customer of a carrier connection changed: its matches are redone
    select distinct existing.carrier_connection_id
    from {{ this }} as existing
    inner join connections
        on existing.carrier_connection_id = connections.connection_id
    where existing.customer_id is distinct from connections.customer_id

),

{% endif %}

charges_in_scope as (

    select *
    from charges
    where nullif(trim(tracking_number), '') is not null
    {% if is_incremental() %}
        and (
            trim(tracking_number) in (select tracking_number from touched_tracking_numbers)
            or connection_id in (select carrier_connection_id from rematched_carriers)
        )
    {% endif %}

),

rolled_up as (

    select
        connection_id as carrier_connection_id,
        trim(tracking_number) as tracking_number,
        sum(net_cost) as net_cost,
        sum(gross_cost) as gross_cost,
        count(*) as charge_count,
        count(distinct invoice_id) as invoice_count,
        string_agg(distinct invoice_id, ', ' order by invoice_id) as invoice_ids,
        min(transaction_at) as first_transaction_date,
        max(transaction_at) as last_transaction_date,
        max(_dlt_load_id) as _dlt_load_id

    from charges_in_scope
    group by connection_id, trim(tracking_number)

),

with_customer as (

    select
        rolled_up.*,
        connections.customer_id

    from rolled_up
    left join connections
        on rolled_up.carrier_connection_id = connections.connection_id

),

candidates as (

    -- orders that shipped with the tracking number: of the same customer, or anywhere in the
    -- organisation when the carrier connection or the order's connection has no customer id
    select
        with_customer.carrier_connection_id,
        with_customer.tracking_number,
        order_tracking_numbers.source as order_source,
        order_tracking_numbers.connection_id,
        order_tracking_numbers.order_id,
        order_tracking_numbers.shipped_at,
        order_tracking_numbers._dlt_load_id,
        case
            when with_customer.customer_id = order_tracking_numbers.customer_id then 'customer'
            else 'organisation'
        end as match_scope

    from with_customer
    inner join order_tracking_numbers
        on with_customer.tracking_number = order_tracking_numbers.tracking_number
        and (
            with_customer.customer_id = order_tracking_numbers.customer_id
            or with_customer.customer_id is null
            or order_tracking_numbers.customer_id is null
        )

),

ranked_candidates as (

    select
        *,
        count(*) over (
            partition by carrier_connection_id, tracking_number
        ) as candidate_count,
        -- several candidates: the same customer's order first, then the WMS package (the
        -- physical parcel) over the cart shipment that mirrors it, then the earliest shipment
        row_number() over (
            partition by carrier_connection_id, tracking_number
            order by
                match_scope = 'customer' desc,
                order_source = 'wms' desc,
                shipped_at asc nulls last,
                connection_id,
                order_id
        ) as candidate_rank

    from candidates

),

best_match as (

    select * from ranked_candidates where candidate_rank = 1

),

final as (

    select
        with_customer.carrier_connection_id,
        with_customer.tracking_number,
        with_customer.customer_id,
        cast(with_customer.net_cost as decimal(18, 2)) as net_cost,
        cast(with_customer.gross_cost as decimal(18, 2)) as gross_cost,
        cast(with_customer.gross_cost - with_customer.net_cost as decimal(18, 2)) as discount_amount,
        with_customer.charge_count,
        with_customer.invoice_count,
        with_customer.invoice_ids,
        with_customer.first_transaction_date,
        with_customer.last_transaction_date,
        best_match.order_source,
        best_match.connection_id,
        best_match.order_id,
        best_match.shipped_at,
        best_match.order_id is not null as is_matched,
        coalesce('matched_' || best_match.match_scope, 'unmatched') as match_status,
        coalesce(best_match.candidate_count, 0) as candidate_order_count,
        greatest(with_customer._dlt_load_id, best_match._dlt_load_id) as last_load_id

    from with_customer
    left join best_match
        on with_customer.carrier_connection_id = best_match.carrier_connection_id
        and with_customer.tracking_number = best_match.tracking_number

)

select * from final
