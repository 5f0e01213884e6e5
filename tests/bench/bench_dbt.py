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
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipelines import settings  # noqa: E402
from pipelines.extract import extract  # noqa: E402
from tests.bench.common import SimulatorProcess  # noqa: E402
from tests.dbt_build import dbt_build  # noqa: E402


def timed_build(warehouse: Path, *extra: str, echo: Callable[[str], None] = print) -> float:
    """Seconds of a `dbt build` as `make run` builds (no unit tests: they test logic, not data).

    Also prints where the time went, from dbt's run_results.json: the seconds each kind of node
    ran (summed over dbt's threads) and how many there were, read from the warehouse's own
    dbt target folder (`settings.dbt_target_dir`), which no other build writes.
    """
    target = settings.dbt_target_dir(warehouse)
    started = time.monotonic()
    dbt_build(warehouse, *extra)
    seconds = time.monotonic() - started
    nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    kinds: dict[str, list[float]] = {}
    for result in json.loads((target / "run_results.json").read_text())["results"]:
        node = nodes.get(result["unique_id"], {})
        kind = node.get("resource_type", "operation")
        if kind == "model":  # by materialization: view, table, incremental
            kind = node["config"]["materialized"]
        kinds.setdefault(kind, []).append(result["execution_time"])
    echo(
        "  seconds per kind of node (summed over dbt's threads), and how many: "
        + ", ".join(f"{kind} {sum(t):.1f}s ({len(t)})" for kind, t in sorted(kinds.items()))
    )
    return seconds


def floor(warehouse: Path) -> float:
    """Seconds of a `dbt build` that selects nothing: dbt's start-up, parse and teardown."""
    started = time.monotonic()
    dbt_build(warehouse, "--select", "tag:bench_selects_nothing")
    return time.monotonic() - started


def measure(
    orders: int,
    seed: int = 7,
    rounds: int = 3,
    warehouse: Path | None = None,
    keep: Path | None = None,
    keep_hour: Path | None = None,
    echo: Callable[[str], None] = print,
) -> dict[str, Any]:
    """The first load and its full build, the hour after, then `rounds` rounds of builds on
    copies of the warehouse one hour later; returns the seconds (and the medians)."""
    out: dict[str, Any] = {"orders": orders, "seed": seed}
    with SimulatorProcess(rate_limit=False, seed=seed, wms_orders=orders) as sim:
        out["simulator_build_seconds"] = sim.build_seconds
        echo(f"simulator with {orders:,} WMS orders built in {sim.build_seconds:.1f}s")
        with tempfile.TemporaryDirectory() as tmp:
            loaded = Path(tmp) / "bench.duckdb"

            def load() -> float:
                started = time.monotonic()
                extract(
                    base_url=sim.base_url,
                    api_key=sim.api_key,
                    duckdb_path=loaded,
                    progress=False,
                    rate_per_second=None,
                )
                return time.monotonic() - started

            if warehouse:
                shutil.copy(warehouse, loaded)
                echo(f"warehouse copied from {warehouse}")
            else:
                out["first_extract_seconds"] = load()
                echo(f"first extraction: {out['first_extract_seconds']:.1f}s")
                if keep:
                    shutil.copy(loaded, keep)
                    echo(f"first load saved as {keep}")
            out["first_full_refresh_seconds"] = timed_build(loaded, "--full-refresh", echo=echo)
            echo(
                "dbt build --full-refresh of the first load: "
                f"{out['first_full_refresh_seconds']:.1f}s"
            )
            httpx.post(
                f"{sim.base_url}/_sim/advance",
                json={"hours": 1},
                headers={"x-trackstar-api-key": sim.api_key},
                timeout=60,
            ).raise_for_status()
            out["hour_extract_seconds"] = load()
            echo(f"extraction one hour later: {out['hour_extract_seconds']:.1f}s")
            hour = Path(tmp) / "hour" / loaded.name  # same file name: same DuckDB catalog
            hour.parent.mkdir()
            shutil.copy(loaded, hour)
            if keep_hour:
                shutil.copy(loaded, keep_hour)
                echo(f"load one hour later saved as {keep_hour}")

            rounds_out = []
            for number in range(1, rounds + 1):
                echo(f"round {number}, on a copy of the warehouse one hour later:")
                shutil.copy(hour, loaded)
                incremental = timed_build(loaded, echo=echo)
                echo(f"  dbt build (incremental, as the hourly run): {incremental:.1f}s")
                shutil.copy(hour, loaded)
                full = timed_build(loaded, "--full-refresh", echo=echo)
                echo(f"  dbt build --full-refresh: {full:.1f}s")
                empty = floor(loaded)
                echo(f"  dbt build selecting nothing (dbt's fixed cost): {empty:.1f}s")
                echo(f"  incremental / full refresh: {incremental / full:.0%}")
                rounds_out.append(
                    {"incremental": incremental, "full_refresh": full, "selects_nothing": empty}
                )
    out["rounds"] = rounds_out
    if rounds_out:
        out["median"] = {
            key: statistics.median(r[key] for r in rounds_out) for key in rounds_out[0]
        }
        median = out["median"]
        echo(
            f"median of {len(rounds_out)} rounds: incremental {median['incremental']:.1f}s, "
            f"full refresh {median['full_refresh']:.1f}s, selecting nothing "
            f"{median['selects_nothing']:.1f}s; incremental / full refresh "
            f"{median['incremental'] / median['full_refresh']:.0%}"
        )
    return out


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
    measure(args.orders, args.seed, args.rounds, args.warehouse, args.keep, args.keep_hour)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
