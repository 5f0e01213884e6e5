"""`python -m pipelines run` as cron runs it, with readers on the published file."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from pipelines import settings
from pipelines.run import EXIT_CONFIG, EXIT_CONNECTION_FAILED, EXIT_OK

pytestmark = pytest.mark.e2e

MARTS = ("fct_shipment_costs", "fct_inventory_snapshots", "fct_order_lifecycle", "dim_connections")


def run_pipeline(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipelines", "run", *args],
        cwd=settings.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def run_env(simulator, tmp_path: Path) -> dict[str, str]:
    """The environment of a scheduled run against the simulator, with its files in tmp_path."""
    env = {
        **os.environ,
        "SOURCES__TRACKSTAR__BASE_URL": simulator.base_url,
        "SOURCES__TRACKSTAR__API_KEY": simulator.api_key,
        "TRACKSTAR_DUCKDB_PATH": str(tmp_path / "trackstar.duckdb"),
        "TRACKSTAR_ANALYTICS_PATH": str(tmp_path / "analytics.duckdb"),
    }
    env.pop("SOURCES__TRACKSTAR__ACCESS_TOKENS", None)
    return env


def published_facts(published: Path) -> dict[str, list[tuple]]:
    """Every row of the cost and lifecycle facts (no per-run bookkeeping columns), in order."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        return {
            mart: con.execute(f"select * from {mart} order by all").fetchall()
            for mart in ("fct_shipment_costs", "fct_order_lifecycle")
        }
    finally:
        con.close()


def sync_statuses(published: Path) -> set[str]:
    con = duckdb.connect(str(published), read_only=True)
    try:
        rows = con.execute("select distinct freshness_status from fct_connection_freshness")
        return {status for (status,) in rows.fetchall()}
    finally:
        con.close()


def assert_sync_problems_shown(env: dict[str, str], published: Path, summary: str, wms: str):
    """A stuck and a failing Trackstar sync show in the mart, dim_connections, the run's
    summary and `make freshness`; every other sync is fine."""
    con = duckdb.connect(str(published), read_only=True)
    marked = con.execute(
        "select connection_id, function_name, freshness_status, crawl_running_seconds, "
        "trackstar_age_seconds, resources from fct_connection_freshness "
        "where freshness_status not in ('ok', 'first_sync') order by function_name"
    ).fetchall()
    problems = con.execute(
        "select sync_problems from dim_connections where connection_id = ?", [wms]
    ).fetchone()[0]
    con.close()
    # stuck: a crawl running for 12 h; failing: Trackstar's own status, last crawl 6 h old
    # (ages as of the run's read of the schedules, Trackstar's clock: to the second)
    assert [row[:3] + row[5:] for row in marked] == [
        (wms, "get_inventory", "failing", "wms_inventory"),
        (wms, "get_orders", "stuck", "wms_orders"),
    ]
    assert 6 * 3600 <= marked[0][4] <= 6 * 3600 + 2
    assert 12 * 3600 <= marked[1][3] <= 12 * 3600 + 2
    assert problems == "get_inventory (failing),get_orders (stuck)"
    assert "Trackstar syncs needing attention (2" in summary
    for text in (f"{wms} ", "get_orders", "stuck", "get_inventory", "failing"):
        assert text in summary
    shown = subprocess.run(
        [sys.executable, "-m", "pipelines", "freshness"],
        cwd=settings.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert shown.returncode == 1, shown.stdout + shown.stderr  # a sync is stuck
    assert "dbt source freshness" in shown.stdout and "wms_orders " in shown.stdout
    lines = [line for line in shown.stdout.splitlines() if wms in line]
    assert any("get_orders" in line and "stuck" in line and "12.0 h" in line for line in lines)
    assert any("get_inventory" in line and "failing" in line for line in lines)
    assert sum(" ok " in line for line in shown.stdout.splitlines()) > 20


def test_scheduled_runs_publish_atomically_and_never_leak_secrets(
    simulator, tmp_path: Path
) -> None:
    warehouse, published = tmp_path / "trackstar.duckdb", tmp_path / "analytics.duckdb"
    # no packs: their backlog (one request per historical order, read over several runs) would
    # make the full-refresh run below load more than the incremental build it is compared with
    env = {**run_env(simulator, tmp_path), "SOURCES__TRACKSTAR__PACKS": "false"}

    first = run_pipeline(env)
    assert first.returncode == EXIT_OK, first.stdout + first.stderr
    assert "carrier_invoice_line_items" in first.stdout  # the summary table
    # what a connection cannot provide: Cool WMS offers no returns, bills, inventory ledger or
    # labor activities (nor packs, not read here)
    con = duckdb.connect(str(published), read_only=True)
    gaps = dict(
        con.execute("select integration_name, capability_gaps from dim_connections").fetchall()
    )
    # what a null means, from Trackstar's integration info (WMS read first): Cool WMS does not
    # provide trading_partner, so it is always null there; ShipFast does and fills it
    coverage = {
        name: (resource, covered, means, share)
        for name, resource, covered, means, share in con.execute(
            "select integration_name, resource, coverage, null_means, observed_null_share "
            "from dim_integration_fields where field_name = 'trading_partner'"
        ).fetchall()
    }
    con.close()
    assert coverage["cool_wms"] == (
        "wms_orders",
        "not provided",
        "not provided by this integration",
        1.0,
    )
    assert coverage["shipfast"][:3] == ("wms_orders", "provided", "empty for this record")
    assert coverage["shipfast"][3] < 1.0
    assert gaps.pop("cool_wms") == (
        "wms_bills,wms_inventory_ledger,wms_labor_activities,wms_returns"
    )
    assert set(gaps.values()) == {None}

    # A reader queries the published file throughout the next run: it must never see an error,
    # a missing mart or a half-built one.
    errors: list[BaseException] = []
    reads: list[tuple] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                con = duckdb.connect(str(published), read_only=True)
                counts = tuple(
                    con.execute(f"select count(*) from {mart}").fetchone()[0] for mart in MARTS
                )
                published_at = con.execute("select published_at from _published").fetchone()[0]
                con.close()
                assert all(n > 0 for n in counts), f"an empty mart in a published build: {counts}"
                reads.append((published_at, counts))
            except BaseException as exc:
                errors.append(exc)
                return

    simulator.sim.advance(hours=2)
    # one connection's token is revoked: that connection fails, the others are still published
    broken = simulator.sim.connection("cart")["connection_id"]
    simulator.sim.faults.update(invalid_connections=[broken])
    # and Trackstar reports one WMS's order sync stuck and its inventory sync failing
    wms = simulator.sim.connection("wms", "cust_acme")["connection_id"]
    simulator.sim.faults.update(
        sync_problems={wms: {"get_orders": "stuck", "get_inventory": "error"}}
    )
    thread = threading.Thread(target=reader)
    thread.start()
    try:
        second = run_pipeline(env)
    finally:
        stop.set()
        thread.join()

    assert errors == []
    assert second.returncode == EXIT_CONNECTION_FAILED, second.stdout + second.stderr
    assert broken in second.stdout
    builds = {published_at for published_at, _ in reads}
    assert len(reads) > 10 and len(builds) >= 1
    # every read of one build saw the same data: no partial state
    for build in builds:
        assert len({counts for at, counts in reads if at == build}) == 1

    con = duckdb.connect(str(published), read_only=True)
    last_published = con.execute("select published_at from _published").fetchone()[0]
    con.close()
    assert all(at <= last_published for at, _ in reads)
    assert_sync_problems_shown(env, published, second.stdout, wms)

    # --full-refresh rebuilds every model and tests every row; the incremental marts it replaces
    # held the same rows (the connection that failed is repaired first and loaded incrementally)
    simulator.sim.faults.update(invalid_connections=[], sync_problems={})
    repaired = run_pipeline(env)
    assert repaired.returncode == EXIT_OK, repaired.stdout + repaired.stderr
    incremental = published_facts(published)
    assert "Trackstar syncs needing attention" not in repaired.stdout
    assert sync_statuses(published) == {"ok", "first_sync"}
    rebuilt = run_pipeline(env, "--full-refresh")
    assert rebuilt.returncode == EXIT_OK, rebuilt.stdout + rebuilt.stderr
    assert published_facts(published) == incremental
    assert run_pipeline(env, "--full-refresh", "--no-build").returncode == EXIT_CONFIG

    # one log file per run, next to the warehouse; no secret anywhere a person or BI tool looks
    logs = sorted((tmp_path / "logs").glob("run-*.log"))
    assert len(logs) == 4
    assert "dbt build started (full refresh)" in logs[-1].read_text()
    assert not any("\x1b[" in p.read_text() for p in logs)  # no terminal colour codes
    secrets = [simulator.api_key] + [c["access_token"] for c in simulator.sim.connections]
    texts = [first.stdout, first.stderr, second.stdout, second.stderr] + [
        p.read_text() for p in logs
    ]
    for secret in secrets:
        assert not any(secret in text for text in texts)
        assert not any(secret in p.name for p in tmp_path.rglob("*"))
    for path in (warehouse, published):
        con = duckdb.connect(str(path), read_only=True)
        for schema, table, column in con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type in ('VARCHAR', 'JSON')"
        ).fetchall():
            hits = con.execute(
                f'select count(*) from "{schema}"."{table}" where "{column}"::varchar in '
                f"({', '.join('?' for _ in secrets)}) or "
                + " or ".join(f'contains("{column}"::varchar, ?)' for _ in secrets),
                secrets + secrets,
            ).fetchone()[0]
            assert hits == 0, f"a secret in {schema}.{table}.{column}"
        con.close()


def test_an_unknown_connection_or_a_refused_api_key_is_a_configuration_error(
    simulator, tmp_path: Path
) -> None:
    env = run_env(simulator, tmp_path)
    run = run_pipeline(env, "--connection", "conn_nope", "--progress", "off")
    output = run.stdout + run.stderr
    assert run.returncode == EXIT_CONFIG, output
    assert "unknown connection ids ['conn_nope']" in output
    assert "Traceback" not in output
    # an organisation API key that Trackstar refuses (401) is a setting to fix, too
    wrong_key = run_pipeline({**env, "SOURCES__TRACKSTAR__API_KEY": "not-the-key-0000"})
    output = wrong_key.stdout + wrong_key.stderr
    assert wrong_key.returncode == EXIT_CONFIG, output
    assert "HTTP 401" in output and "check sources.trackstar.api_key" in output
    assert "Traceback" not in output and "not-the-key-0000" not in output
    assert not (tmp_path / "analytics.duckdb").exists()
