"""The analytics marts against the simulator's ground truth.

One scenario (module fixture): the simulator (seed 7) is extracted every simulated hour from noon
of the first day and at midnight after it, dbt builds once (the middle build), then a whole day
passes without any run, runs resume at the next midnight for a few hours, and dbt builds again
(incrementally). The marts must then agree with `sim.truth`:

- fct_shipment_costs: net/gross cost and charge count exact to the cent per carrier connection
  and tracking number, and the matched order; fct_order_lifecycle.shipping_cost per order;
- fct_inventory_snapshots: the level at the end of each day, per item and warehouse, for every
  day whose end was followed by a run (the day before the first run up to the last completed
  day, the skipped day included);
- fct_order_lifecycle: the first-observed time of each status is within one hour of when
  Trackstar made it visible; carrier, shipping method and currency as the order names them;
  packages per WMS order; packs (cartons) per order that reached packing, read through the
  per-order packs endpoint within its request budget (the backlog is read by later runs);
- fct_freight_shipments: status and cost per freight shipment;
- fct_warehouse_billing: the amount per connection, day, brand, charge type and currency;
- fct_labor_productivity: activities and units per connection, day, warehouse, user and type.

`python tests/e2e/test_marts_vs_truth.py OUT_DIR` builds the scenario without dbt and pickles the
truth next to the warehouse (handy when iterating on the models).
"""

from __future__ import annotations

import datetime as dt
import pickle
import shutil
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.dbt_build import dbt_build

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
# the dbt project is the repository root; overridable to try a project checked out elsewhere

FIRST_RUN_HOUR = 12  # the pipeline is installed at noon of day 1 (the simulator's history is older)
HOURS_LAST_DAY = 1  # after the skipped day: runs at 00:00 and 01:00


def build_scenario(
    duckdb_path: Path, *, with_dbt: bool = True, mid_copy: Path | None = None
) -> dict[str, Any]:
    """Run the scenario into `duckdb_path`; return the truth the marts are compared with."""
    import pendulum

    from pipelines.extract import extract
    from pipelines.simulator import Simulator, SimulatorServer

    sim = Simulator(seed=7, start=pendulum.datetime(2026, 11, 1, FIRST_RUN_HOUR, tz="UTC"))
    with SimulatorServer(sim, rate_limit=False) as server:  # rate limiting is tested elsewhere

        def run() -> None:
            extract(
                base_url=server.base_url,
                api_key=sim.api_key,
                duckdb_path=duckdb_path,
                progress=False,
                rate_per_second=None,
            )

        start = _now(sim)
        for _ in range(24 - FIRST_RUN_HOUR):
            run()
            sim.advance(hours=1)
        run()  # midnight: the first day's end state is now known
        if with_dbt:
            dbt_build(duckdb_path)
        if mid_copy is not None:
            shutil.copy(duckdb_path, mid_copy)
        sim.advance(hours=24)  # a whole day without runs
        for hour in range(HOURS_LAST_DAY + 1):
            run()  # the first of these, at midnight, closes the skipped day
            if hour < HOURS_LAST_DAY:
                sim.advance(hours=1)
        end = _now(sim)
    if with_dbt:
        dbt_build(duckdb_path, unit_tests=True)

    first_run_day = start.date()
    last_complete_day = end.date() - dt.timedelta(days=1)
    days = []
    # the end of a day is known when a run followed it: the first run's day onwards (and the
    # day before, when the first run was at midnight)
    day = (
        first_run_day - dt.timedelta(days=1)
        if start.hour == 0 and start.minute == 0
        else first_run_day
    )
    while day <= last_complete_day:
        days.append(day)
        day += dt.timedelta(days=1)

    truth = sim.truth
    orders = {}
    order_facts, packs, bills, labor = {}, {}, {}, {}
    for conn in sim.connections:
        cid, kind = conn["connection_id"], conn["integration_type"]
        if kind in ("wms", "cart"):
            for order_id in truth.order_ids(cid):
                orders[(kind, cid, order_id)] = truth.status_history(cid, order_id)
            for r in truth.records(cid, f"{kind}_orders"):
                packages = sum(len(s.get("packages", [s])) for s in r["shipments"])
                order_facts[(kind, cid, r["id"])] = (
                    r["carrier_id"],
                    r["shipping_method_id"],
                    r["invoice_currency_code"],
                    packages,
                )
        if kind == "wms" and "get_orders" in conn["available_actions"]:
            packs[cid] = truth.pack_counts(cid)
        if kind == "wms" and "get_bills" in conn["available_actions"]:
            for r in truth.records(cid, "wms_bills"):
                key = (
                    cid,
                    _day(r["created_date"]),
                    r["warehouse_customer_id"],
                    r["charge_type"],
                    r["currency_code"],
                )
                bills[key] = bills.get(key, Decimal("0")) + Decimal(str(r["amount"]))
        if kind == "wms" and "get_labor_activities" in conn["available_actions"]:
            for r in truth.records(cid, "wms_labor_activities"):
                key = (
                    cid,
                    _day(r["activity_start_time"]),
                    r["warehouse_id"],
                    r["user_id"],
                    r["activity_type"],
                )
                count, units = labor.get(key, (0, 0))
                labor[key] = (count + 1, units + (r["quantity"] or 0))
    return {
        "start": start,
        "end": end,
        "shipment_costs": truth.shipment_costs(),
        "order_costs": truth.order_costs(),
        "orders": orders,
        "inventory": {
            d: truth.inventory_end_of_day(pendulum.date(d.year, d.month, d.day)) for d in days
        },
        "order_facts": order_facts,
        "packs": packs,
        "packs_unsupported": [
            c.connection_id
            for c in sim.world.connections
            if c.integration_type == "wms" and c.packs_unsupported
        ],
        "freight": truth.freight_costs(),
        "bills": bills,
        "labor": labor,
    }


def _day(iso_time: str) -> dt.date:
    return dt.date.fromisoformat(iso_time[:10])


def _now(sim: Any) -> dt.datetime:
    now = sim.now
    if isinstance(now, int | float):
        return dt.datetime.fromtimestamp(now, tz=dt.UTC)
    return dt.datetime.fromtimestamp(now.timestamp(), tz=dt.UTC)


@pytest.fixture(scope="module")
def scenario(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, Any], duckdb.DuckDBPyConnection]:
    path = tmp_path_factory.mktemp("marts") / "warehouse.duckdb"
    truth = build_scenario(path)
    con = duckdb.connect(str(path), read_only=True)
    yield truth, con
    con.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


# ---------------------------------------------------------------------------------------- costs
def check_shipment_costs(truth: dict[str, Any], con: duckdb.DuckDBPyConnection) -> None:
    got = {
        (cid, trk): (net, gross, n, (ocid, oid) if oid is not None else None, matched)
        for cid, trk, net, gross, n, ocid, oid, matched in rows(
            con,
            """
            select connection_id, tracking_number, net_cost, gross_cost, charge_count,
                   order_connection_id, order_id, is_matched
            from analytics.fct_shipment_costs""",
        )
    }
    want = truth["shipment_costs"]
    assert set(got) == set(want), (len(set(want) - set(got)), len(set(got) - set(want)))
    bad = []
    for key, w in want.items():
        net, gross, n, order, matched = got[key]
        if (net, gross, n, order, matched) != (
            w["net_cost"],
            w["gross_cost"],
            w["charge_count"],
            w["order"],
            w["order"] is not None,
        ):
            bad.append((key, got[key], w))
    assert not bad, (len(bad), bad[:5])
    assert all(isinstance(v[0], Decimal) for v in got.values())


def check_order_costs(truth: dict[str, Any], con: duckdb.DuckDBPyConnection) -> None:
    got = {
        (cid, oid): cost
        for cid, oid, cost in rows(
            con,
            """
            select connection_id, order_id, shipping_cost from analytics.fct_order_lifecycle
            where shipping_cost is not null and shipping_cost <> 0""",
        )
    }
    want = {k: v for k, v in truth["order_costs"].items() if v != 0}
    assert got == want, (
        len(got),
        len(want),
        [(k, got.get(k), v) for k, v in want.items() if got.get(k) != v][:5],
    )


# ------------------------------------------------------------------------------------ inventory
LEVELS = (
    "onhand",
    "fulfillable",
    "committed",
    "unfulfillable",
    "awaiting",
    "sellable",
    "unsellable",
)


def check_inventory(truth: dict[str, Any], con: duckdb.DuckDBPyConnection) -> None:
    cols = ", ".join(LEVELS)
    got: dict[dt.date, dict[tuple[str, str, str], dict[str, int]]] = {}
    for day, cid, item, wh, *levels in rows(
        con,
        f"""
            select snapshot_date, connection_id, inventory_item_id, warehouse_id, {cols}
            from analytics.fct_inventory_snapshots""",
    ):
        got.setdefault(day, {})[(cid, item, wh)] = dict(zip(LEVELS, levels, strict=True))
    for day, want in truth["inventory"].items():
        have = got.get(day, {})
        assert set(have) == set(want), (
            day,
            len(want),
            len(have),
            sorted(set(want) ^ set(have))[:5],
        )
        bad = [
            (k, have[k], w)
            for k, w in want.items()
            if any(have[k][q] != w[q] for q in LEVELS if q in w)
        ]
        assert not bad, (day, len(bad), bad[:3])
    # no gaps: every item has one row per day from its first day to the last day loaded
    gaps = rows(
        con,
        """
        select connection_id, inventory_item_id, warehouse_id
        from analytics.fct_inventory_snapshots
        group by all
        having count(*) <> date_diff('day', min(snapshot_date), max(snapshot_date)) + 1""",
    )
    assert not gaps, gaps[:5]


# ------------------------------------------------------------------------------------ lifecycle
STATUSES = (
    "open",
    "confirmed",
    "processing",
    "picked",
    "packed",
    "partially_fulfilled",
    "fulfilled",
    "backordered",
    "exception",
    "cancelled",
)


def check_lifecycle(truth: dict[str, Any], con: duckdb.DuckDBPyConnection) -> None:
    firsts = ", ".join(f"first_{s}_at" for s in STATUSES)
    got = {
        (src, cid, oid): dict(zip(STATUSES, vals, strict=True))
        for src, cid, oid, *vals in rows(
            con,
            f"""
            select source, connection_id, order_id, {firsts} from analytics.fct_order_lifecycle""",
        )
    }
    want_orders = truth["orders"]
    assert set(got) == set(want_orders), len(set(want_orders) ^ set(got))
    start, end = truth["start"], truth["end"]
    hour = dt.timedelta(hours=1)
    bad, checked = [], 0
    for key, history in want_orders.items():
        first_visible: dict[str, dt.datetime] = {}
        for change in history:
            vis = dt.datetime.fromtimestamp(change["visible_at"].timestamp(), tz=dt.UTC)
            first_visible.setdefault(change["status"], vis)
        for status, vis in first_visible.items():
            observed = got[key].get(status)
            if vis > end:
                continue  # not visible yet at the last run
            if observed is None:
                # a status that was visible only between two runs is never observed
                continue
            checked += 1
            if vis >= start and abs(observed - vis) > hour:
                bad.append((key, status, observed, vis))
    assert checked > 0
    assert not bad, (len(bad), bad[:5])
    # every observed status was really an order status at some point
    for key, firsts_ in got.items():
        seen = {c["status"] for c in want_orders[key]}
        assert {s for s, t in firsts_.items() if t is not None} <= seen, key


# ------------------------------------------------------------------- documented-field facts
def check_order_facts(truth: dict[str, Any], con: duckdb.DuckDBPyConnection) -> None:
    got = {
        (src, cid, oid): (carrier, method, currency, packages, pack_count)
        for src, cid, oid, carrier, method, currency, packages, pack_count in rows(
            con,
            """
            select source, connection_id, order_id, carrier_id, shipping_method_id,
                   currency_code, package_count, pack_count
            from analytics.fct_order_lifecycle""",
        )
    }
    bad = [
        (key, got[key][:4], want)
        for key, want in truth["order_facts"].items()
        if got[key][:3] != want[:3] or (key[0] == "wms" and got[key][3] != want[3])
    ]
    assert not bad, (len(bad), bad[:5])
    currencies = {v[2] for v in got.values()}
    assert currencies == {"USD", "CAD"}  # globex's cart sells in CAD
    for cid, counts in truth["packs"].items():
        if cid in truth["packs_unsupported"]:
            assert all(got[("wms", cid, o)][4] is None for o in counts), cid
            continue
        wrong = [
            (o, got[("wms", cid, o)][4], n)
            for o, n in counts.items()
            if got[("wms", cid, o)][4] != n
        ]
        assert counts and not wrong, (cid, len(counts), len(wrong), wrong[:5])


def check_freight(truth: dict[str, Any], con: duckdb.DuckDBPyConnection) -> None:
    got = {
        (cid, sid): (status, cost)
        for cid, sid, status, cost in rows(
            con,
            "select connection_id, freight_shipment_id, status, cost "
            "from analytics.fct_freight_shipments",
        )
    }
    assert truth["freight"] and got == truth["freight"]


def check_billing(truth: dict[str, Any], con: duckdb.DuckDBPyConnection) -> None:
    got = {
        (cid, day, wc, kind, currency): amount
        for cid, day, wc, kind, currency, amount in rows(
            con,
            "select connection_id, charge_date, warehouse_customer_id, charge_type, "
            "currency_code, amount from analytics.fct_warehouse_billing",
        )
    }
    assert truth["bills"] and got == truth["bills"]


def check_labor(truth: dict[str, Any], con: duckdb.DuckDBPyConnection) -> None:
    got = {
        (cid, day, wh, user, kind): (n, units)
        for cid, day, wh, user, kind, n, units in rows(
            con,
            "select connection_id, activity_date, warehouse_id, user_id, activity_type, "
            "activity_count, units from analytics.fct_labor_productivity",
        )
    }
    assert truth["labor"] and got == truth["labor"]


def test_order_carrier_method_currency_packages_and_packs(scenario):
    check_order_facts(*scenario)


def test_freight_shipments_status_and_cost(scenario):
    check_freight(*scenario)


def test_warehouse_billing_per_day_and_currency(scenario):
    check_billing(*scenario)


def test_labor_per_day_user_and_activity(scenario):
    check_labor(*scenario)


def test_shipment_costs_exact_to_the_cent(scenario):
    check_shipment_costs(*scenario)


def test_order_shipping_cost_exact(scenario):
    check_order_costs(*scenario)


def test_inventory_end_of_day_per_item_and_warehouse(scenario):
    check_inventory(*scenario)


def test_status_first_observed_within_an_hour(scenario):
    check_lifecycle(*scenario)


if __name__ == "__main__":  # build the scenario without dbt, pickle the truth (development aid)
    sys.path.insert(0, str(REPO))
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    data = build_scenario(out / "w.duckdb", with_dbt=False, mid_copy=out / "mid.duckdb")
    (out / "truth.pkl").write_bytes(pickle.dumps(data))
    print("done", out)
