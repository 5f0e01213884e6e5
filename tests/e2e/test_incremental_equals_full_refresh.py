"""Incremental builds give the same marts as a full refresh.

The pipeline runs every simulated hour and `dbt build` follows every run, as in production:
the first build creates the marts, every later one is incremental (fct_shipment_costs,
fct_order_lifecycle, fct_order_status_transitions, fct_inventory_snapshots recompute only the
keys touched by the new loads). After a few hours, a day without runs, and a rerun of dbt
without a new load, a copy of the warehouse is rebuilt with `dbt build --full-refresh`: every
table of the analytics schema must be equal, row for row (bookkeeping columns included), to
the incrementally built one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.dbt_build import dbt_build

pytestmark = pytest.mark.e2e

MARTS = (
    "fct_shipment_costs",
    "fct_order_lifecycle",
    "fct_order_status_transitions",
    "fct_inventory_snapshots",
    "dim_connections",
    "dim_warehouses",
    "dim_products",
)
INCREMENTAL = MARTS[:4]


def differences(incremental: Path, full_refresh: Path) -> dict[str, tuple[int, int, int]]:
    """Per mart: (rows, rows only in the incremental build, rows only in the full refresh)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{incremental}' as incremental (read_only)")
        con.execute(f"attach '{full_refresh}' as full_refresh (read_only)")
        tables = {
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() "
                "where database_name = 'incremental' and schema_name = 'analytics'"
            ).fetchall()
        }
        assert set(MARTS) <= tables, sorted(set(MARTS) - tables)
        out = {}
        for table in sorted(tables):
            a = f"incremental.analytics.{table}"
            b = f"full_refresh.analytics.{table}"
            out[table] = (
                con.execute(f"select count(*) from {a}").fetchone()[0],
                con.execute(f"select count(*) from (from {a} except all from {b})").fetchone()[0],
                con.execute(f"select count(*) from (from {b} except all from {a})").fetchone()[0],
            )
        return out
    finally:
        con.close()


def watermarks(path: Path) -> tuple[dict[str, str], str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        marks = dict(
            con.execute("select model, load_id from intermediate.incremental_watermarks").fetchall()
        )
        newest = con.execute("select max(load_id) from trackstar_raw._dlt_loads").fetchone()[0]
        return marks, newest
    finally:
        con.close()


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    import pendulum

    from pipelines.extract import extract
    from pipelines.simulator import Simulator, SimulatorServer

    tmp = tmp_path_factory.mktemp("incremental")
    warehouse = tmp / "incremental.duckdb"
    sim = Simulator(seed=11, start=pendulum.datetime(2026, 11, 1, 20, tz="UTC"))
    with SimulatorServer(sim, rate_limit=False) as server:

        def run_and_build() -> None:
            extract(
                base_url=server.base_url,
                api_key=sim.api_key,
                duckdb_path=warehouse,
                progress=False,
                rate_per_second=None,
            )
            dbt_build(warehouse)

        run_and_build()  # the first build creates the marts
        for _ in range(4):  # hourly runs across midnight: each build is incremental
            sim.advance(hours=1)
            run_and_build()
        sim.advance(hours=26)  # a day without runs: one load with a lot of changes
        run_and_build()
    dbt_build(warehouse)  # nothing new loaded: the marts must not change
    full_refresh = tmp / "full_refresh.duckdb"
    shutil.copy(warehouse, full_refresh)
    dbt_build(full_refresh, "--full-refresh")
    return warehouse, full_refresh


def test_incremental_marts_equal_a_full_refresh_row_for_row(builds: tuple[Path, Path]) -> None:
    incremental, full_refresh = builds
    diff = differences(incremental, full_refresh)
    assert all(rows > 0 for table, (rows, _, _) in diff.items() if table in INCREMENTAL), diff
    assert all(only_a == only_b == 0 for _, only_a, only_b in diff.values()), diff


def test_watermarks_record_the_newest_load(builds: tuple[Path, Path]) -> None:
    marks, newest = watermarks(builds[0])
    for model in (
        "fct_shipment_costs",
        "fct_order_lifecycle",
        "int_trackstar__carrier_invoice_line_items",
        "__data_tests__",  # the last build's tests all passed
    ):
        assert marks.get(model) == newest, (model, marks)
