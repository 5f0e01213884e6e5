"""Benchmark: build a simulator with 1,000,000 WMS orders and serve 1000-order pages over HTTP.

    .venv/bin/python tests/bench/bench_simulator.py [--orders 1000000] [--pages 200] [--seed 7]
        [--filter gte|none|status]

A child process builds `Simulator(seed, wms_orders)` (build time and RSS are reported) and serves
it with the rate limit off; this process is the client (so the two do not share one GIL): one
keep-alive httpx client walks `/wms/orders` with `limit=1000`, following `next_token` with a
filter repeated on every page: `trackstar_updated_date[gte]` (the default), none, or
`status=fulfilled`. Reported per page: the median and
p95 milliseconds until the whole body is received, the same plus the client's JSON parse, and
the server process's CPU milliseconds. Not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipelines.simulator import Simulator, SimulatorServer  # noqa: E402


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_ms(pid: int) -> float:
    """User + system CPU time of a process, from /proc (clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def serve(orders: int, seed: int, report: mp.Queue, stop: mp.Event) -> None:
    before = rss_mb()
    started = time.perf_counter()
    sim = Simulator(seed=seed, wms_orders=orders)
    build = time.perf_counter() - started
    wms = sim.connection("wms")  # the larger WMS connection (70% of the orders)
    with SimulatorServer(sim, rate_limit=False) as server:
        report.put(
            {
                "build_s": build,
                "rss_mb": rss_mb(),
                "rss_before_mb": before,
                "base_url": server.base_url,
                "headers": {
                    "x-trackstar-api-key": sim.api_key,
                    "x-trackstar-access-token": wms["access_token"],
                },
                "since": sim.now.subtract(days=60).format("YYYY-MM-DDTHH:mm:ss") + "Z",
            }
        )
        stop.wait()


def summary(label: str, values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return (
        f"  {label}: median {statistics.median(values):.1f}, p95 {p95:.1f}, "
        f"min {values[0]:.1f}, max {values[-1]:.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000, help="WMS orders in the simulator")
    parser.add_argument("--pages", type=int, default=200, help="pages of 1000 orders to time")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--filter", choices=("gte", "none", "status"), default="gte")
    args = parser.parse_args()

    ctx = mp.get_context("fork")
    report, stop = ctx.Queue(), ctx.Event()
    child = ctx.Process(target=serve, args=(args.orders, args.seed, report, stop), daemon=True)
    child.start()
    info = report.get()
    print(
        f"built {args.orders:,} WMS orders in {info['build_s']:.1f} s; "
        f"server RSS {info['rss_mb']:.0f} MB "
        f"(+{info['rss_mb'] - info['rss_before_mb']:.0f} MB for the world)"
    )

    received: list[float] = []  # request sent -> whole body received
    parsed: list[float] = []  # the same plus the client's JSON parse
    server_cpu: list[float] = []  # the server process's CPU time per page
    rows, first_total, token = 0, None, None
    try:
        with httpx.Client(
            base_url=info["base_url"], headers=info["headers"], timeout=120
        ) as client:
            while len(received) < args.pages:
                params: dict[str, str | int] = {"limit": 1000}
                if args.filter == "gte":
                    params["trackstar_updated_date[gte]"] = info["since"]
                elif args.filter == "status":
                    params["status"] = "fulfilled"
                if token:
                    params["page_token"] = token
                c0, t0 = cpu_ms(child.pid), time.perf_counter()
                response = client.get("/wms/orders", params=params)
                t1, c1 = time.perf_counter(), cpu_ms(child.pid)
                response.raise_for_status()
                body = response.json()
                received.append((t1 - t0) * 1000)
                parsed.append((time.perf_counter() - t0) * 1000)
                server_cpu.append(c1 - c0)
                rows += len(body["data"])
                first_total = first_total or body["total_count"]
                token = body["next_token"]  # None after the last page: the walk starts again
        print(
            f"{len(received)} pages ({args.filter} filter), {rows:,} orders "
            f"(total_count {first_total:,}), "
            f"{len(response.content) / 1e6:.1f} MB per page; ms per 1000-order page:"
        )
        print(summary("served (request -> body received)", received))
        print(summary("served + client JSON parse", parsed))
        print(summary("server CPU (10 ms clock ticks)", server_cpu))
        print(
            f"server RSS after serving: {rss_mb(child.pid):.0f} MB; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
            "(wall times include waiting for a CPU)"
        )
    finally:
        stop.set()
        child.join(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
