"""The dbt project on its own, without the pipeline.

- `dbt build` is green on a warehouse where dlt has loaded nothing yet (no raw schema at all):
  every staging model reads its raw table through select_source, which falls back to an empty,
  typed relation. The build runs the data tests and the unit tests (cost rollup, forward fill,
  incremental carry-forward, status transitions, lifecycle).
- The marts are in schema `analytics` with the columns of the analytics contract, and every
  mart column carries its description as a comment (persist_docs) for BI users.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.dbt_build import dbt_build

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

CONTRACT = {
    "fct_shipment_costs": {
        "connection_id",
        "tracking_number",
        "net_cost",
        "gross_cost",
        "charge_count",
        "invoice_ids",
        "first_transaction_date",
        "last_transaction_date",
        "order_connection_id",
        "order_id",
        "order_source",
        "is_matched",
    },
    "fct_inventory_snapshots": {
        "snapshot_date",
        "connection_id",
        "inventory_item_id",
        "warehouse_id",
        "sku",
        "onhand",
        "fulfillable",
        "committed",
        "unfulfillable",
        "awaiting",
        "sellable",
        "unsellable",
    },
    "fct_order_lifecycle": {
        "source",
        "connection_id",
        "order_id",
        "order_number",
        "created_at",
        "current_status",
        "raw_status",
        "first_shipped_at",
        "hours_to_ship",
        "required_ship_date",
        "met_required_ship_date",
        "is_cancelled",
        "shipment_count",
        "shipping_cost",
        "total_shipping",
        *(f"first_{s}_at" for s in STATUSES),
    },
    "fct_order_status_transitions": {
        "source",
        "connection_id",
        "order_id",
        "from_status",
        "to_status",
        "observed_at",
    },
    "dim_connections": {
        "connection_id",
        "integration_name",
        "integration_display_name",
        "integration_type",
        "customer_id",
        "errors",
        "has_errors",
        "capability_gaps",
        "last_successful_extraction_at",
        "rows_loaded_last_run",
        "failed_resources",
        "latest_data",
    },
    "dim_warehouses": {"source", "connection_id", "warehouse_id", "name"},
    "dim_products": {"source", "connection_id", "product_id", "sku", "name", "parent_product_id"},
}


@pytest.fixture(scope="module")
def empty_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("dbt") / "empty.duckdb"
    dbt_build(warehouse, unit_tests=True)
    return warehouse


def test_build_is_green_without_any_raw_table(empty_build: Path) -> None:
    con = duckdb.connect(str(empty_build), read_only=True)
    try:
        raw = con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'trackstar_raw'"
        ).fetchone()[0]
        assert raw == 0
        assert con.execute("select count(*) from analytics.fct_shipment_costs").fetchone()[0] == 0
    finally:
        con.close()


def test_marts_have_the_contract_columns_with_descriptions(empty_build: Path) -> None:
    con = duckdb.connect(str(empty_build), read_only=True)
    try:
        for mart, required in CONTRACT.items():
            columns = dict(
                con.execute(
                    "select column_name, comment from duckdb_columns() "
                    "where schema_name = 'analytics' and table_name = ?",
                    [mart],
                ).fetchall()
            )
            assert required <= set(columns), (mart, sorted(required - set(columns)))
            undocumented = sorted(c for c, comment in columns.items() if not comment)
            assert not undocumented, (mart, undocumented)
            table_comment = con.execute(
                "select comment from duckdb_tables() where schema_name = 'analytics' and table_name = ?",
                [mart],
            ).fetchone()[0]
            assert table_comment, mart
    finally:
        con.close()
