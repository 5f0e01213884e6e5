"""The pipeline against the simulator over HTTP, compared with the simulator's ground truth.

Small organisations (a few hundred orders) keep each run to a few seconds; the rate limit is on,
so every run also proves that a normal run never sees a 429.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pendulum
import pytest
import warehouse
from trackstar_fakes import FAST_RETRY

from pipelines import settings
from pipelines.extract import extract
from pipelines.trackstar import date_windows
from pipelines.trackstar import endpoints as ep
from pipelines.trackstar.client import RetryPolicy, TransientError

SMALL = {
    "wms_orders": 300,
    "cart_orders_per_connection": 40,
    "items_per_wms": 8,
    "history_days": 10,
}


class Run:
    """One simulator and one warehouse file, run after run."""

    def __init__(self, running: Any, path: Path) -> None:
        self.running, self.sim, self.path = running, running.sim, path

    def __call__(self, **kwargs: Any):
        kwargs.setdefault("retry", FAST_RETRY)
        report = extract(
            base_url=self.running.base_url,
            api_key=self.sim.api_key,
            duckdb_path=self.path,
            progress=False,
            **kwargs,
        )
        self.last = report
        return report

    def query(self, sql: str, *params: Any) -> list[tuple]:
        with self.reading() as con:
            return con.execute(sql, list(params)).fetchall()

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One read-only connection for many queries (opening the file is the slow part)."""
        con = warehouse.connect(self.path)
        try:
            yield con
        finally:
            con.close()

    def connection(self, integration_type: str, customer_id: str | None = None) -> dict:
        return self.sim.connection(integration_type, customer_id)


@pytest.fixture
def run(make_simulator, tmp_path) -> Run:
    return Run(make_simulator(**SMALL), tmp_path / "w.duckdb")


def _ts(value: str | None) -> str | None:
    return pendulum.parse(value).in_timezone("UTC").isoformat() if value else None


def _key(values: Any) -> tuple:
    """A record's key, timestamps (carrier files' generated_time) in one form."""
    return tuple(_ts(v) if v and v[:2] == "20" and ":" in v else v for v in map(str, values))


def assert_matches_truth(run: Run, skip_connections: frozenset[str] = frozenset()) -> int:
    """Every record of every readable resource present exactly once, at its latest version."""
    with run.reading() as con:
        return _matches_truth(run, con, skip_connections)


def _matches_truth(
    run: Run, con: duckdb.DuckDBPyConnection, skip_connections: frozenset[str]
) -> int:
    checked = 0
    for meta in run.sim.connections:
        cid = meta["connection_id"]
        if cid in skip_connections:
            continue
        for endpoint in ep.for_vertical(meta["integration_type"]):
            if endpoint.action not in meta["available_actions"]:
                continue
            if not meta["historical_sync_completed"].get(endpoint.action, True):
                continue
            keys = [c for c in endpoint.primary_key if c != "connection_id"]
            truth = {
                _key(r[k] for k in keys): r for r in run.sim.truth.records(cid, endpoint.table)
            }
            if not truth:
                continue
            table = endpoint.table
            assert warehouse.duplicate_keys(con, table, endpoint.primary_key) == []
            has_cursor = endpoint.mode is not ep.Mode.FULL and endpoint.cursor == ep.CURSOR_FIELD
            key_sql = ", ".join(f"{k}::varchar" for k in keys)
            rows = con.execute(
                f"select {'trackstar_updated_date::varchar' if has_cursor else 'null'}, {key_sql} "
                f"from trackstar_raw.{table} where connection_id = ?",
                [cid],
            ).fetchall()
            assert len(rows) == len(truth), (cid, table)
            for tud, *key_values in rows:
                key = _key(key_values)
                assert key in truth, (cid, table, key)
                if has_cursor:
                    expected = _ts(truth[key]["trackstar_updated_date"])
                    assert _ts(tud) == expected, (cid, table, key)
            checked += len(rows)
    return checked


def assert_orders_landed_once(run: Run, connection_id: str, orders: list[dict]) -> None:
    """The connection's `wms_orders` are `orders`, each once, at its version."""
    landed = run.query(
        "select id, trackstar_updated_date::varchar from trackstar_raw.wms_orders "
        "where connection_id = ?",
        connection_id,
    )
    assert sorted((i, _ts(t)) for i, t in landed) == sorted(
        (r["id"], _ts(r["trackstar_updated_date"])) for r in orders
    )


def assert_histories_match_truth(run: Run) -> None:
    """Order status versions are real versions; the newest is the current status; inventory
    history ends at the current levels."""
    for kind in ("wms", "cart"):
        for meta in (c for c in run.sim.connections if c["integration_type"] == kind):
            cid = meta["connection_id"]
            current = {r["id"]: r["status"] for r in run.sim.truth.records(cid, f"{kind}_orders")}
            rows = run.query(
                f"select order_id, status, trackstar_updated_date from "
                f"trackstar_raw.{kind}_order_status_history where connection_id = ? "
                "order by order_id, trackstar_updated_date",
                cid,
            )
            latest: dict[str, str] = {}
            for order_id, status, tud in rows:
                versions = {
                    (h["status"], h["visible_at"].int_timestamp)
                    for h in run.sim.truth.status_history(cid, order_id)
                }
                visible = {v for _, v in versions}
                if int(tud.timestamp()) in visible:  # a status change (not a late resurfacing)
                    assert (status, int(tud.timestamp())) in versions, (cid, order_id, status)
                latest[order_id] = status
            assert latest == current, cid
    levels = run.sim.truth.inventory_at(run.sim.now)
    rows = run.query(
        "select connection_id, inventory_item_id, warehouse_id, onhand, committed, fulfillable, "
        "awaiting from trackstar_raw.wms_inventory_history h where trackstar_updated_date = ("
        "select max(trackstar_updated_date) from trackstar_raw.wms_inventory_history l "
        "where l.connection_id = h.connection_id and l.inventory_item_id = h.inventory_item_id "
        "and l.warehouse_id = h.warehouse_id)"
    )
    assert {
        (c, i, w): {"onhand": o, "committed": cm, "fulfillable": f, "awaiting": a}
        for c, i, w, o, cm, f, a in rows
    } == {
        key: {q: lv[q] for q in ("onhand", "committed", "fulfillable", "awaiting")}
        for key, lv in levels.items()
    }


def test_full_then_incremental_runs_hold_every_record_once_at_its_latest_version(run):
    report = run()
    assert not report.failed and report.http["rate_limited"] == 0
    assert assert_matches_truth(run) > 1000
    globex_cart = run.connection("cart", "cust_globex")["connection_id"]
    entry = report.entry(globex_cart, "cart_products")
    assert entry.status == "sync_incomplete" and entry.cursor_to is None

    late_before = sum(
        len(run.sim.truth.late_surfaced(c["connection_id"])) for c in run.sim.connections
    )
    for hours in (4, 21):  # past a day: the cart products' historical sync completes
        run.sim.advance(hours=hours)
        report = run()
        assert not report.failed and report.http["rate_limited"] == 0
        assert_matches_truth(run)
    assert_histories_match_truth(run)

    # an old record that Trackstar surfaced late was picked up (its updated_date is old)
    late = [
        (c["connection_id"], rid)
        for c in run.sim.connections
        for rid, _ in run.sim.truth.late_surfaced(c["connection_id"])
    ]
    assert len(late) > late_before
    kinds = {c["connection_id"]: c["integration_type"] for c in run.sim.connections}
    with run.reading() as con:
        for cid, rid in late:
            rows = con.execute(
                f"select updated_date < trackstar_updated_date - interval 1 day from "
                f"trackstar_raw.{kinds[cid]}_orders where connection_id = ? and id = ?",
                [cid, rid],
            ).fetchall()
            assert rows == [(True,)], (cid, rid)

    # the late historical sync was read in full once it completed, and its cursor moved then
    assert report.entry(globex_cart, "cart_products").rows == len(
        run.sim.truth.records(globex_cart, "cart_products")
    )
    statuses = run.query(
        "select status from trackstar_raw.sync_log where connection_id = ? and "
        "resource = 'cart_products' order by started_at",
        globex_cart,
    )
    assert [s for (s,) in statuses][:1] == ["sync_incomplete"]
    assert [s for (s,) in statuses][-1] == "ok"


def test_revoked_token_fails_its_connection_only_and_catches_up_later(run):
    wms = run.connection("wms", "cust_acme")["connection_id"]
    run.sim.faults.update(invalid_connections=[wms])
    report = run()

    assert report.failed
    failed = {e.resource for e in report.failures}
    assert failed and all(e.connection_id == wms for e in report.failures)
    assert {e.http_status for e in report.failures} == {401}
    assert assert_matches_truth(run, skip_connections=frozenset({wms})) > 0
    assert run.query(
        "select count(*) from trackstar_raw.wms_orders where connection_id = ?", wms
    ) == [(0,)]
    logged = run.query(
        "select distinct status, http_status from trackstar_raw.sync_log where connection_id = ?",
        wms,
    )
    assert logged == [("failed", 401)]

    run.sim.faults.update(invalid_connections=[])
    run.sim.advance(hours=1)
    report = run()
    assert not report.failed
    assert_matches_truth(run)


def test_403_and_501_are_capability_gaps_not_failures(run, monkeypatch):
    # Cool WMS answers 501 for returns and 403 for bills and the ledger; make Trackstar list them
    # anyway, as an organisation whose metadata is out of date would
    cool = next(c for c in run.sim.world.connections if c.integration_name == "cool_wms")
    everything = sorted({r.action for r in cool.resources()})
    monkeypatch.setattr(cool, "actions", lambda: everything)

    report = run()

    assert not report.failed
    gaps = {e.resource: e.http_status for e in report.capability_gaps}
    assert gaps == {
        "wms_returns": 501,
        "wms_bills": 403,
        "wms_inventory_ledger": 403,
        "wms_labor_activities": 501,
        "wms_order_packs": 501,  # Cool WMS has no packs endpoint either
    }
    assert run.query(
        "select resource, http_status from trackstar_raw.sync_log "
        "where status = 'capability_gap' order by 1"
    ) == sorted(gaps.items())
    message = report.entry(cool.connection_id, "wms_returns").message
    assert "not implemented" in message and "X-Request-Id" in message


def test_429_5xx_truncated_and_malformed_pages_are_retried_and_data_is_complete(run):
    run.sim.faults.update(burst_429=4, error_rate=0.15, truncate_pages=3, malformed_pages=3)
    # the first list pages are all broken (GET /connections too): allow more than 6 attempts
    report = run(retry=RetryPolicy(attempts=10, initial_wait=0.01, max_wait=0.05, jitter=0.01))
    assert not report.failed, report.render()
    assert report.http["retries"] >= 10 and report.http["rate_limited"] >= 4
    assert_matches_truth(run)


def test_discovery_outlasts_eight_503s_and_a_permanent_failure_stops_within_its_bound(run):
    # a page gives up after 4 attempts (FAST_RETRY); discovery has 10 within 5 s
    fast = dataclasses.replace(FAST_RETRY, discovery_attempts=10, discovery_deadline=5.0)
    run.sim.faults.update(connections_errors=8)
    report = run(retry=fast, resources=["wms_warehouses"])
    assert not report.failed, report.render()
    assert report.http["retries"] >= 8 and run.sim.faults.connections_errors == 0
    loaded = run.query("select count(*) from trackstar_raw.wms_warehouses")[0][0]
    assert loaded == sum(
        len(run.sim.truth.records(c["connection_id"], "wms_warehouses"))
        for c in run.sim.connections
        if c["integration_type"] == "wms"
    )

    run.sim.faults.update(connections_errors=10**6)
    bound = dataclasses.replace(fast, initial_wait=0.2, max_wait=0.2, discovery_deadline=1.0)
    started = time.monotonic()
    with pytest.raises(TransientError) as info:
        run(retry=bound, resources=["wms_warehouses"])
    assert time.monotonic() - started < 10  # the bound (1 s of retries) plus the run's set-up
    message = str(info.value)
    assert "GET /connections -> HTTP 503" in message and "gave up after" in message
    assert run.sim.api_key not in message
    # what the first run loaded is still there
    assert run.query("select count(*) from trackstar_raw.wms_warehouses")[0][0] == loaded


def test_integration_info_is_read_at_most_once_a_run_a_minute_and_a_day_per_type(run):
    api = run.running.server.api

    def read(minutes: int = 0) -> list[tuple]:
        if minutes:
            run.sim.advance(minutes=minutes)
        report = run(resources=["wms_warehouses"])
        assert not report.failed and report.http["rate_limited"] == 0
        return run.query(
            "select integration_type, count(*), max(observed_at) from trackstar_raw.integrations "
            "group by 1 order by 1"
        )

    first = read()  # WMS first: one call
    assert [(t, n) for t, n, _ in first] == [("wms", 2)] and api.integrations_calls == 1
    assert read() == first and api.integrations_calls == 1  # within the minute: no call
    read(minutes=2)  # then one type a run: carts, then freight
    landed = read(minutes=2)
    assert [(t, n) for t, n, _ in landed] == [("cart", 2), ("freight", 1), ("wms", 2)]
    assert api.integrations_calls == 3
    assert read(minutes=2) == landed and api.integrations_calls == 3  # all read within a day
    again = read(minutes=24 * 60)  # a day later: the oldest (WMS) again
    assert api.integrations_calls == 4 and again[2][2] > landed[2][2] and again[:2] == landed[:2]

    # what the simulator's integrations fill, as Trackstar says it: Cool WMS no trading_partner
    implemented = dict(
        run.query(
            "select integration_name, json_extract(op, '$.implemented_fields.trading_partner') "
            "from trackstar_raw.integrations, unnest(cast(list_operations as json[])) as t(op) "
            "where json_extract_string(op, '$.action') = 'get_orders' and integration_type = 'wms'"
        )
    )
    assert {k: str(v) for k, v in implemented.items()} == {"cool_wms": "false", "shipfast": "true"}


def test_schema_drift_does_not_fail_the_run(run):
    run()
    run.sim.faults.update(drift_new_field=True, drift_type_change=True)
    run.sim.advance(hours=6)
    report = run()
    assert not report.failed
    columns = set(warehouse.columns(warehouse.connect(run.path), "wms_orders"))
    assert "sim_new_field" in columns
    changed = run.query(
        "select count(*) from trackstar_raw.wms_orders where sim_new_field is not null"
    )[0][0]
    assert changed > 0
    # package shipping_cost arrives as a string now: coerced into the decimal column, or kept
    # in a variant column, never a failed run
    package_columns = warehouse.columns(
        warehouse.connect(run.path), "wms_orders__shipments__packages"
    )
    assert "shipping_cost" in package_columns
    assert_matches_truth(run)


def test_configured_tokens_list_or_table_give_the_same_connections(run):
    tokens = {c["connection_id"]: c["access_token"] for c in run.sim.connections}
    with_warehouses = {
        c["connection_id"] for c in run.sim.connections if c["integration_type"] in ("wms", "cart")
    }
    as_list = run(
        access_tokens=list(tokens.values()), resources=["wms_warehouses", "cart_warehouses"]
    )
    by_id = run(access_tokens=tokens, resources=["wms_warehouses", "cart_warehouses"])
    for report in (as_list, by_id):
        assert not report.failed
        assert {e.connection_id for e in report.entries} == with_warehouses
    assert {c for (c,) in run.query("select connection_id from trackstar_raw.connections")} == set(
        tokens
    )


def test_secrets_never_reach_the_warehouse_or_the_logs(run, caplog):
    caplog.set_level("DEBUG")
    wms = run.connection("wms", "cust_globex")["connection_id"]
    run.sim.faults.update(invalid_connections=[wms], error_rate=0.1)
    report = run()
    secrets = [run.sim.api_key] + [c["access_token"] for c in run.sim.connections]
    assert warehouse.find_text(run.path, secrets) == []
    text = caplog.text + report.render() + repr(report)
    for secret in secrets:
        assert secret not in text
    state_dir = run.path.parent / f".{run.path.name}.dlt"
    for file in state_dir.rglob("*"):
        if file.is_file():
            content = file.read_bytes()
            assert not any(s.encode() in content for s in secrets), file


def test_packs_are_read_once_per_order_version(run):
    """The cursor's lag reads recent orders again; their packs are not requested again."""
    wms = run.connection("wms", "cust_acme")["connection_id"]
    api = run.running.server.api
    handle, requested = api.handle, []

    def recording(method, path, query, headers, body):
        requested.append(path)
        return handle(method, path, query, headers, body)

    api.handle = recording
    assert not run().failed
    read = dict(
        run.query(
            "select order_id, order_trackstar_updated_date from trackstar_raw.wms_order_packs "
            "where connection_id = ?",
            wms,
        )
    )
    assert read
    requested.clear()
    run.sim.advance(minutes=30)
    assert not run().failed
    again = [p.split("/")[3] for p in requested if p.endswith("/packs")]
    current = {
        r["id"]: pendulum.parse(r["trackstar_updated_date"])
        for r in run.sim.truth.records(wms, "wms_orders")
    }
    assert not [o for o in again if o in read and read[o] == current[o]]


def test_backfill_from_the_command_line_reads_one_resource_again_from_the_date(run, tmp_path):
    """What the README tells users to run after Trackstar's on-demand historical sync."""
    assert not run().failed
    wms = run.connection("wms", "cust_acme")["connection_id"]
    dates = sorted(
        pendulum.parse(r["trackstar_updated_date"])
        for r in run.sim.truth.records(wms, "wms_orders")
    )
    since = dates[len(dates) // 2].start_of("day")
    api = run.running.server.api
    handle, requested = api.handle, []

    def recording(method, path, query, headers, body):
        requested.append((path, dict(query)))
        return handle(method, path, query, headers, body)

    backfill = ["--connection", wms, "--resource", "wms_orders"]
    backfill += ["--backfill-from", since.to_date_string()]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOURCES__TRACKSTAR__")}
    api.handle = recording
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pipelines",
                "run",
                "--no-build",
                "--progress",
                "off",
                *backfill,
            ],
            cwd=tmp_path,  # no .dlt/ there: the settings come from the environment
            env={
                **env,
                "PYTHONPATH": str(settings.ROOT),
                "SOURCES__TRACKSTAR__API_KEY": run.sim.api_key,
                "SOURCES__TRACKSTAR__BASE_URL": run.running.base_url,
                "TRACKSTAR_DUCKDB_PATH": str(run.path),
                "TRACKSTAR_ANALYTICS_PATH": str(tmp_path / "analytics.duckdb"),
            },
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        api.handle = handle
    assert result.returncode == 0, result.stdout + result.stderr

    orders = [query for path, query in requested if path == "/wms/orders"]
    assert orders and {q.get("trackstar_updated_date[gte]") for q in orders} == {
        since.format("YYYY-MM-DD[T]HH:mm:ss[Z]")
    }
    [(cursor_from, rows)] = run.query(
        "select cursor_from, rows from trackstar_raw.sync_log where connection_id = ? and "
        "resource = 'wms_orders' order by started_at desc limit 1",
        wms,
    )
    assert cursor_from == since
    assert rows == sum(1 for d in dates if d >= since) > 0
    assert_matches_truth(run)


def test_a_long_listing_is_committed_in_steps_and_a_failed_step_resumes_where_it_stopped(run):
    """A listing longer than pages_per_package lands in several load packages of one run, each
    with the state saying where the listing goes on; a run that fails in the middle keeps the
    steps it committed, and the next run continues from the saved page, not from the start."""
    acme = run.connection("wms", "cust_acme")["connection_id"]
    orders = run.sim.truth.records(acme, "wms_orders")
    step = {"connections": [acme], "resources": ["wms_orders"], "page_size": 20}
    assert len(orders) > 6 * step["page_size"]  # more than three steps of two pages

    api = run.running.server.api
    handle = api.handle
    seen: list[dict[str, str]] = []
    fail_after = {"requests": 4}  # the first page of the third step fails, with its retries

    def recording(method: str, path: str, query: list, headers: Any, body: bytes):
        if path == "/wms/orders":
            seen.append(dict(query))
            if len(seen) > fail_after["requests"]:
                return 503, {}, {"error": "Service Unavailable", "origin": "trackstar"}
        return handle(method, path, query, headers, body)

    api.handle = recording
    try:
        report = run(pages_per_package=2, **step)
        assert [(e.part, e.status, e.rows) for e in report if e.resource == "wms_orders"] == [
            (1, "ok", 40),
            (2, "ok", 40),
            (3, "failed", 0),
        ]
        assert run.query("select count(*) from trackstar_raw.wms_orders") == [(80,)]
        assert run.query(
            "select part, status, rows from trackstar_raw.sync_log "
            "where resource = 'wms_orders' order by part"
        ) == [(1, "ok", 40), (2, "ok", 40), (3, "failed", 0)]

        seen.clear()
        fail_after["requests"] = 10**6
        report = run(pages_per_package=2, **step)
    finally:
        api.handle = handle
    assert "page_token" in seen[0]  # where the failed run stopped, not the first page
    entries = [e for e in report if e.resource == "wms_orders"]
    assert len(entries) > 1 and all(e.status == "ok" for e in entries)
    assert entries[-1].cursor_to is not None  # the cursor moved once the listing was complete
    assert sum(e.rows for e in entries) == len(orders) - 80
    assert_orders_landed_once(run, acme, orders)


def test_the_next_steps_pages_are_asked_for_while_a_step_is_loaded_and_only_once(run, monkeypatch):
    """A listing that goes on in the next load package asks for that package's pages as soon
    as its step stops (the token would otherwise idle while the step is normalized and
    loaded); the next step takes them and asks for none of them again."""
    acme = run.connection("wms", "cust_acme")["connection_id"]
    orders = run.sim.truth.records(acme, "wms_orders")
    step = {"connections": [acme], "resources": ["wms_orders"], "packs": False}
    step |= {"page_size": 20, "pages_per_package": 2, "windows": 1}
    pages = -(-len(orders) // step["page_size"])
    assert pages > 6  # more than three steps

    api = run.running.server.api
    handle = api.handle
    seen: list[str | None] = []

    def recording(method: str, path: str, query: list, headers: Any, body: bytes):
        if path == "/wms/orders":
            seen.append(dict(query).get("page_token"))
        return handle(method, path, query, headers, body)

    from pipelines import extract as extract_module

    extract_package = extract_module._extract_package
    before_step: list[int] = []

    def extracting(*args: Any, **kwargs: Any) -> None:
        if before_step:  # a later step: its two pages were asked for during the one before
            deadline = time.monotonic() + 5
            while len(seen) < 2 * (len(before_step) + 1) and time.monotonic() < deadline:
                time.sleep(0.01)
        before_step.append(len(seen))
        extract_package(*args, **kwargs)

    monkeypatch.setattr(extract_module, "_extract_package", extracting)
    api.handle = recording
    try:
        report = run(**step)
    finally:
        api.handle = handle
    assert not report.failed
    assert before_step[:3] == [0, 4, 6]  # step 1 asks for 2 pages, then 2 more for each next step
    assert len(seen) == len(set(seen)) == pages  # every page once, read ahead or not
    assert_orders_landed_once(run, acme, orders)


def deletion_marks(run: Run) -> dict[tuple[str, str, str], str]:
    """(connection, resource, record key) -> its latest event in deleted_records."""
    rows = run.query(
        "select connection_id, resource, record_key, event from trackstar_raw.deleted_records "
        "order by observed_at, run_id"
    )
    return {(c, r, k): e for c, r, k, e in rows}


def test_vanished_records_are_marked_after_a_complete_listing_only_and_unmarked_when_back(
    make_simulator, tmp_path
):
    """Deleted in the simulator: an inventory item, a location (while another warehouse's
    location listing fails: a partial listing marks nothing), an order (only a reconcile run
    lists every order), a whole connection. Each is marked once its listing is complete, its
    rows stay, and what comes back is un-marked."""
    run = Run(make_simulator(rate_limit=False, **SMALL), tmp_path / "w.duckdb")
    sim = run.sim
    assert not run(rate_per_second=None).failed
    wms = run.connection("wms", "cust_acme")["connection_id"]
    cart = run.connection("cart", "cust_globex")["connection_id"]
    [item, order] = [sim.truth.records(wms, t)[0]["id"] for t in ("wms_inventory", "wms_orders")]
    location = next(
        r
        for r in sim.truth.records(wms, "wms_warehouse_locations")
        if r["warehouse_id"] == "wh_acme_1"
    )["id"]
    sim.delete_record(wms, "wms_inventory", item)
    sim.delete_record(wms, "wms_warehouse_locations", location)
    sim.delete_record(wms, "wms_orders", order)
    sim.remove_connection(cart)
    sim.faults.update(failing_paths={"/wms/warehouses/wh_acme_2/locations": 500})
    sim.advance(hours=1)
    report = run(rate_per_second=None)
    assert report.entry(wms, "wms_warehouse_locations").status == "failed"
    assert item not in {r["id"] for r in sim.truth.records(wms, "wms_inventory")}
    assert cart not in {c["connection_id"] for c in sim.connections}
    assert deletion_marks(run) == {
        (wms, "wms_inventory", item): "deleted",
        (cart, "connections", cart): "deleted",
    }  # not the location (its listing was partial), not the order (no reconcile yet)
    assert "1 records gone from Trackstar" in report.entry(wms, "wms_inventory").message
    # nothing already loaded is lost: the item and the removed connection's data stay
    assert run.query(
        "select count(*) from trackstar_raw.wms_inventory where connection_id = ? and id = ?",
        wms,
        item,
    ) == [(1,)]
    assert run.query(
        "select count(*) > 0 from trackstar_raw.cart_orders where connection_id = ?", cart
    ) == [(True,)]

    sim.faults.reset()
    sim.restore_record(wms, "wms_inventory", item)
    sim.restore_connection(cart)
    sim.advance(hours=1)
    report = run(rate_per_second=None, reconcile=True)
    assert not report.failed
    assert deletion_marks(run) == {
        (wms, "wms_inventory", item): "restored",
        (cart, "connections", cart): "restored",
        (wms, "wms_warehouse_locations", f"wh_acme_1|{location}"): "deleted",
        (wms, "wms_orders", order): "deleted",
    }
    entry = report.entry(wms, "wms_orders")
    assert entry.reconcile_pages == 1 and "reconciled" in entry.message
    assert run.query(
        "select count(*) from trackstar_raw.wms_orders where connection_id = ? and id = ?",
        wms,
        order,
    ) == [(1,)]


def test_a_long_listing_from_scratch_is_read_in_date_windows_side_by_side_and_resumes_each(
    make_simulator, tmp_path
):
    """A first load of more than two windows' worth of records is cut into date windows on its
    cursor (`[gte]`/`[lt]`), read side by side; together they land every record once at its
    latest version. A run that fails in the middle resumes each window from its own page."""
    run = Run(make_simulator(**{**SMALL, "wms_orders": 14_000}), tmp_path / "w.duckdb")
    acme = run.connection("wms", "cust_acme")["connection_id"]
    orders = run.sim.truth.records(acme, "wms_orders")
    assert len(orders) > 2 * date_windows.MIN_RECORDS
    step = {"connections": [acme], "resources": ["wms_orders"], "packs": False}
    step |= {"page_size": 500, "pages_per_package": 4}

    api = run.running.server.api
    handle = api.handle
    seen: list[dict[str, str]] = []
    in_flight = {"now": 0, "most": 0}
    lock = threading.Lock()
    fail_after = {"requests": 9}  # in the second step, after its windows' first pages

    def recording(method: str, path: str, query: list, headers: Any, body: bytes):
        if path != "/wms/orders":
            return handle(method, path, query, headers, body)
        with lock:
            seen.append(dict(query))
            failing = len(seen) > fail_after["requests"]
            in_flight["now"] += 1
            in_flight["most"] = max(in_flight["most"], in_flight["now"])
        try:
            if failing:
                return 503, {}, {"error": "Service Unavailable", "origin": "trackstar"}
            time.sleep(0.05)  # a server that takes its time: requests overlap if sent together
            return handle(method, path, query, headers, body)
        finally:
            with lock:
                in_flight["now"] -= 1

    api.handle = recording
    try:
        report = run(**step)
        parts = [(e.status, e.rows) for e in report if e.resource == "wms_orders"]
        assert parts[0] == ("ok", 2_000) and parts[-1][0] == "failed"  # 4 windows x 1 page
        ranges = sorted(  # sent together: in any order
            (
                (q.get("trackstar_updated_date[gte]"), q.get("trackstar_updated_date[lt]"))
                for q in seen[1:5]  # after the first page, which planned the windows
            ),
            key=lambda r: (r[0] is not None, r[0]),
        )
        assert ranges[0][0] is None and ranges[-1][1] is None  # the whole history, no gap
        assert [lt for _, lt in ranges[:-1]] == [gte for gte, _ in ranges[1:]]
        assert in_flight["most"] >= 2  # side by side, not one after another
        committed = run.query("select count(*) from trackstar_raw.wms_orders")[0][0]
        assert committed == 2_000 * (len(parts) - 1)

        seen.clear()
        fail_after["requests"] = 10**6
        report = run(**step)
    finally:
        api.handle = handle
    first_round = seen[: len(ranges)]
    assert all("page_token" in q for q in first_round)  # each window where it stopped
    assert {q.get("trackstar_updated_date[lt]") for q in first_round} <= {lt for _, lt in ranges}
    entries = [e for e in report if e.resource == "wms_orders"]
    assert all(e.status == "ok" for e in entries)
    assert entries[-1].cursor_to is not None  # the cursor moved once every window was done
    assert all(e.cursor_to is None for e in entries[:-1])
    assert_orders_landed_once(run, acme, orders)


def test_a_server_that_refuses_date_windows_gets_one_listing_and_the_run_goes_on(
    make_simulator, tmp_path, caplog
):
    run = Run(make_simulator(**{**SMALL, "wms_orders": 14_000}), tmp_path / "w.duckdb")
    acme = run.connection("wms", "cust_acme")["connection_id"]
    run.sim.faults.update(refuse_filters={"/wms/orders": ["trackstar_updated_date[lt]"]})
    report = run(connections=[acme], resources=["wms_orders"], packs=False, page_size=500)
    entries = [e for e in report if e.resource == "wms_orders"]
    assert all(e.status == "ok" for e in entries) and not report.failed
    assert entries[-1].cursor_field == "trackstar_updated_date"  # no fallback: [gte] works
    assert "refused a date window" in caplog.text
    assert_orders_landed_once(run, acme, run.sim.truth.records(acme, "wms_orders"))
