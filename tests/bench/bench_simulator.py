"""Benchmark: build a simulator with 1,000,000 WMS orders and serve 1000-order pages over HTTP.

    .venv/bin/python tests/bench/bench_simulator.py [--orders 1000000] [--pages 200] [--seed 7]

Reports the build time, the process RSS, then the median and p95 milliseconds per page of 1000
WMS orders (rate limit off, one keep-alive httpx client, following `next_token` with a
`trackstar_updated_date[gte]` filter repeated on every page). Not collected by pytest.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipelines.simulator import Simulator, SimulatorServer  # noqa: E402


def rss_mb() -> float:
    """Current resident set size (Linux), and the peak as a fallback."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000, help="WMS orders in the simulator")
    parser.add_argument("--pages", type=int, default=200, help="pages of 1000 orders to time")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    before = rss_mb()
    started = time.perf_counter()
    sim = Simulator(seed=args.seed, wms_orders=args.orders)
    build = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"built {args.orders:,} WMS orders in {build:.1f} s; RSS {rss_mb():.0f} MB "
          f"(+{rss_mb() - before:.0f} MB), peak {peak:.0f} MB")

    wms = sim.connection("wms")  # the larger WMS connection (70% of the orders)
    since = (sim.now.subtract(days=60)).format("YYYY-MM-DDTHH:mm:ss") + "Z"
    headers = {"x-trackstar-api-key": sim.api_key, "x-trackstar-access-token": wms["access_token"]}
    times: list[float] = []
    rows = 0
    with SimulatorServer(sim, rate_limit=False) as server, \
            httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as client:
        token = None
        first_total = None
        while len(times) < args.pages:
            params = {"limit": 1000, "trackstar_updated_date[gte]": since}
            if token:
                params["page_token"] = token
            t0 = time.perf_counter()
            response = client.get("/wms/orders", params=params)
            body = response.json()
            times.append((time.perf_counter() - t0) * 1000)
            response.raise_for_status()
            rows += len(body["data"])
            first_total = first_total or body["total_count"]
            token = body["next_token"]
            if token is None:
                token = None  # wrap around: start again from the first page
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"{len(times)} pages, {rows:,} orders (total_count {first_total:,}): "
          f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, first {times and times[0]:.1f} ms min, "
          f"max {times[-1]:.1f} ms per 1000-order page (request + JSON parse)")
    print(f"RSS after serving: {rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
