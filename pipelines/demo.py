"""`make demo`: the whole product on a laptop, with no credentials.

Starts the simulator on a free loopback port, runs the pipeline every simulated hour over the
first simulated day, lets the second day pass without any run (as when the server is down),
then makes one real scheduled run (`python -m pipelines run`: extract, dbt build, publish) at the
start of the third day, stops the simulator and shows what the published warehouse answers.

The simulator runs without Trackstar's rate limit (10 GET/s per token) and the pipeline does not
pace itself (`rate_per_second = 0`): the first runs read the packs of every packed order, one
request each, which at the real limit would add minutes of waiting to the demo and nothing else.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

import duckdb

from pipelines import settings

DEMO_DIR = settings.ROOT / "data" / "demo"

# The README shows these queries with the results the demo prints; tests/e2e/test_demo.py keeps
# the two in step.
EXAMPLE_QUERIES: dict[str, str] = {
    "What did each customer's shipments cost at the carrier, and how much is matched to orders?": """
select
    connections.customer_id,
    count(*) as tracking_numbers,
    sum(costs.net_cost) as carrier_net_cost,
    sum(costs.net_cost) filter (where costs.is_matched) as matched_to_orders,
    count(*) filter (where not costs.is_matched) as unmatched_tracking_numbers
from fct_shipment_costs as costs
inner join dim_connections as connections
    on costs.connection_id = connections.connection_id
group by connections.customer_id
order by connections.customer_id
""",
    "How fast do orders ship, and what does shipping cost versus what customers paid?": """
select
    source,
    currency_code,
    count(*) as orders,
    count(first_shipped_at) as shipped,
    round(median(hours_to_ship), 1) as median_hours_to_ship,
    count(*) filter (where is_cancelled) as cancelled,
    sum(shipping_cost) as carrier_cost,
    sum(total_shipping) as charged_for_shipping
from fct_order_lifecycle
group by source, currency_code
order by source, currency_code
""",
    "Stock on hand per warehouse on the latest snapshot day (the final run's)": """
select
    snapshot_date,
    warehouse_id,
    count(*) as items,
    sum(onhand) as onhand,
    sum(fulfillable) as fulfillable
from fct_inventory_snapshots
where snapshot_date = (select max(snapshot_date) from fct_inventory_snapshots)
group by snapshot_date, warehouse_id
order by warehouse_id
""",
}


def demo_paths(data_dir: Path) -> tuple[Path, Path]:
    return data_dir / "trackstar.duckdb", data_dir / "analytics.duckdb"


def reset(data_dir: Path) -> None:
    """Each demo starts from an empty warehouse, so its results are reproducible."""
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)


def format_result(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """A plain text table: what the README shows under each example query."""
    cursor = con.execute(sql)
    header = [d[0] for d in cursor.description]
    rows = [[("" if v is None else str(v)) for v in row] for row in cursor.fetchall()]
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]
    lines = [" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines demo", description=__doc__)
    parser.add_argument("--days", type=int, default=2, help="simulated days of hourly runs")
    parser.add_argument("--seed", type=int, default=7, help="simulator seed (same seed, same data)")
    parser.add_argument(
        "--skip-day", type=int, default=2, help="this day (1-based) has no run at all; 0: none"
    )
    parser.add_argument("--data-dir", type=Path, default=DEMO_DIR, help="where the demo files go")
    args = parser.parse_args(argv)

    from pipelines.extract import extract, load_source_settings
    from pipelines.run import main as run_main
    from pipelines.simulator import Simulator, SimulatorServer

    data_dir = args.data_dir.resolve()
    reset(data_dir)
    warehouse, published = demo_paths(data_dir)
    os.environ["TRACKSTAR_DUCKDB_PATH"] = str(warehouse)
    os.environ["TRACKSTAR_ANALYTICS_PATH"] = str(published)

    sim = Simulator(seed=args.seed)
    started = time.monotonic()
    with SimulatorServer(sim, port=0, rate_limit=False) as server:
        os.environ["SOURCES__TRACKSTAR__BASE_URL"] = server.base_url
        os.environ["SOURCES__TRACKSTAR__RATE_PER_SECOND"] = "0"
        os.environ["SOURCES__TRACKSTAR__API_KEY"] = sim.api_key
        # no access tokens, not even from a .dlt/secrets.toml: the API key lists the simulator's
        os.environ["SOURCES__TRACKSTAR__ACCESS_TOKENS"] = "[]"
        # the hourly runs read these settings as the scheduled run reads them
        run_settings = load_source_settings().as_kwargs()
        print(
            f"simulator at {server.base_url}, clock {sim.now}, {len(sim.connections)} connections"
        )
        for hour in range(args.days * 24):
            day = hour // 24 + 1
            if day != args.skip_day:
                report = extract(**run_settings, duckdb_path=warehouse, progress=False)
                print(f"  {sim.now:%Y-%m-%d %H:%M} run: {report.total_rows:>6} rows")
            elif hour % 24 == 0:
                print(f"  day {day}: no runs (server down), the simulated world moves on")
            sim.advance(hours=1)
        print("final scheduled run: python -m pipelines run")
        code = run_main(["--progress", "off"])
    print(f"\ndemo finished in {time.monotonic() - started:.0f}s with exit code {code}")
    if code not in (0,):
        return code

    print(f"\nwarehouse:          {warehouse}")
    print(f"published (BI/SQL): {published}")
    print(f"open it:            .venv/bin/duckdb -readonly {published}\n")
    con = duckdb.connect(str(published), read_only=True)
    for title, sql in EXAMPLE_QUERIES.items():
        print(f"-- {title}\n{sql.strip()}\n")
        print(format_result(con, sql) + "\n")
    con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
