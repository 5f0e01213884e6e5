"""Benchmark: `dbt build` after one simulated hour, incremental vs full refresh, on a big warehouse.

    .venv/bin/python tests/bench/bench_dbt.py [--orders 1000000] [--seed 7] [--cache DIR]

1. A simulator with `--orders` WMS orders of history (30 days) runs in a child process (so it
   does not compete with the extractor for the GIL) and is extracted in full. That is the slow
   part: the warehouse is cached in `--cache` (default data/bench/) and reused by the next run
   with the same orders and seed; the simulator is deterministic, so a fresh one serves the
   same history.
2. `dbt build` builds everything on a copy of it (the first build of a new warehouse).
3. The simulated clock moves one hour; one extract run loads that hour's changes.
4. The warehouse is copied: on one copy `dbt build` runs as every hourly run does (the marts
   are incremental), on the other `dbt build --full-refresh` rebuilds everything.

Prints each step's time, the per-mart times, and the incremental build as a fraction of the full
refresh. Not collected by pytest (no test_ prefix). At 1,000,000 orders the first extraction
takes a while and needs a few GB of memory.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipelines.extract import extract  # noqa: E402

DBT = Path(sys.executable).with_name("dbt")
MARTS = (
    "fct_shipment_costs", "fct_order_status_transitions", "fct_order_lifecycle",
    "fct_inventory_snapshots", "dim_connections", "dim_products", "dim_warehouses",
)
# DuckDB names a file's catalog after the file and dbt's views refer to it: every copy keeps
# this name, in a directory of its own
WAREHOUSE = "trackstar.duckdb"


def serve(seed: int, orders: int, ready: multiprocessing.Queue, stop: multiprocessing.Event) -> None:
    from pipelines.simulator import Simulator, SimulatorServer

    started = time.monotonic()
    sim = Simulator(seed=seed, wms_orders=orders)
    with SimulatorServer(sim, port=0, rate_limit=False) as server:
        ready.put((server.base_url, sim.api_key, time.monotonic() - started))
        stop.wait()


def dbt_build(warehouse: Path, *args: str) -> tuple[float, dict[str, float], str]:
    """`dbt build` on `warehouse`: (seconds, seconds per model, dbt's summary line).

    The project is parsed first, outside the timing: parsing does not depend on the data.
    """
    work = warehouse.parent
    common = [
        "--project-dir", str(ROOT), "--profiles-dir", str(ROOT / "dbt_project"),
        "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
    ]
    env = {**os.environ, "TRACKSTAR_DUCKDB_PATH": str(warehouse)}
    subprocess.run([str(DBT), "parse", *common], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    started = time.monotonic()
    proc = subprocess.run([str(DBT), "build", *args, *common], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        print(proc.stdout[-6000:])
        raise SystemExit(f"dbt build {' '.join(args)} failed")
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    per_model = {
        r["unique_id"].split(".")[-1]: r["execution_time"]
        for r in results if r["unique_id"].startswith("model.")
    }
    summary = next((line for line in reversed(proc.stdout.splitlines()) if "PASS=" in line), "")
    return seconds, per_model, summary[summary.find("PASS="):].strip()


def copy_warehouse(source: Path, target_dir: Path) -> Path:
    """A copy of the warehouse and of dlt's working state next to it."""
    if target_dir.exists():
        shutil.rmtree(target_dir)
    target_dir.mkdir(parents=True)
    shutil.copy(source, target_dir / WAREHOUSE)
    state = source.parent / f".{source.name}.dlt"  # pipelines.settings.pipelines_dir
    if state.exists():
        shutil.copytree(state, target_dir / state.name)
    return target_dir / WAREHOUSE


def scalar(warehouse: Path, sql: str) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000, help="WMS orders of history")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=ROOT / "data" / "bench",
                        help="where the extracted warehouse is kept between runs")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    cached = args.cache / f"orders-{args.orders}-seed-{args.seed}" / WAREHOUSE
    work = args.cache / "work"
    ready: multiprocessing.Queue = multiprocessing.Queue()
    stop = multiprocessing.Event()
    simulator = multiprocessing.Process(target=serve, args=(args.seed, args.orders, ready, stop))
    simulator.start()
    try:
        base_url, api_key, built = ready.get(timeout=3600)
        print(f"simulator with {args.orders:,} WMS orders built in {built:.0f}s")

        def run(warehouse: Path) -> float:
            started = time.monotonic()
            report = extract(base_url=base_url, api_key=api_key, duckdb_path=warehouse,
                             progress=False, rate_per_second=None)
            if report.failed:
                raise SystemExit("an extract run failed")
            return time.monotonic() - started

        if cached.exists():
            print(f"full extraction: cached, {cached}")
        else:
            cached.parent.mkdir(parents=True, exist_ok=True)
            print(f"full extraction: {run(cached):.0f}s (cached in {cached.parent})")
        warehouse = copy_warehouse(cached, work / "incremental")
        orders = scalar(warehouse, "select count(*) from trackstar_raw.wms_orders")
        history = scalar(warehouse, "select count(*) from trackstar_raw.wms_order_status_history")
        print(f"warehouse: {orders:,} WMS orders, {history:,} order status versions")

        first, _, summary = dbt_build(warehouse)
        print(f"first dbt build (nothing built yet): {first:.1f}s  [{summary}]")

        httpx.post(f"{base_url}/_sim/advance", json={"hours": 1},
                   headers={"x-trackstar-api-key": api_key}, timeout=600).raise_for_status()
        print(f"one simulated hour later, extract run: {run(warehouse):.1f}s")
    finally:
        stop.set()
        simulator.join(timeout=60)

    full_copy = copy_warehouse(warehouse, work / "full_refresh")
    incremental, incremental_models, summary = dbt_build(warehouse)
    print(f"\ndbt build (incremental, as every hourly run): {incremental:6.1f}s  [{summary}]")
    full, full_models, summary = dbt_build(full_copy, "--full-refresh")
    print(f"dbt build --full-refresh (same data):        {full:6.1f}s  [{summary}]")
    print(f"incremental / full refresh:                  {incremental / full:6.1%}")
    print("\nseconds per mart            incremental   full refresh")
    for mart in MARTS:
        print(f"  {mart:<28} {incremental_models.get(mart, 0):8.2f}   "
              f"{full_models.get(mart, 0):11.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
