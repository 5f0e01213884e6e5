"""Benchmark: what `--reconcile` adds to a run, in requests and seconds, rate limit on.

    .venv/bin/python tests/bench/bench_reconcile.py [--orders 100000] [--seed 7]

The simulator (rate limit on: 10 GET/s per token, as Trackstar) runs in a child process. A first
run loads the history; then, an hour later each, a normal run and a reconcile run. The reconcile
run lists every key of every incremental resource on top: its extra requests are those pages.
Packs are off (their cost is the same in both runs and would only blur the difference). Not
collected by pytest (no test_ prefix).
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipelines.extract import extract  # noqa: E402


def serve(
    seed: int, orders: int | None, ready: multiprocessing.Queue, stop: multiprocessing.Event
) -> None:
    from pipelines.simulator import Simulator, SimulatorServer

    sim = Simulator(seed=seed, wms_orders=orders)
    with SimulatorServer(sim, rate_limit=True) as server:
        ready.put((server.base_url, sim.api_key))
        stop.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=None, help="WMS orders (default org: 3000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")

    ready: multiprocessing.Queue = multiprocessing.Queue()
    stop = multiprocessing.Event()
    simulator = multiprocessing.Process(target=serve, args=(args.seed, args.orders, ready, stop))
    simulator.start()
    results = {}
    try:
        base_url, api_key = ready.get(timeout=900)
        with tempfile.TemporaryDirectory() as tmp:
            for name, reconcile in (("first load", False), ("normal", False), ("reconcile", True)):
                if name != "first load":
                    httpx.post(
                        f"{base_url}/_sim/advance",
                        json={"hours": 1},
                        headers={"x-trackstar-api-key": api_key},
                    ).raise_for_status()
                started = time.monotonic()
                report = extract(
                    base_url=base_url,
                    api_key=api_key,
                    duckdb_path=Path(tmp) / "bench.duckdb",
                    progress=False,
                    packs=False,
                    reconcile=reconcile,
                )
                seconds = time.monotonic() - started
                listed = sum(entry.reconcile_pages for entry in report)
                results[name] = (report.http["requests"], seconds, listed)
                print(
                    f"{name}: {report.http['requests']} requests, {seconds:.1f}s, "
                    f"{listed} pages listed for keys, failed={report.failed}"
                )
    finally:
        stop.set()
        simulator.join(timeout=10)
    normal, reconcile = results["normal"], results["reconcile"]
    print(
        f"--reconcile adds {reconcile[0] - normal[0]} requests "
        f"({reconcile[2]} key-listing pages) and {reconcile[1] - normal[1]:.1f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
