"""Benchmark: dbt build, full refresh vs incremental, on a warehouse of 1,000,000 WMS orders.

    .venv/bin/python tests/bench/bench_dbt.py [--orders 1000000] [--seed 7] [--warehouse PATH]
                                              [--rounds 3]

Loads a warehouse from the simulator (rate limit off; the simulator runs in a child process so
it does not compete with the extractor for the GIL), runs `dbt build --full-refresh`, advances
the simulated clock by one hour and extracts again. Then, for each of --rounds rounds, on fresh
copies of that warehouse one hour later: an incremental `dbt build` (what the hourly run does), a
`dbt build --full-refresh` of the same warehouse, and a `dbt build` that selects nothing (dbt's
fixed cost of an invocation: start-up, parse, teardown, which both builds pay). The builds of a
round run back to back, so each round's ratio compares like with like on a machine whose speed
drifts; the medians are printed last. Each build also prints where its time went (seconds per
kind of node, from dbt's run_results.json). With --warehouse PATH a loaded warehouse of the same
seed and size is copied instead of extracting the first load (the hour after is still
extracted); --keep PATH saves the first load for that. Not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipelines import settings  # noqa: E402
from pipelines.extract import extract  # noqa: E402
from tests.dbt_build import dbt_build  # noqa: E402


def serve(
    seed: int, orders: int, ready: multiprocessing.Queue, stop: multiprocessing.Event
) -> None:
    from pipelines.simulator import Simulator, SimulatorServer

    started = time.monotonic()
    sim = Simulator(seed=seed, wms_orders=orders)
    with SimulatorServer(sim, rate_limit=False) as server:
        ready.put((server.base_url, sim.api_key, time.monotonic() - started))
        stop.wait()


def timed_build(warehouse: Path, *extra: str) -> float:
    """Seconds of a `dbt build` as `make run` builds (no unit tests: they test logic, not data).

    Also prints where the time went, from dbt's run_results.json: the seconds each kind of node
    ran (summed over dbt's threads) and how many there were.
    """
    started = time.monotonic()
    dbt_build(warehouse, *extra)
    seconds = time.monotonic() - started
    target = settings.ROOT / "target"
    nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    kinds: dict[str, list[float]] = {}
    for result in json.loads((target / "run_results.json").read_text())["results"]:
        node = nodes.get(result["unique_id"], {})
        kind = node.get("resource_type", "operation")
        if kind == "model":  # by materialization: view, table, incremental
            kind = node["config"]["materialized"]
        kinds.setdefault(kind, []).append(result["execution_time"])
    print(
        "  seconds per kind of node (summed over dbt's threads), and how many: "
        + ", ".join(f"{kind} {sum(t):.1f}s ({len(t)})" for kind, t in sorted(kinds.items()))
    )
    return seconds


def floor(warehouse: Path) -> float:
    """Seconds of a `dbt build` that selects nothing: dbt's start-up, parse and teardown."""
    started = time.monotonic()
    dbt_build(warehouse, "--select", "tag:bench_selects_nothing")
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000, help="WMS orders in the simulator")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--warehouse", type=Path, help="start from a copy of this loaded warehouse")
    parser.add_argument("--rounds", type=int, default=3, help="incremental/full-refresh pairs")
    parser.add_argument(
        "--keep", type=Path, help="save a copy of the first load here (for --warehouse)"
    )
    parser.add_argument(
        "--keep-hour",
        type=Path,
        help="save a copy of the warehouse after the hour's extraction (before the incremental build)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")

    ready: multiprocessing.Queue = multiprocessing.Queue()
    stop = multiprocessing.Event()
    simulator = multiprocessing.Process(target=serve, args=(args.seed, args.orders, ready, stop))
    simulator.start()
    try:
        base_url, api_key, built = ready.get(timeout=1800)
        print(f"simulator with {args.orders:,} WMS orders built in {built:.1f}s")
        with tempfile.TemporaryDirectory() as tmp:
            warehouse = Path(tmp) / "bench.duckdb"

            def load() -> float:
                started = time.monotonic()
                extract(
                    base_url=base_url,
                    api_key=api_key,
                    duckdb_path=warehouse,
                    progress=False,
                    rate_per_second=None,
                )
                return time.monotonic() - started

            if args.warehouse:
                shutil.copy(args.warehouse, warehouse)
                print(f"warehouse copied from {args.warehouse}")
            else:
                print(f"first extraction: {load():.1f}s")
                if args.keep:
                    shutil.copy(warehouse, args.keep)
                    print(f"first load saved as {args.keep}")
            print(
                f"dbt build --full-refresh of the first load: {timed_build(warehouse, '--full-refresh'):.1f}s"
            )

            httpx.post(
                f"{base_url}/_sim/advance",
                json={"hours": 1},
                headers={"x-trackstar-api-key": api_key},
                timeout=60,
            ).raise_for_status()
            print(f"extraction one hour later: {load():.1f}s")
            hour = Path(tmp) / "hour" / warehouse.name  # same file name: same DuckDB catalog
            hour.parent.mkdir()
            shutil.copy(warehouse, hour)
            if args.keep_hour:
                shutil.copy(warehouse, args.keep_hour)
                print(f"load one hour later saved as {args.keep_hour}")

            rounds = []
            for number in range(1, args.rounds + 1):
                print(f"round {number}, on a copy of the warehouse one hour later:")
                shutil.copy(hour, warehouse)
                incremental = timed_build(warehouse)
                print(f"  dbt build (incremental, as the hourly run): {incremental:.1f}s")
                shutil.copy(hour, warehouse)
                full = timed_build(warehouse, "--full-refresh")
                print(f"  dbt build --full-refresh: {full:.1f}s")
                empty = floor(warehouse)
                print(f"  dbt build selecting nothing (dbt's fixed cost): {empty:.1f}s")
                print(f"  incremental / full refresh: {incremental / full:.0%}")
                rounds.append((incremental, full, empty))
            incremental, full, empty = (
                statistics.median(column) for column in zip(*rounds, strict=True)
            )
            ratio = statistics.median(i / f for i, f, _ in rounds)
            print(
                f"median of {len(rounds)} rounds: incremental {incremental:.1f}s, full refresh "
                f"{full:.1f}s, selecting nothing {empty:.1f}s; incremental / full refresh {ratio:.0%}"
            )
    finally:
        stop.set()
        simulator.join(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
