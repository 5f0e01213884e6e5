"""Benchmark: a full extraction of 100,000 WMS orders from the simulator, rate limit off.

    .venv/bin/python tests/bench/bench_extract.py [--orders 100000] [--seed 7] [--only wms_orders]

The simulator runs in a child process (its own interpreter: rendering pages must not compete
with the pipeline for one GIL; the two still share the machine's cores). Prints the time of each
phase and rows per second: records from the API, and every row written to the warehouse (child
tables included). Not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipelines.extract import extract  # noqa: E402


def serve(
    seed: int, orders: int, ready: multiprocessing.Queue, stop: multiprocessing.Event
) -> None:
    from pipelines.simulator import Simulator, SimulatorServer

    started = time.monotonic()
    sim = Simulator(seed=seed, wms_orders=orders)
    with SimulatorServer(sim, rate_limit=False) as server:
        ready.put((server.base_url, sim.api_key, time.monotonic() - started))
        stop.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000, help="WMS orders in the simulator")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", action="append", metavar="TABLE", help="only these resources")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    logging.getLogger("pipelines.extract").setLevel(logging.INFO)

    ready: multiprocessing.Queue = multiprocessing.Queue()
    stop = multiprocessing.Event()
    simulator = multiprocessing.Process(target=serve, args=(args.seed, args.orders, ready, stop))
    simulator.start()
    try:
        base_url, api_key, built = ready.get(timeout=600)
        print(f"simulator with {args.orders} WMS orders built in {built:.1f}s at {base_url}")
        with tempfile.TemporaryDirectory() as tmp:
            warehouse = Path(tmp) / "bench.duckdb"
            started = time.monotonic()
            report = extract(
                base_url=base_url,
                api_key=api_key,
                duckdb_path=warehouse,
                progress=False,
                rate_per_second=None,
                resources=args.only,
            )
            seconds = time.monotonic() - started
            con = duckdb.connect(str(warehouse), read_only=True)
            stored = con.execute(
                "select sum(estimated_size) from duckdb_tables() "
                "where schema_name = 'trackstar_raw' and table_name not like '\\_dlt%' escape '\\'"
            ).fetchone()[0]
            orders = con.execute("select count(*) from trackstar_raw.wms_orders").fetchone()[0]
            con.close()
    finally:
        stop.set()
        simulator.join(timeout=10)
    print(report.render())
    print(f"extract + normalize + load: {seconds:.1f}s, {report.total_pages} pages")
    print(f"WMS orders loaded: {orders}")
    print(f"records from the API: {report.total_rows} -> {report.total_rows / seconds:,.0f} rows/s")
    print(f"rows stored (child tables included): {stored} -> {stored / seconds:,.0f} rows/s")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
