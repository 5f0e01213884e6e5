"""The dbt project on its own, without the pipeline: fast checks of what the marts promise.

- `dbt build` is green on a warehouse where dlt has loaded nothing yet (no raw tables at all):
  every staging model reads its raw table through select_source, which falls back to an empty,
  typed relation. The build runs the unit tests (cost rollup, forward fill, lifecycle) too.
- The marts are in schema `analytics` with the names and columns of the analytics contract
  (DESIGN.md), and every mart column is described (the docs site BI users read).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]

# DESIGN.md, "Analytics contract": BI dashboards are built on these names
CONTRACT = {
    "fct_shipment_costs": {
        "carrier_connection_id", "tracking_number", "net_cost", "gross_cost", "charge_count",
        "invoice_ids", "first_transaction_date", "last_transaction_date", "connection_id",
        "order_id",
    },
    "fct_inventory_snapshots": {
        "snapshot_date", "connection_id", "inventory_item_id", "warehouse_id", "sku", "onhand",
        "fulfillable", "committed", "unfulfillable", "awaiting", "sellable",
    },
    "fct_order_lifecycle": {
        "source", "connection_id", "order_id", "order_number", "created_at", "current_status",
        "first_open_at", "first_fulfilled_at", "first_cancelled_at", "first_shipped_at",
        "hours_to_ship", "is_cancelled", "shipment_count", "shipping_cost", "total_shipping",
    },
    "dim_connections": {
        "connection_id", "integration_name", "integration_type", "customer_id",
        "health_status", "last_successful_extraction_at",
    },
}


def dbt(work: Path, warehouse: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        str(Path(sys.executable).with_name("dbt")), *args,
        "--project-dir", str(ROOT), "--profiles-dir", str(ROOT / "dbt_project"),
        "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
    ]
    env = {**os.environ, "TRACKSTAR_DUCKDB_PATH": str(warehouse)}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("dbt")
    warehouse = work / "trackstar.duckdb"  # does not exist: nothing was ever loaded
    proc = dbt(work, warehouse, "build")
    assert proc.returncode == 0, proc.stdout[-6000:]
    return work, warehouse


def test_build_is_green_on_a_warehouse_without_raw_tables(built) -> None:
    work, _ = built
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    kinds = {r["unique_id"].split(".")[0] for r in results}
    assert {"model", "test", "unit_test"} <= kinds
    failed = [r["unique_id"] for r in results if r["status"] not in ("success", "pass")]
    assert not failed
    unit_tests = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit_tests) >= 5


def test_marts_are_in_schema_analytics_with_the_contract_columns(built) -> None:
    _, warehouse = built
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for mart, required in CONTRACT.items():
            columns = {
                name for (name,) in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = 'analytics' and table_name = ?", [mart]
                ).fetchall()
            }
            assert required <= columns, (mart, sorted(required - columns))
            assert con.execute(f"select count(*) from analytics.{mart}").fetchone()[0] == 0
        schemas = {s for (s,) in con.execute(
            "select distinct table_schema from information_schema.tables").fetchall()}
        assert {"staging", "intermediate", "analytics"} <= schemas
    finally:
        con.close()


def test_every_mart_and_mart_column_is_described_and_contracted(built) -> None:
    work, _ = built
    manifest = json.loads((work / "target" / "manifest.json").read_text())
    marts = [
        node for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["path"].startswith("marts/")
    ]
    assert {m["name"] for m in marts} >= set(CONTRACT)
    for mart in marts:
        assert mart["description"].strip(), mart["name"]
        assert mart["config"]["contract"]["enforced"], mart["name"]
        for column in mart["columns"].values():
            assert column["description"].strip(), (mart["name"], column["name"])
            assert column["data_type"], (mart["name"], column["name"])
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert all(m["description"].strip() for m in models), [
        m["name"] for m in models if not m["description"].strip()
    ]
