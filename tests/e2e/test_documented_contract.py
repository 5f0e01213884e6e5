"""Scheduled runs against exactly what Trackstar documents, and against what goes wrong with it.

- records with every documented field, and records with only the fields the spec marks
  required: two consecutive runs exit 0, every mart builds, carrier files are read from the
  cursor (`start_time`) on the second run;
- a poisoned page (a record without id, one with an unparsable cursor, one whose nested list is
  a string): the run sets those records aside visibly, exits "a connection failed", and the
  three runs after it neither wedge nor lose anything;
- an endpoint that refuses `trackstar_updated_date[gte]` and a connection listed without its
  token: the run falls back to `updated_date` for that endpoint, names the token to configure,
  and `dim_connections` says both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.run import EXIT_CONNECTION_FAILED, EXIT_OK
from tests.e2e.test_scheduled_run import run_env, run_pipeline

pytestmark = pytest.mark.e2e

SMALL = {"wms_orders": 200, "cart_orders_per_connection": 30, "items_per_wms": 8, "history_days": 5}
ORDER_TABLES = {"wms": "wms_orders", "cart": "cart_orders"}


def _record_requests(running: Any) -> list[tuple[str, dict[str, str]]]:
    """Every request the simulator answers, as (path, query), from now on."""
    seen: list[tuple[str, dict[str, str]]] = []
    api = running.server.api
    handle = api.handle

    def recording(method: str, path: str, query: list, headers: Any, body: bytes):
        seen.append((path, dict(query)))
        return handle(method, path, query, headers, body)

    api.handle = recording
    return seen


def _query(path: Path, sql: str, *params: Any) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _rejected(path: Path) -> list[tuple]:
    """(resource, records set aside) from rejected_records (absent until something is)."""
    exists = _query(
        path,
        "select count(*) from information_schema.tables "
        "where table_schema = 'trackstar_raw' and table_name = 'rejected_records'",
    )
    if exists == [(0,)]:
        return []
    return _query(
        path,
        "select resource, count(*) from trackstar_raw.rejected_records group by 1 order by 1",
    )


def _matches_truth(running: Any, warehouse: Path, tables: dict[str, str]) -> None:
    """Every record of `tables` (vertical -> table) landed once: nothing lost or duplicated."""
    for conn in running.sim.connections:
        table = tables.get(conn["integration_type"])
        if table is None:
            continue
        want = {r["id"] for r in running.sim.truth.records(conn["connection_id"], table)}
        got = _query(
            warehouse,
            f"select id, count(*) from trackstar_raw.{table} where connection_id = ? group by id",
            conn["connection_id"],
        )
        assert {i for i, _ in got} == want, (conn["integration_name"], len(want), len(got))
        assert all(n == 1 for _, n in got)


def _orders_match_truth(running: Any, warehouse: Path) -> None:
    _matches_truth(running, warehouse, ORDER_TABLES)


@pytest.mark.parametrize("minimal", [False, True], ids=["documented", "required-only"])
def test_two_runs_on_documented_records_exit_0_and_build_every_mart(
    make_simulator, tmp_path: Path, minimal: bool
) -> None:
    running = make_simulator(rate_limit=False, **SMALL)
    running.sim.faults.update(minimal_records=minimal)
    env = run_env(running, tmp_path)
    requests = _record_requests(running)

    first = run_pipeline(env)
    assert first.returncode == EXIT_OK, first.stdout[-3000:] + first.stderr[-3000:]
    first_files = [q for p, q in requests if p == "/carrier/files"]
    requests.clear()
    running.sim.advance(hours=1)
    second = run_pipeline(env)
    assert second.returncode == EXIT_OK, second.stdout[-3000:] + second.stderr[-3000:]

    warehouse = Path(env["TRACKSTAR_DUCKDB_PATH"])
    _orders_match_truth(running, warehouse)
    assert _rejected(warehouse) == []
    # carrier files: the whole history first, then from the cursor
    second_files = [q for p, q in requests if p == "/carrier/files"]
    assert first_files and all(q["start_time"].startswith("2000-") for q in first_files)
    assert second_files and all(q["start_time"] > "2026-" for q in second_files)
    published = Path(env["TRACKSTAR_ANALYTICS_PATH"])
    counts = dict(
        _query(
            published,
            "select table_name, estimated_size from duckdb_tables() where schema_name = 'main'",
        )
    )
    for mart in ("fct_order_lifecycle", "dim_connections", "fct_shipment_costs"):
        assert mart in counts, sorted(counts)
    lifecycle = _query(published, "select count(*) from fct_order_lifecycle")[0][0]
    assert lifecycle == sum(
        len(running.sim.truth.order_ids(c["connection_id"]))
        for c in running.sim.connections
        if c["integration_type"] in ORDER_TABLES
    )
    if not minimal:  # the documented fields carry the costs and the ship-to data
        net = _query(published, "select sum(net_cost) from fct_shipment_costs")[0][0]
        want = sum(r["net_cost"] for r in running.sim.truth.shipment_costs().values())
        assert net == want
        assert _query(published, "select count(*) from fct_freight_shipments")[0][0] > 0


def test_a_poisoned_page_then_three_runs_nothing_wedged_nothing_lost(
    make_simulator, tmp_path: Path
) -> None:
    running = make_simulator(rate_limit=False, **SMALL)
    sim = running.sim
    env = run_env(running, tmp_path)
    sim.faults.update(
        poison_records={
            "/wms/orders": "missing_id",
            "/cart/orders": "bad_cursor",
            "/wms/inbound-shipments": "bad_nested",
        }
    )
    poisoned = run_pipeline(env)
    assert poisoned.returncode == EXIT_CONNECTION_FAILED, poisoned.stdout[-3000:]
    warehouse = Path(env["TRACKSTAR_DUCKDB_PATH"])
    aside = _rejected(warehouse)
    assert [t for t, _ in aside] == ["cart_orders", "wms_inbound_shipments", "wms_orders"]
    logged = _query(
        warehouse,
        "select resource, sum(rejected) from trackstar_raw.sync_log "
        "where rejected > 0 group by 1 order by 1",
    )
    assert logged == aside

    sim.faults.update(poison_records={})  # Trackstar fixes the records
    for _ in range(3):
        sim.advance(hours=1)
        later = run_pipeline(env)
        assert later.returncode == EXIT_OK, later.stdout[-3000:] + later.stderr[-3000:]
    _orders_match_truth(running, warehouse)
    _matches_truth(running, warehouse, {"wms": "wms_inbound_shipments"})  # the poisoned one too


def test_refused_cursor_and_missing_token_are_handled_and_shown_in_dim_connections(
    make_simulator, tmp_path: Path
) -> None:
    running = make_simulator(rate_limit=False, **SMALL)
    sim = running.sim
    env = run_env(running, tmp_path)
    cart = sim.connection("cart", "cust_globex")["connection_id"]
    sim.faults.update(
        refuse_filters={"/wms/orders": ["trackstar_updated_date"]},
        connections_without_tokens=[cart],
    )
    first = run_pipeline(env)
    assert first.returncode == EXIT_CONNECTION_FAILED, first.stdout[-3000:]
    problems = _query(
        Path(env["TRACKSTAR_DUCKDB_PATH"]),
        "select message from trackstar_raw.sync_log where connection_id = ? and status = 'failed'",
        cart,
    )
    assert problems and all("needs its access token configured" in m for (m,) in problems)
    sim.advance(hours=1)
    second = run_pipeline(env)
    assert second.returncode == EXIT_CONNECTION_FAILED

    warehouse = Path(env["TRACKSTAR_DUCKDB_PATH"])
    _matches_truth(running, warehouse, {"wms": "wms_orders"})  # read by updated_date: complete
    fallbacks = _query(
        warehouse,
        "select distinct resource, cursor_field, cursor_fallback from trackstar_raw.sync_log "
        "where cursor_fallback",
    )
    assert {(r, f) for r, f, _ in fallbacks} == {("wms_orders", "updated_date")}

    published = Path(env["TRACKSTAR_ANALYTICS_PATH"])
    dims = {
        row[0]: row[1:]
        for row in _query(
            published,
            "select connection_id, integration_type, needs_access_token, connection_problem, "
            "cursor_fallbacks from dim_connections",
        )
    }
    assert {t for t, *_ in dims.values()} == {"wms", "cart", "carrier", "freight"}
    assert dims[cart][1] is True and "ACCESS_TOKENS" in dims[cart][2].upper()
    assert all(not d[1] for cid, d in dims.items() if cid != cart)
    wms = [d for d in dims.values() if d[0] == "wms"]
    assert wms and all("wms_orders" in (d[3] or "") for d in wms)
