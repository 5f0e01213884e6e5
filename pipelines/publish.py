"""Publish the `analytics` schema into a separate, read-only DuckDB file for BI tools.

The marts land in the published file's default schema, so readers write
`select * from fct_order_lifecycle` (or `analytics.fct_order_lifecycle` with the default file
name `analytics.duckdb`, whose catalog is then called `analytics`).

DuckDB lets one process write a file, so readers of the warehouse itself would block (and be
blocked by) the scheduled run. Instead every successful build is copied into a new file that
is swapped in with an atomic rename: a reader sees the previous complete build or the new one,
never a half-written one, and a reader holding the old file open keeps reading it undisturbed.

The copy is written in an old storage format so that the DuckDB readers embedded in BI tools,
the DuckDB CLI and duckdb-engine (SQLAlchemy) can open it even when they are older than the
duckdb package that wrote it.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from pathlib import Path

import duckdb
import pendulum

from pipelines import settings

log = logging.getLogger("pipelines.publish")

SCHEMA = "analytics"
# v1.0.0 is storage version 64: every DuckDB reader since 1.0 (June 2024) opens it, including
# the duckdb-cli 1.4/1.5 wheels and what duckdb-engine loads. Newer formats add nothing we use.
STORAGE_VERSION = "v1.0.0"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


class UnusablePath(ValueError):
    """A path that cannot be used, or whose use would destroy something."""


def is_duckdb_file(path: Path) -> bool:
    """A DuckDB database file: its header carries the magic bytes `DUCK` at offset 8."""
    try:
        with open(path, "rb") as handle:
            return handle.read(12)[8:12] == b"DUCK"
    except OSError:
        return False


def check_target(warehouse: Path, target: Path) -> None:
    """Publishing replaces `target`: refuse the warehouse itself, or any file but a DuckDB one."""
    if warehouse.resolve() == target.resolve():
        raise UnusablePath(
            f"TRACKSTAR_ANALYTICS_PATH is the warehouse itself ({warehouse}): publishing would "
            "replace the warehouse. Give the published copy a path of its own."
        )
    if target.exists() and not is_duckdb_file(target):
        raise UnusablePath(
            f"TRACKSTAR_ANALYTICS_PATH is {target}, which exists and is not a DuckDB database "
            "file: refusing to replace it"
        )


def _alive(pid: int) -> bool:
    """Whether process `pid` exists; one we may not signal (another user's) exists too."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # another user's, or no pid at all: leave it
        return True
    return True


def remove_dead_staging(target: Path) -> list[Path]:
    """Remove the staging files (`.<name>.<pid>.tmp` and DuckDB's `.wal`) of publishes of
    `target` killed before their rename: nothing else ever would. A live process's are kept."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.([0-9]+)\.tmp(\.wal)?")
    removed = []
    for path in sorted(target.parent.iterdir()):
        match = pattern.fullmatch(path.name)
        if match and not path.is_dir() and not _alive(int(match.group(1))):
            path.unlink(missing_ok=True)
            log.info("removed %s, left by publish process %s that is gone", path, match.group(1))
            removed.append(path)
    return removed


def publish(warehouse: Path, target: Path, schema: str = SCHEMA) -> Path:
    """Copy every table and view of `schema` into `target`, replacing it atomically."""
    if not warehouse.exists():
        raise FileNotFoundError(f"warehouse {warehouse} does not exist: run the pipeline first")
    check_target(warehouse, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_dead_staging(target)
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    for leftover in (staging, staging.with_name(staging.name + ".wal")):
        leftover.unlink(missing_ok=True)

    con = duckdb.connect()
    try:
        con.execute(f"attach '{warehouse}' as warehouse (read_only)")
        relations = con.execute(
            "select table_name, table_type from information_schema.tables "
            "where table_catalog = 'warehouse' and table_schema = ? order by table_name",
            [schema],
        ).fetchall()
        if not relations:
            raise RuntimeError(f"schema {schema!r} in {warehouse} is empty: run dbt build first")
        comments = dict(
            con.execute(
                "select table_name, comment from duckdb_tables() "
                "where database_name = 'warehouse' and schema_name = ? and comment is not null "
                "union all select view_name, comment from duckdb_views() "
                "where database_name = 'warehouse' and schema_name = ? and comment is not null",
                [schema, schema],
            ).fetchall()
        )
        con.execute(f"attach '{staging}' as published (storage_version '{STORAGE_VERSION}')")
        for name, _kind in relations:
            target_name = f"published.main.{_quote(name)}"
            con.execute(
                f"create table {target_name} as "
                f"select * from warehouse.{_quote(schema)}.{_quote(name)}"
            )
            if name in comments:
                literal = "'" + comments[name].replace("'", "''") + "'"
                con.execute(f"comment on table {target_name} is {literal}")
        con.execute(
            "create table published.main._published as select "
            "?::timestamptz as published_at, ? as source_file, ? as storage_version",
            [pendulum.now("UTC"), warehouse.name, STORAGE_VERSION],
        )
        con.execute("checkpoint published")
        con.execute("detach published")
        con.execute("detach warehouse")
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    finally:
        con.close()

    with open(staging, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(staging, target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    log.info("published %d relations of %s to %s", len(relations), schema, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines publish",
        description="Copy the analytics schema of the warehouse into the read-only file.",
    )
    parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    try:
        path = publish(settings.duckdb_path(), settings.analytics_path())
    except (FileNotFoundError, UnusablePath, RuntimeError, duckdb.Error) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"published {path}")
    return 0
