"""`make freshness`: how old the data is, on Trackstar's side and on ours.

Two views, both from the warehouse (TRACKSTAR_DUCKDB_PATH):
- `dbt source freshness`: the newest record of each raw table by its `loaded_at_field`, against
  the warn/error thresholds of dbt_project.yml (vars `source_freshness_*_after_hours`);
- `analytics.fct_connection_freshness` (built by every run's `dbt build`): per connection x
  Trackstar function, the age of Trackstar's last crawl and of our last extraction, and a status.

A scheduled run prints the mart's failing, stuck and late rows after its build (`problems`).
The thresholds live in the mart alone (dbt vars): nothing here judges a sync.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console
from rich.table import Table

from pipelines import settings

MART = "analytics.fct_connection_freshness"
NOT_OK = ("failing", "stuck", "late")
COLUMNS = (
    "connection_id",
    "integration_name",
    "function_name",
    "resources",
    "freshness_status",
    "sync_status",
    "trackstar_age_seconds",
    "crawl_running_seconds",
    "extraction_age_seconds",
    "extracted_since_last_crawl",
    "as_of",
)


def read(warehouse: Path, statuses: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """The mart's rows (only `statuses`, if given), worst first; [] before the first build."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        exists = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'analytics' and table_name = 'fct_connection_freshness'"
        ).fetchone()[0]
        if not exists:
            return []
        where = (
            f"where freshness_status in ({', '.join('?' for _ in statuses)})" if statuses else ""
        )
        cursor = con.execute(
            f"select {', '.join(COLUMNS)} from {MART} {where} order by "
            "case freshness_status when 'failing' then 0 when 'stuck' then 1 when 'late' then 2 "
            "else 3 end, connection_id, function_name",
            list(statuses or ()),
        )
        return [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def _age(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    if abs(seconds) < 3600:
        return f"{seconds // 60} min"
    if abs(seconds) < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def render(rows: list[dict[str, Any]], title: str, width: int = 200) -> str:
    """The rows as a table: per connection x function, Trackstar's age and ours."""
    table = Table(title=title, title_justify="left")
    for name in (
        "connection",
        "integration",
        "function",
        "our resources",
        "status",
        "trackstar sync",
        "trackstar age",
        "crawl running",
        "our age",
        "in our copy",
    ):
        table.add_column(name, overflow="fold")
    for r in rows:
        table.add_row(
            r["connection_id"],
            r["integration_name"] or "",
            r["function_name"],
            r["resources"] or "-",
            r["freshness_status"],
            r["sync_status"] or "",
            _age(r["trackstar_age_seconds"]),
            _age(r["crawl_running_seconds"]),
            _age(r["extraction_age_seconds"]),
            "yes" if r["extracted_since_last_crawl"] else "no",
        )
    buffer = io.StringIO()
    Console(file=buffer, width=width, no_color=True, highlight=False).print(table)
    return buffer.getvalue()


def problems(warehouse: Path) -> str:
    """The run summary's part: Trackstar syncs failing, stuck or late ("" when none)."""
    rows = read(warehouse, NOT_OK)
    if not rows:
        return ""
    return render(rows, f"Trackstar syncs needing attention ({len(rows)}; make freshness)")


def source_freshness(warehouse: Path) -> tuple[int, list[dict[str, Any]]]:
    """`dbt source freshness` on the warehouse: its exit code and, per raw table, its status,
    newest record and age (from the JSON report, written to a temporary file)."""
    from pipelines.run import dbt_command, dbt_env

    env = dbt_env(warehouse)
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "sources.json"
        proc = subprocess.run(
            dbt_command("source", "freshness", "--no-use-colors", "--output", str(output)),
            cwd=settings.ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if not output.exists():
            raise RuntimeError(f"dbt source freshness failed:\n{proc.stdout[-3000:]}")
        results = json.loads(output.read_text())["results"]
    tables = [
        {
            "table": r["unique_id"].rsplit(".", 1)[-1],
            "status": r["status"],
            "newest": r.get("max_loaded_at"),
            "age_seconds": int(r["max_loaded_at_time_ago_in_s"])
            if r.get("max_loaded_at_time_ago_in_s") is not None
            else None,
        }
        for r in results
    ]
    return proc.returncode, sorted(tables, key=lambda t: t["table"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines freshness",
        description="dbt source freshness of the raw tables, then per connection x Trackstar "
        "function how old the data is on Trackstar's side and on ours "
        f"({MART}, as of the last run's build). Exit 1 when a source is past its error "
        "threshold or a Trackstar sync is failing or stuck.",
    )
    parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    warehouse = settings.duckdb_path()
    if not warehouse.exists():
        print(f"error: no warehouse at {warehouse} (TRACKSTAR_DUCKDB_PATH); run `make run` first")
        return 2
    code, tables = source_freshness(warehouse)
    print(
        "dbt source freshness (newest record per raw table, by its loaded_at_field, against now):"
    )
    for t in tables:
        print(
            f"  {t['table']:<40} {t['status']:<6} newest {t['newest']}  age {_age(t['age_seconds'])}"
        )
    rows = read(warehouse)
    if not rows:
        print(f"{MART} is not built yet: run `make run` first")
        return 1
    print(render(rows, f"Trackstar syncs per connection x function (as of {rows[0]['as_of']})"))
    bad = any(r["freshness_status"] in ("failing", "stuck") for r in rows)
    return 1 if code or bad else 0
