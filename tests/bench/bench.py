"""`make bench`: this project side by side with dlt's `rest_api` and the floor, the rate budget
used by many tokens, and the hourly dbt build; one run, one JSON file, one Markdown table.

    .venv/bin/python tests/bench/bench.py [--orders 35000] [--customers 8]
        [--multi-orders 20000] [--latency-orders 20000] [--dbt-orders 5000]
        [--sections landing,tokens,latency,dbt]
        [--out bench-results]          # BENCH_FULL=1 adds the dbt build at 1,000,000 orders

landing: one simulator (rate limit off, one customer, --orders WMS orders) serves the same pages
to three loads of one connection's `/wms/orders`, each in its own process (peak RSS from wait4):
this project (`extract()` without packs), dlt's `rest_api` with its defaults
(rest_api_baseline.py) and the floor (floor.py: httpx, then DuckDB read_json + unnest).
Rows/s counts `wms_orders` and its child tables; the ratios are the project's rows/s over theirs.
tokens: a simulator with the rate limit on and an organisation of --customers customers (each a
WMS, a cart and a carrier connection, each its own token), a full load of everything as
`make run` does; the simulator reports each token's requests/s over its busy period (first to
last request), as a share of Trackstar's 10 GET/s, and its 429s.
latency: a simulator that answers each request after LATENCY_MS, rate limit on, one customer
(--latency-orders WMS orders); this project's full load of `/wms/orders` as one listing and in
date windows (pipelines/trackstar/date_windows.py), the token's requests/s for each.
dbt: bench_dbt.measure (first load, full build, an hour later, then incremental, full refresh
and an empty selection) at each --dbt-orders.
Writes OUT/latest.json and OUT/latest.md and prints the Markdown. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import bench_dbt  # noqa: E402
from tests.bench.common import SimulatorProcess, machine, run_child  # noqa: E402

LANDING = ROOT / "tests" / "bench" / "landing.py"
KINDS = {
    "project": "this project",
    "rest_api": "dlt `rest_api`, defaults",
    "floor": "floor: httpx + DuckDB `read_json`/`unnest`",
}
RATE = 10  # Trackstar's GET/s per access token
SECTIONS = ("landing", "tokens", "latency", "dbt")
LATENCY_MS = 1000  # latency: how long the simulator takes to answer each request


def landing(
    orders: int,
    seed: int,
    work: Path,
    echo: Callable[[str], None],
    kinds: tuple[str, ...] = tuple(KINDS),
) -> dict[str, Any]:
    """One connection's full load of `/wms/orders` by the project, rest_api and the floor (or
    by `kinds` of them: `project` alone measures its peak memory at sizes too large for the
    others, e.g. 1,000,000 orders)."""
    with SimulatorProcess(rate_limit=False, seed=seed, wms_orders=orders, customers=1) as sim:
        echo(f"landing: simulator with {orders:,} WMS orders built in {sim.build_seconds:.1f}s")
        env = {
            "BENCH_BASE_URL": sim.base_url,
            "BENCH_API_KEY": sim.api_key,
            "BENCH_ACCESS_TOKEN": sim.token("wms"),
        }
        runs = {}
        for kind in kinds:
            warehouse = work / f"landing_{kind}" / "bench.duckdb"
            run = run_child(LANDING, kind, "--warehouse", str(warehouse), env=env)
            if not run["ok"]:
                raise RuntimeError(f"landing: the {kind} load failed (see its run report)")
            run["rows"] = sum(run["tables"].values())
            run["rows_per_second"] = run["rows"] / run["seconds"]
            runs[kind] = run
            echo(
                f"  {kind}: {run['seconds']:.1f}s, {run['rows']:,} rows, "
                f"{run['rows_per_second']:,.0f} rows/s, peak RSS {run['peak_rss_mb']:.0f} MB"
            )
    out: dict[str, Any] = {"orders": orders, "runs": runs}
    if "project" in runs:
        project = runs["project"]["rows_per_second"]
        for kind in set(runs) - {"project"}:
            out[f"project_over_{kind}"] = project / runs[kind]["rows_per_second"]
    return out


def tokens(
    customers: int, orders: int, seed: int, work: Path, echo: Callable[[str], None]
) -> dict[str, Any]:
    """A full load of an organisation of `customers` customers with the rate limit on."""
    with SimulatorProcess(
        rate_limit=True, seed=seed, wms_orders=orders, customers=customers
    ) as sim:
        echo(
            f"tokens: simulator with {customers} customers, {orders:,} WMS orders, "
            f"built in {sim.build_seconds:.1f}s"
        )
        env = {"BENCH_BASE_URL": sim.base_url, "BENCH_API_KEY": sim.api_key}
        warehouse = work / "tokens" / "bench.duckdb"
        run = run_child(LANDING, "project", "--warehouse", str(warehouse), "--rate-limit", env=env)
        served = sim.requests()
        types = {c["connection_id"]: c["integration_type"] for c in sim.connections}
    per_token = [
        {"connection_id": cid, "integration_type": types[cid], **stats}
        for cid, stats in sorted(served.items(), key=lambda item: types[item[0]])
    ]
    out: dict[str, Any] = {
        "customers": customers,
        "orders": orders,
        "tokens": len(per_token),
        "seconds": run["seconds"],
        "ok": run["ok"],
        "rows": sum(run["tables"].values()),
        "rate_limited": sum(t["rate_limited"] for t in per_token),
        "per_token": per_token,
    }
    for vertical in sorted({t["integration_type"] for t in per_token}):
        rates = [t["requests_per_second"] for t in per_token if t["integration_type"] == vertical]
        if rates:
            out[f"{vertical}_requests_per_second"] = {
                "mean": statistics.mean(rates),
                "min": min(rates),
                "max": max(rates),
            }
    rates = [t["requests_per_second"] for t in per_token]
    out["requests_per_second"] = statistics.mean(rates)
    out["share_of_limit"] = out["requests_per_second"] / RATE
    by_resource: dict[str, list[dict[str, Any]]] = {}
    for t in per_token:
        for name, stats in t["resources"].items():
            by_resource.setdefault(name, []).append(stats)
    out["by_resource"] = {  # the resources with the most requests first
        name: {
            "requests": sum(s["requests"] for s in stats),
            "requests_per_second": statistics.mean(s["requests_per_second"] for s in stats),
        }
        for name, stats in sorted(
            by_resource.items(), key=lambda item: -sum(s["requests"] for s in item[1])
        )
    }
    echo(
        f"  {out['seconds']:.1f}s, {out['rows']:,} rows; {out['tokens']} tokens at "
        f"{out['requests_per_second']:.2f} requests/s each ({out['share_of_limit']:.0%} of "
        f"{RATE} GET/s), {out['rate_limited']} x 429"
    )
    return out


def latency(orders: int, seed: int, work: Path, echo: Callable[[str], None]) -> dict[str, Any]:
    """One connection's full load of `/wms/orders` from a server that takes LATENCY_MS to
    answer, rate limit on: read as one listing, then in date windows (the default)."""
    from pipelines.trackstar.source import DEFAULT_WINDOWS

    runs = {}
    for windows in (1, DEFAULT_WINDOWS):
        with SimulatorProcess(rate_limit=True, seed=seed, wms_orders=orders, customers=1) as sim:
            sim.set_faults(latency_ms=LATENCY_MS)
            env = {
                "BENCH_BASE_URL": sim.base_url,
                "BENCH_API_KEY": sim.api_key,
                "BENCH_ACCESS_TOKEN": sim.token("wms"),
            }
            warehouse = work / f"latency_{windows}" / "bench.duckdb"
            args = ("project", "--warehouse", str(warehouse), "--rate-limit")
            run = run_child(LANDING, *args, "--windows", str(windows), env=env)
            (served,) = sim.requests().values()
        run["rows"] = sum(run["tables"].values())
        run["rows_per_second"] = run["rows"] / run["seconds"]
        run["requests"] = served["requests"]
        run["requests_per_second"] = served["requests_per_second"]
        run["rate_limited"] = served["rate_limited"]
        runs[windows] = run
        echo(
            f"  latency {LATENCY_MS} ms, {windows} window(s): {run['seconds']:.1f}s, "
            f"{run['requests']} requests at {run['requests_per_second']:.2f}/s, "
            f"{run['rows_per_second']:,.0f} rows/s"
        )
    return {"orders": orders, "latency_ms": LATENCY_MS, "runs": runs}


def dbt(orders: list[int], seed: int, rounds: int, echo: Callable[[str], None]) -> list[dict]:
    """The hourly build (and a full refresh) at each size, from bench_dbt."""
    return [bench_dbt.measure(n, seed, rounds, echo=lambda line: echo(f"  {line}")) for n in orders]


def markdown(results: dict[str, Any]) -> str:
    """The results as the README's "Performance" section shows them."""
    m = results["machine"]
    lines = [
        f"Measured {results['started']} with `{results['command']}` on {m['nproc']} CPUs "
        f"({m['cpu']}), {m['ram_gb']:.0f} GB RAM, load average {m['load_average'][0]} at the "
        f"start; Python {m['python']}, dlt {m['dlt']}, duckdb {m['duckdb']}, dbt-core "
        f"{m['dbt-core']} with dbt-duckdb {m['dbt-duckdb']}.",
        "",
    ]
    if "landing" in results:
        land = results["landing"]
        root = next(iter(land["runs"].values()))["tables"]["wms_orders"]
        lines += [
            f"One connection's full load of `/wms/orders`, {root:,} orders, rate limit off "
            "(rows: `wms_orders` and its child tables):",
            "",
            "| | wall s | rows | rows/s | peak RSS MB | project's rows/s ÷ this |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for kind, label in KINDS.items():
            run = land["runs"].get(kind)
            if run is None:
                continue
            ratio = land.get(f"project_over_{kind}")
            if ratio is not None:
                ratio = f"{ratio:.2f}x" if kind == "rest_api" else f"{ratio:.0%}"
            lines.append(
                f"| {label} | {run['seconds']:.1f} | {run['rows']:,} | "
                f"{run['rows_per_second']:,.0f} | {run['peak_rss_mb']:.0f} | {ratio or ''} |"
            )
        lines.append("")
    if "tokens" in results:
        tok = results["tokens"]
        lines += [
            f"Rate limit on: a full load (`make run`) of {tok['customers']} customers "
            f"({tok['tokens']} tokens: a WMS, a cart and a carrier connection each), "
            f"{tok['orders']:,} WMS orders, {tok['rows']:,} rows in {tok['seconds']:.0f} s; "
            f"requests/s per token over its busy period (first to last request), as a share "
            f"of {RATE} GET/s; {tok['rate_limited']} x 429:",
            "",
            "| tokens | mean requests/s | min | max | share of 10 GET/s |",
            "|---|---:|---:|---:|---:|",
        ]
        for vertical in ("wms", "cart", "carrier", "freight"):
            stats = tok.get(f"{vertical}_requests_per_second")
            if stats:
                lines.append(
                    f"| {vertical} | {stats['mean']:.2f} | {stats['min']:.2f} | "
                    f"{stats['max']:.2f} | {stats['mean'] / RATE:.0%} |"
                )
        lines.append(
            f"| all | {tok['requests_per_second']:.2f} | | | {tok['share_of_limit']:.0%} |"
        )
        lines += [
            "",
            "Per resource, the most requested first: requests (all tokens), mean requests/s per "
            "token: "
            + ", ".join(
                f"`{name}` {r['requests']:,}, {r['requests_per_second']:.2f}"
                for name, r in list(tok["by_resource"].items())[:6]
            )
            + ".",
            "",
        ]
    if "latency" in results:
        lat = results["latency"]
        lines += [
            f"A server that takes {lat['latency_ms']} ms to answer, rate limit on: one "
            f"connection's full load of `/wms/orders`, {lat['orders']:,} orders, read as one "
            f"listing (each page asked for when the one before arrived, processed while the "
            f"next is on its way; each step's pages asked for while the step before is "
            f"loaded) and in date windows read side by side (the default):",
            "",
            "| date windows | wall s | requests | requests/s of the token | share of 10 GET/s "
            "| rows/s | 429s |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for windows, run in lat["runs"].items():
            lines.append(
                f"| {windows} | {run['seconds']:.1f} | {run['requests']} | "
                f"{run['requests_per_second']:.2f} | {run['requests_per_second'] / RATE:.0%} | "
                f"{run['rows_per_second']:,.0f} | {run['rate_limited']} |"
            )
        lines.append("")
    if "dbt" in results:
        lines += [
            "dbt build one hour after a full build (median of the rounds; `make run` builds "
            "incrementally):",
            "",
            "| WMS orders | incremental (hourly) s | full refresh s | selecting nothing s |",
            "|---:|---:|---:|---:|",
        ]
        for run in results["dbt"]:
            median = run.get("median")
            if median:
                lines.append(
                    f"| {run['orders']:,} | {median['incremental']:.1f} | "
                    f"{median['full_refresh']:.1f} | {median['selects_nothing']:.1f} |"
                )
        lines.append("")
    return "\n".join(lines)


def bench(
    out: Path,
    sections: tuple[str, ...] = SECTIONS,
    orders: int = 35_000,
    customers: int = 8,
    multi_orders: int = 20_000,
    latency_orders: int = 20_000,
    dbt_orders: tuple[int, ...] = (5_000,),
    dbt_rounds: int = 3,
    seed: int = 7,
    command: str = "make bench",
    echo: Callable[[str], None] = print,
    kinds: tuple[str, ...] = tuple(KINDS),
) -> dict[str, Any]:
    """Run the sections; write out/latest.json and out/latest.md; return the results."""
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown sections {sorted(unknown)}; known: {', '.join(SECTIONS)}")
    if set(kinds) - set(KINDS) or not kinds:
        raise ValueError(f"--kinds: some of {', '.join(KINDS)}, got {', '.join(kinds)}")
    if customers < 1:
        raise ValueError(f"--customers must be at least 1, got {customers}")
    results: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": command,
        "seed": seed,
        "machine": machine(),
    }
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        if "landing" in sections:
            results["landing"] = landing(orders, seed, Path(tmp), echo, kinds)
        if "tokens" in sections:
            results["tokens"] = tokens(customers, multi_orders, seed, Path(tmp), echo)
        if "latency" in sections:
            results["latency"] = latency(latency_orders, seed, Path(tmp), echo)
    if "dbt" in sections:
        results["dbt"] = dbt(list(dbt_orders), seed, dbt_rounds, echo)
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "latest.md").write_text(markdown(results))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=35_000, help="landing: WMS orders")
    parser.add_argument("--customers", type=int, default=8, help="tokens: customers (N)")
    parser.add_argument("--multi-orders", type=int, default=20_000, help="tokens: WMS orders")
    parser.add_argument("--latency-orders", type=int, default=20_000, help="latency: WMS orders")
    parser.add_argument(
        "--dbt-orders", type=int, action="append", help="dbt: WMS orders (repeatable; 5000)"
    )
    parser.add_argument("--dbt-rounds", type=int, default=3)
    parser.add_argument("--sections", default=",".join(SECTIONS), help="comma-separated")
    parser.add_argument(
        "--kinds", default=",".join(KINDS), help="landing: which loads (comma-separated)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results")
    args = parser.parse_args()
    dbt_orders = args.dbt_orders or [5_000]
    if os.environ.get("BENCH_FULL") == "1":
        dbt_orders.append(1_000_000)
    command = "make bench" + (f' ARGS="{" ".join(sys.argv[1:])}"' if sys.argv[1:] else "")
    if os.environ.get("BENCH_FULL") == "1":
        command = f"BENCH_FULL=1 {command}"
    results = bench(
        args.out,
        sections=tuple(s for s in args.sections.split(",") if s),
        orders=args.orders,
        customers=args.customers,
        multi_orders=args.multi_orders,
        latency_orders=args.latency_orders,
        dbt_orders=tuple(dbt_orders),
        dbt_rounds=args.dbt_rounds,
        seed=args.seed,
        command=command,
        kinds=tuple(k for k in args.kinds.split(",") if k),
    )
    print()
    print(markdown(results))
    print(f"written: {args.out / 'latest.json'}, {args.out / 'latest.md'}")
    return 0 if results.get("tokens", {}).get("ok", True) else 1


if __name__ == "__main__":
    raise SystemExit(main())
