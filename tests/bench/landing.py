"""One measured load, in its own process (`bench.py` reads its peak RSS and printed JSON).

    BENCH_BASE_URL=... BENCH_API_KEY=... [BENCH_ACCESS_TOKEN=...] \\
        .venv/bin/python tests/bench/landing.py project|rest_api|floor --warehouse PATH
        [--rate-limit] [--windows N]

With BENCH_ACCESS_TOKEN: a full load of that connection's `/wms/orders` (this project without
packs, so the three load the same pages). Without it (this project only): a full load of every
connection and resource, as `make run` does. Prints one JSON line: the seconds of the load
(without the interpreter's start-up and imports) and the rows of `wms_orders` and its child
tables, or of every raw table. Credentials come from the environment, never the command line.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from tests.bench import floor, rest_api_baseline  # noqa: E402
from tests.bench.common import table_rows  # noqa: E402

ROOT_TABLE = "wms_orders"


def project(
    base_url: str,
    api_key: str,
    token: str | None,
    warehouse: Path,
    rate: bool,
    windows: int | None = None,
) -> bool:
    """This project's extract() (with `windows` date windows, else its default); returns
    whether every connection succeeded."""
    from pipelines.extract import extract

    report = extract(
        **({"windows": windows} if windows else {}),
        base_url=base_url,
        api_key=api_key,
        access_tokens=[token] if token else None,
        resources=[ROOT_TABLE] if token else None,
        packs=not token,
        duckdb_path=warehouse,
        progress=False,
        rate_per_second=10 if rate else None,
    )
    return not report.failed


def raw_rows(warehouse: Path) -> dict[str, int]:
    """Rows of every raw table but dlt's own."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return dict(
            con.execute(
                "select table_name, estimated_size from duckdb_tables() "
                "where schema_name = 'trackstar_raw' and not starts_with(table_name, '_dlt') "
                "order by 1"
            ).fetchall()
        )
    finally:
        con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("project", "rest_api", "floor"))
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--rate-limit", action="store_true", help="10 GET/s per token")
    parser.add_argument("--windows", type=int, help="project: date windows (default: its own)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    base_url, api_key = os.environ["BENCH_BASE_URL"], os.environ["BENCH_API_KEY"]
    token = os.environ.get("BENCH_ACCESS_TOKEN")
    if not token and args.kind != "project":
        parser.error(f"{args.kind} loads one connection: set BENCH_ACCESS_TOKEN")
    args.warehouse.parent.mkdir(parents=True, exist_ok=True)
    ok = True
    started = time.monotonic()
    if args.kind == "project":
        ok = project(base_url, api_key, token, args.warehouse, args.rate_limit, args.windows)
    elif args.kind == "rest_api":
        rest_api_baseline.run(base_url, api_key, token, args.warehouse)
    else:
        floor.run(base_url, api_key, token, args.warehouse)
    seconds = time.monotonic() - started
    tables = table_rows(args.warehouse, ROOT_TABLE) if token else raw_rows(args.warehouse)
    print(json.dumps({"kind": args.kind, "ok": ok, "seconds": seconds, "tables": tables}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
