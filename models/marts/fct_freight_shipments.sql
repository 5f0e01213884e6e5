-- one row per freight shipment (freight connection x shipment): where it is, how it travels,
-- when it left and arrived against its ETA, and what it cost. Small (a few shipments a day per
-- forwarder): rebuilt in full on every build.
with shipments as (
    select * from {{ ref('stg_trackstar__freight_shipments') }}
),

final as (
    select
        connection_id,
        freight_shipment_id,
        status,
        raw_status,
        shipment_method,
        created_at,
        shipment_date as shipped_at,
        eta_date as eta_at,
        arrival_date as arrived_at,
        coalesce(status = 'final_destination', false) as is_delivered,
        cast(
            round(date_diff('second', shipment_date, arrival_date) / 86400.0, 2) as decimal(18, 2)
        ) as transit_days,
        case
            when arrival_date is null or eta_date is null then null
            else arrival_date <= eta_date
        end as arrived_by_eta,
        cast(cost as decimal(18, 2)) as cost,
        external_system_url,
        trackstar_updated_at
    from shipments
)

select * from final
