"""Incremental builds give the same marts as a full refresh.

The pipeline runs every simulated hour and `dbt build` follows every run, as in production:
the first build creates the marts, every later one is incremental (fct_shipment_costs,
fct_order_lifecycle, fct_order_status_transitions, fct_inventory_snapshots recompute only the
keys touched by the new loads). Records and a connection vanish on the way (and one record comes
back), a reconcile run finds a deleted order. After a few hours, a day without runs, and a rerun
of dbt without a new load, a copy of the warehouse is rebuilt with `dbt build --full-refresh`: every
table of the analytics schema must be equal, row for row (bookkeeping columns included), to
the incrementally built one. And the data tests, which on an incremental build check only the
rows loaded since the last green build, still catch a bad row until it is gone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.dbt_build import dbt_build, run_dbt_build

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


def scenario_deletions(sim) -> dict:
    """What the scenario deletes: (connection, resource, id) of an inventory item, a warehouse
    and an order, and a connection id."""
    wms = sim.connection("wms", "cust_acme")["connection_id"]
    globex = sim.connection("wms", "cust_globex")["connection_id"]
    return {
        "item": (wms, "wms_inventory", sim.truth.records(wms, "wms_inventory")[0]["id"]),
        "warehouse": (globex, "wms_warehouses", "wh_globex_2"),
        "order": (wms, "wms_orders", sim.truth.records(wms, "wms_orders")[0]["id"]),
        "connection": sim.connection("cart", "cust_globex")["connection_id"],
    }


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    import pendulum

    from pipelines.extract import extract
    from pipelines.simulator import Simulator, SimulatorServer

    tmp = tmp_path_factory.mktemp("incremental")
    warehouse = tmp / "incremental.duckdb"
    sim = Simulator(seed=11, start=pendulum.datetime(2026, 11, 1, 20, tz="UTC"))
    with SimulatorServer(sim, rate_limit=False) as server:

        def run_and_build(reconcile: bool = False) -> None:
            extract(
                base_url=server.base_url,
                api_key=sim.api_key,
                duckdb_path=warehouse,
                progress=False,
                rate_per_second=None,
                reconcile=reconcile,
            )
            dbt_build(warehouse)

        # deletions on the way: an item gone for an evening and back after midnight, a
        # warehouse and a connection gone for good, an order only a reconcile run finds
        deletions = scenario_deletions(sim)
        run_and_build()  # the first build creates the marts
        for hour in range(4):  # hourly runs across midnight: each build is incremental
            if hour == 0:
                sim.delete_record(*deletions["item"])
                sim.delete_record(*deletions["warehouse"])
            if hour == 1:
                sim.remove_connection(deletions["connection"])
            if hour == 3:
                sim.restore_record(*deletions["item"])
            sim.advance(hours=1)
            run_and_build()
        sim.delete_record(*deletions["order"])
        sim.advance(hours=26)  # a day without runs: one load with a lot of changes
        run_and_build(reconcile=True)
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


def new_load(warehouse: Path) -> str:
    """Record one more completed dlt load, as a run does; returns its load id."""
    con = duckdb.connect(str(warehouse))
    try:
        load_id = con.execute(
            "select (max(load_id)::double + 1)::varchar from trackstar_raw._dlt_loads"
        ).fetchone()[0]
        con.execute(
            "insert into trackstar_raw._dlt_loads select ?, schema_name, 0, now(), "
            "schema_version_hash from trackstar_raw._dlt_loads limit 1",
            [load_id],
        )
        return load_id
    finally:
        con.close()


def test_a_moved_charge_and_a_custom_status_build_as_a_full_refresh_does(
    builds: tuple[Path, Path], tmp_path: Path
) -> None:
    """A load (as dlt merges it) where a charge moves to another tracking number (a corrected
    label) and an order takes Trackstar's `other` status (a custom one of its WMS)."""
    warehouse = tmp_path / "changes.duckdb"
    shutil.copy(builds[0], warehouse)
    load = new_load(warehouse)
    con = duckdb.connect(str(warehouse))
    try:
        moved_from, line_item, moved_cost = con.execute(
            "select tracking_number, id, net_cost from trackstar_raw.carrier_invoice_line_items "
            "where tracking_number in (select tracking_number from analytics.fct_shipment_costs "
            "where charge_count > 1 and is_matched) order by id limit 1"
        ).fetchone()
        before = con.execute(
            "select net_cost, charge_count from analytics.fct_shipment_costs "
            "where tracking_number = ?",
            [moved_from],
        ).fetchone()
        con.execute(
            "update trackstar_raw.carrier_invoice_line_items set tracking_number = 'TRK-CORRECTED',"
            " _dlt_load_id = ?, trackstar_updated_date = now() where id = ?",
            [load, line_item],
        )
        connection_id, order_id = con.execute(
            "select connection_id, id from trackstar_raw.wms_orders order by id limit 1"
        ).fetchone()
        con.execute(
            "update trackstar_raw.wms_orders set status = 'other', raw_status = 'custom_hold', "
            "_dlt_load_id = ?, trackstar_updated_date = now() where id = ?",
            [load, order_id],
        )
        con.execute(
            "insert into trackstar_raw.wms_order_status_history select * replace (now() as "
            "observed_at, now() as trackstar_updated_date, 'other' as status, 'custom_hold' as "
            "raw_status, ? as _dlt_load_id, _dlt_id || '-other' as _dlt_id) "
            "from trackstar_raw.wms_order_status_history where order_id = ? limit 1",
            [load, order_id],
        )
    finally:
        con.close()

    dbt_build(warehouse)  # incremental, and green: `other` is a status the marts accept
    full_refresh = tmp_path / "changes_full_refresh.duckdb"
    shutil.copy(warehouse, full_refresh)
    dbt_build(full_refresh, "--full-refresh")
    diff = differences(warehouse, full_refresh)
    assert all(only_a == only_b == 0 for _, only_a, only_b in diff.values()), diff

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        # the charge left its old tracking number: counted once, under the new one
        assert con.execute(
            "select net_cost, charge_count from analytics.fct_shipment_costs "
            "where tracking_number = ?",
            [moved_from],
        ).fetchone() == (before[0] - moved_cost, before[1] - 1)
        assert con.execute(
            "select net_cost from analytics.fct_shipment_costs "
            "where tracking_number = 'TRK-CORRECTED'"
        ).fetchone() == (moved_cost,)
        assert con.execute(
            "select (select sum(net_cost) from analytics.fct_shipment_costs) = "
            "(select sum(cast(net_cost as decimal(18, 2))) "
            "from trackstar_raw.carrier_invoice_line_items)"
        ).fetchone() == (True,)
        assert con.execute(
            "select current_status, raw_status from analytics.fct_order_lifecycle "
            "where connection_id = ? and order_id = ?",
            [connection_id, order_id],
        ).fetchone() == ("other", "custom_hold")
        assert con.execute(
            "select count(*) from analytics.fct_order_status_transitions "
            "where order_id = ? and to_status = 'other'",
            [order_id],
        ).fetchone() == (1,)
    finally:
        con.close()


def test_incremental_data_tests_catch_a_bad_new_row_until_it_is_gone(
    builds: tuple[Path, Path], tmp_path: Path
) -> None:
    warehouse = tmp_path / "bad_row.duckdb"
    shutil.copy(builds[0], warehouse)
    passed, newest = watermarks(warehouse)
    assert passed["__data_tests__"] == newest

    # a load brings a second copy of an order loaded long ago (same connection and order id)
    bad_load = new_load(warehouse)
    con = duckdb.connect(str(warehouse))
    con.execute(
        "insert into trackstar_raw.wms_orders select * replace (? as _dlt_load_id, "
        "_dlt_id || '-copy' as _dlt_id) from trackstar_raw.wms_orders order by _dlt_load_id limit 1",
        [bad_load],
    )
    con.close()
    failed = run_dbt_build(warehouse)
    assert failed.returncode != 0
    assert "unique_combination_of_columns_stg_trackstar__wms_orders_" in failed.stdout
    assert watermarks(warehouse)[0]["__data_tests__"] == newest  # not moved past the bad row

    # the next hourly run: the bad row is no longer in the newest load, still caught
    new_load(warehouse)
    assert run_dbt_build(warehouse).returncode != 0
    assert watermarks(warehouse)[0]["__data_tests__"] == newest

    con = duckdb.connect(str(warehouse))
    con.execute("delete from trackstar_raw.wms_orders where _dlt_id like '%-copy'")
    con.close()
    dbt_build(warehouse)
    marks, newest_now = watermarks(warehouse)
    assert marks["__data_tests__"] == newest_now > newest


def test_incremental_data_tests_skip_rows_that_passed_but_a_deep_check_does_not(
    builds: tuple[Path, Path], tmp_path: Path
) -> None:
    """The hourly build tests only new rows; `data_tests_full_scan` tests every row."""
    warehouse = tmp_path / "old_row.duckdb"
    shutil.copy(builds[0], warehouse)
    # an order of the first load now breaks a staging test; its load passed long ago
    con = duckdb.connect(str(warehouse))
    con.execute(
        "update trackstar_raw.wms_orders set status = 'not_a_status' where _dlt_id = "
        "(select _dlt_id from trackstar_raw.wms_orders order by _dlt_load_id limit 1)"
    )
    con.close()
    dbt_build(warehouse)  # incremental: not tested again (its load id is below the watermark)
    deep = run_dbt_build(warehouse, "--vars", "{data_tests_full_scan: true}")
    assert deep.returncode != 0
    assert "FAIL 1 accepted_values_stg_trackstar__wms_orders_status_" in deep.stdout


def test_vanished_records_are_flagged_or_left_out_where_an_analyst_expects(
    builds: tuple[Path, Path],
) -> None:
    """The scenario's deletions in the marts: no carried-forward inventory for a deleted item or
    warehouse from the day it vanished (the item again from the day it came back), a deleted
    order kept in the lifecycle and marked, the warehouse marked in dim_warehouses, the
    removed connection flagged in dim_connections with its data kept."""
    con = duckdb.connect(str(builds[0]), read_only=True)
    try:
        events = {
            (resource, key): (event, day)
            for resource, key, event, day in con.execute(
                "select resource, record_key, event, cast(timezone('UTC', observed_at) as date) "
                "from trackstar_raw.deleted_records order by observed_at"
            ).fetchall()
        }
        marks = dict(events)
        assert {resource for resource, _ in marks} == {
            "wms_inventory",
            "wms_warehouses",
            "wms_warehouse_locations",  # the warehouse's locations went with it
            "wms_orders",
            "connections",
        }
        [(item, (_, back))] = [(k, v) for (r, k), v in marks.items() if r == "wms_inventory"]
        [gone] = con.execute(
            "select cast(timezone('UTC', observed_at) as date) from trackstar_raw.deleted_records "
            "where resource = 'wms_inventory' and event = 'deleted'"
        ).fetchone()
        assert gone < back
        days = {
            day
            for (day,) in con.execute(
                "select snapshot_date from analytics.fct_inventory_snapshots "
                "where inventory_item_id = ?",
                [item],
            ).fetchall()
        }
        assert gone not in days and back in days and min(days) < gone
        assert marks[("wms_warehouses", "wh_globex_2")][0] == "deleted"
        vanished = marks[("wms_warehouses", "wh_globex_2")][1]
        assert con.execute(
            "select count(*) filter (where snapshot_date >= ?), count(*) filter (where "
            "snapshot_date < ?) > 0 from analytics.fct_inventory_snapshots "
            "where warehouse_id = 'wh_globex_2'",
            [vanished, vanished],
        ).fetchone() == (0, True)
        assert con.execute(
            "select is_deleted, deleted_at is not null from analytics.dim_warehouses "
            "where warehouse_id = 'wh_globex_2'"
        ).fetchone() == (True, True)
        [order] = [k for (r, k), (e, _) in marks.items() if r == "wms_orders" and e == "deleted"]
        assert con.execute(
            "select is_deleted, deleted_at is not null from analytics.fct_order_lifecycle "
            "where order_id = ?",
            [order],
        ).fetchone() == (True, True)
        assert con.execute(
            "select count(*) from analytics.fct_order_lifecycle where is_deleted"
        ).fetchone() == (1,)
        [removed] = [k for (r, k), (e, _) in marks.items() if r == "connections" and e == "deleted"]
        assert con.execute(
            "select is_removed, removed_at is not null from analytics.dim_connections "
            "where connection_id = ?",
            [removed],
        ).fetchone() == (True, True)
        assert con.execute(
            "select count(*) > 0 from analytics.fct_order_lifecycle where connection_id = ?",
            [removed],
        ).fetchone() == (True,)
    finally:
        con.close()
