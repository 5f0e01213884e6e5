"""`python -m pipelines simulator`: serve the simulator in the foreground."""

from __future__ import annotations

import argparse
import contextlib
import threading
import time

from pipelines.simulator import Simulator, SimulatorServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines simulator",
        description="Serve a local Trackstar API on 127.0.0.1 (Ctrl-C stops it).",
    )
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=7, help="same seed, same data")
    parser.add_argument("--wms-orders", type=int, default=None, help="WMS orders of history")
    parser.add_argument(
        "--customers",
        type=int,
        default=None,
        help="a generated organisation of this many customers (each its own WMS, cart, carrier)",
    )
    parser.add_argument("--no-rate-limit", action="store_true", help="for throughput benchmarks")
    args = parser.parse_args(argv)

    started = time.monotonic()
    sim = Simulator(seed=args.seed, wms_orders=args.wms_orders, customers=args.customers)
    with SimulatorServer(sim, port=args.port, rate_limit=not args.no_rate_limit) as server:
        print(
            f"Trackstar simulator at {server.base_url} (built in {time.monotonic() - started:.1f}s)"
        )
        print(f"simulated now: {sim.now.to_iso8601_string()}")
        print(f"API key: {sim.api_key}")
        print("connections:")
        for c in sim.connections:
            print(
                f"  {c['connection_id']}  {c['integration_type']:<8} {c['integration_name']:<12} "
                f"customer={c['customer_id']}  access_token={c['access_token']}"
            )
        print(
            f"advance the clock: curl -X POST {server.base_url}/_sim/advance "
            f"-H 'x-trackstar-api-key: {sim.api_key}' -d '{{\"hours\": 1}}'"
        )
        print(
            f"try it: export SOURCES__TRACKSTAR__BASE_URL={server.base_url} "
            f"SOURCES__TRACKSTAR__API_KEY={sim.api_key}; make run",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0
