-- The marts keep money as decimal(18, 2). A carrier charge with a fraction of a cent would be
-- rounded there: warn, so the precision can be raised before totals drift.
{{ config(severity='warn') }}

select
    connection_id,
    line_item_id,
    net_cost,
    gross_cost

from {{ ref('stg_trackstar__carrier_invoice_line_items') }}
where net_cost != round(net_cost, 2)
    or gross_cost != round(gross_cost, 2)
