"""Benchmark: a full extraction of 100,000 WMS orders from the simulator, rate limit off.

    .venv/bin/python tests/bench/bench_extract.py [--orders 100000] [--seed 7]

Prints the time of each phase and rows per second (WMS orders, and every row written to the
warehouse, child tables included). Not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipelines.extract import extract  # noqa: E402
from pipelines.simulator import Simulator, SimulatorServer  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000, help="WMS orders in the simulator")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("pipelines.extract").setLevel(logging.INFO)

    started = time.monotonic()
    sim = Simulator(seed=args.seed, wms_orders=args.orders)
    print(f"simulator with {args.orders} WMS orders built in {time.monotonic() - started:.1f}s")
    with tempfile.TemporaryDirectory() as tmp, SimulatorServer(sim, rate_limit=False) as server:
        warehouse = Path(tmp) / "bench.duckdb"
        started = time.monotonic()
        report = extract(
            base_url=server.base_url, api_key=sim.api_key, duckdb_path=warehouse, progress=False
        )
        seconds = time.monotonic() - started
        con = duckdb.connect(str(warehouse), read_only=True)
        tables = con.execute(
            "select table_name, estimated_size from duckdb_tables() "
            "where schema_name = 'trackstar_raw' and not table_name like '_dlt%'"
        ).fetchall()
        orders = con.execute("select count(*) from trackstar_raw.wms_orders").fetchone()[0]
        con.close()
    stored = sum(n for _, n in tables)
    print(report.render())
    print(f"extract+normalize+load: {seconds:.1f}s, {report.total_pages} pages")
    print(f"WMS orders: {orders} -> {orders / seconds:,.0f} orders/s")
    print(f"records from the API: {report.total_rows} -> {report.total_rows / seconds:,.0f} rows/s")
    print(f"rows stored (all tables, child tables included): {stored} -> "
          f"{stored / seconds:,.0f} rows/s")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
