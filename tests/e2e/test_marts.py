"""The marts against the simulator's ground truth, after days of hourly runs and a day without any.

One scenario (module scope) drives everything: a small simulated organisation whose pipeline is
installed on the evening of day 1 and runs every hour until midnight; on day 2 the server is down
(no run after midnight); on day 3 hourly runs resume. `dbt build` runs twice, not every hour:
after day 1 (the first, full build) and at the end (an incremental build over two days of loads).
Then every mart is compared with `sim.truth`:

- fct_shipment_costs: net and gross cost exact to the cent, charge count and matched order for
  every carrier connection and tracking number;
- fct_order_lifecycle: shipping cost per order exact to the cent, current status, and the first
  time each status was observed, within one run interval of the simulator's change time (and
  present whenever a run happened while the order had that status);
- fct_inventory_snapshots: every level of every item and warehouse on every day, exact,
  including the day without runs;
- the incremental build equals a full refresh of the same warehouse.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pendulum
import pytest

from pipelines import settings
from pipelines.extract import extract
from pipelines.simulator import Simulator, SimulatorServer

pytestmark = pytest.mark.e2e

# small enough that an hourly run takes a few seconds, big enough for every kind of record
ORGANISATION = {
    "wms_orders": 300,
    "cart_orders_per_connection": 40,
    "items_per_wms": 8,
    "history_days": 10,
}
RUN_INTERVAL = dt.timedelta(hours=1)
INSTALLED_AT_HOUR = 18  # day 1: the first run (full history) at 18:00, then hourly to midnight
DAY_3_RUNS = 4  # day 3: hourly from midnight after a day without runs, then the final run
QUANTITIES = ("onhand", "fulfillable", "committed", "unfulfillable", "awaiting", "sellable",
              "unsellable")
STATUSES = ("open", "confirmed", "processing", "picked", "packed", "partially_fulfilled",
            "fulfilled", "backordered", "exception", "cancelled", "other")
INCREMENTAL_MARTS = {
    "fct_shipment_costs": ("carrier_connection_id", "tracking_number"),
    "fct_order_status_transitions": ("source", "connection_id", "order_id", "transition_number"),
    "fct_order_lifecycle": ("source", "connection_id", "order_id"),
    "fct_inventory_snapshots": ("snapshot_date", "connection_id", "inventory_item_id",
                                "warehouse_id"),
}


def dbt(warehouse: Path, work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`dbt <args>` on `warehouse`, as `python -m pipelines run` calls it (own target dir)."""
    command = [
        str(Path(sys.executable).with_name("dbt")), *args,
        "--project-dir", str(settings.ROOT),
        "--profiles-dir", str(settings.ROOT / "dbt_project"),
        "--target-path", str(work / "target"),
        "--log-path", str(work / "logs"),
    ]
    env = {**os.environ, "TRACKSTAR_DUCKDB_PATH": str(warehouse)}
    proc = subprocess.run(command, cwd=settings.ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, f"dbt {' '.join(args)} failed:\n{proc.stdout[-6000:]}"
    return proc


@dataclass
class Scenario:
    sim: Simulator
    warehouse: Path
    full_refresh: Path
    run_times: list[dt.datetime] = field(default_factory=list)

    def rows(self, sql: str, path: Path | None = None) -> list[tuple]:
        con = duckdb.connect(str(path or self.warehouse), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def dicts(self, sql: str) -> list[dict[str, Any]]:
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            cursor = con.execute(sql)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            con.close()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Iterator[Scenario]:
    work = tmp_path_factory.mktemp("marts")
    sim = Simulator(seed=7, **ORGANISATION)
    # the copy keeps the file name: DuckDB names the catalog after it, and views refer to it
    (work / "full_refresh").mkdir()
    state = Scenario(sim, work / "trackstar.duckdb", work / "full_refresh" / "trackstar.duckdb")
    with SimulatorServer(sim, port=0, rate_limit=False) as server:

        def run() -> None:
            extract(base_url=server.base_url, api_key=sim.api_key, duckdb_path=state.warehouse,
                    progress=False, rate_per_second=None)
            state.run_times.append(sim.now)

        sim.advance(hours=INSTALLED_AT_HOUR)
        for _ in range(24 - INSTALLED_AT_HOUR):  # day 1: every hour from 18:00
            run()
            sim.advance(hours=1)
        run()  # midnight: the last run before the outage sees the end of day 1
        dbt(state.warehouse, work, "build")
        sim.advance(hours=24)  # day 2: the server is down, the world moves on
        for _ in range(DAY_3_RUNS):  # day 3: every hour again, from midnight
            run()
            sim.advance(hours=1)
        run()  # the warehouse is now as current as the truth
        dbt(state.warehouse, work, "build")  # incremental: two days of loads
    shutil.copy(state.warehouse, state.full_refresh)
    dbt(state.full_refresh, work, "run", "--full-refresh", "--select", "marts")
    yield state


def utc(value: Any) -> dt.datetime:
    return pendulum.instance(value).in_timezone("UTC")


def test_shipment_costs_exact_to_the_cent_per_tracking_number(scenario: Scenario) -> None:
    truth = scenario.sim.truth.shipment_costs()
    ours = {
        (row["carrier_connection_id"], row["tracking_number"]): row
        for row in scenario.dicts("select * from analytics.fct_shipment_costs")
    }
    assert truth, "the scenario produced no carrier charges"
    assert set(ours) == set(truth)
    for key, expected in truth.items():
        row = ours[key]
        assert row["net_cost"] == expected["net_cost"], key
        assert row["gross_cost"] == expected["gross_cost"], key
        assert row["charge_count"] == expected["charge_count"], key
        matched = (row["connection_id"], row["order_id"]) if row["is_matched"] else None
        assert matched == expected["order"], key
        assert row["match_status"] == ("matched_customer" if matched else "unmatched"), key
    unmatched = [k for k, v in truth.items() if v["order"] is None]
    assert unmatched, "the scenario should include charges that match no order"


def test_shipping_cost_per_order_exact_to_the_cent(scenario: Scenario) -> None:
    truth = scenario.sim.truth.order_costs()
    ours = {
        (connection_id, order_id): cost
        for connection_id, order_id, cost in scenario.rows(
            "select connection_id, order_id, shipping_cost from analytics.fct_order_lifecycle "
            "where shipping_cost is not null"
        )
    }
    assert truth
    assert ours == truth


def test_order_lifecycle_first_observed_status_times(scenario: Scenario) -> None:
    sim, runs = scenario.sim, scenario.run_times
    columns = ", ".join(f"first_{s}_at" for s in STATUSES)
    lifecycle = {
        (row["connection_id"], row["order_id"]): row
        for row in scenario.dicts(
            f"select source, connection_id, order_id, current_status, is_cancelled, {columns} "
            "from analytics.fct_order_lifecycle"
        )
    }
    expected_orders = {
        (c["connection_id"], order_id)
        for c in sim.connections if c["integration_type"] in ("wms", "cart")
        for order_id in sim.truth.order_ids(c["connection_id"])
    }
    assert set(lifecycle) == expected_orders

    checked = observed = 0
    for (connection_id, order_id), row in lifecycle.items():
        history = sim.truth.status_history(connection_id, order_id)
        assert row["current_status"] == history[-1]["status"]
        assert row["is_cancelled"] == (history[-1]["status"] == "cancelled")
        for i, change in enumerate(history):
            status, visible = change["status"], utc(change["visible_at"])
            if any(earlier["status"] == status for earlier in history[:i]):
                continue
            until = utc(history[i + 1]["visible_at"]) if i + 1 < len(history) else None
            # a run saw the status if one happened while the order had it
            seen = any(visible <= r and (until is None or r < until) for r in runs)
            ours = row[f"first_{status}_at"]
            checked += 1
            if not seen:
                assert ours is None, (connection_id, order_id, status)
                continue
            observed += 1
            assert ours is not None, (connection_id, order_id, status, visible)
            assert abs(utc(ours) - visible) <= RUN_INTERVAL, (connection_id, order_id, status)
        for status in STATUSES:  # nothing observed that never happened
            if row[f"first_{status}_at"] is not None:
                assert any(change["status"] == status for change in history)
    assert observed > 100 and checked > observed  # both kinds of statuses occurred


def test_inventory_snapshots_exact_per_item_warehouse_and_day(scenario: Scenario) -> None:
    sim = scenario.sim
    ours: dict[dt.date, dict[tuple[str, str, str], dict[str, int]]] = {}
    for row in scenario.dicts(
        f"select snapshot_date, connection_id, inventory_item_id, warehouse_id, "
        f"{', '.join(QUANTITIES)} from analytics.fct_inventory_snapshots"
    ):
        key = (row["connection_id"], row["inventory_item_id"], row["warehouse_id"])
        ours.setdefault(row["snapshot_date"], {})[key] = {q: row[q] for q in QUANTITIES}

    days = sorted(ours)
    last_run_day = max(scenario.run_times).date()
    assert days[-1] == last_run_day
    assert days == [days[0] + dt.timedelta(days=n) for n in range((days[-1] - days[0]).days + 1)]
    outage_day = max(scenario.run_times).date() - dt.timedelta(days=1)
    assert not [r for r in scenario.run_times if r.date() == outage_day and r.hour > 0]
    assert outage_day in ours  # carried over the day without runs

    for day in days:
        truth = sim.truth.inventory_end_of_day(pendulum.date(day.year, day.month, day.day))
        assert set(ours[day]) == set(truth), day
        for key, levels in truth.items():
            expected = {q: levels[q] for q in QUANTITIES}
            assert ours[day][key] == expected, (day, key)


def test_incremental_build_equals_full_refresh(scenario: Scenario) -> None:
    for mart, key in INCREMENTAL_MARTS.items():
        order = ", ".join(key)
        sql = f"select * exclude (last_load_id) from analytics.{mart} order by {order}"
        incremental = scenario.rows(sql)
        full = scenario.rows(sql, scenario.full_refresh)
        assert incremental, mart
        assert incremental == full, mart


def test_dim_connections_has_every_connection(scenario: Scenario) -> None:
    rows = {
        row["connection_id"]: row
        for row in scenario.dicts("select * from analytics.dim_connections")
    }
    assert set(rows) == {c["connection_id"] for c in scenario.sim.connections}
    for connection in scenario.sim.connections:
        row = rows[connection["connection_id"]]
        assert row["integration_type"] == connection["integration_type"]
        assert row["customer_id"] == connection["customer_id"]
        assert row["last_successful_extraction_at"] is not None
