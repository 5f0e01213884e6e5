"""The published file: atomic, complete, and readable by the readers our users have."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest
import sqlalchemy

from pipelines import settings
from pipelines.publish import STORAGE_VERSION, UnusablePath, publish

BIN = Path(sys.executable).parent
# a publish SIGKILLed right before its rename: its staging file stays behind, as after a crash
KILLED_BEFORE_RENAME = """
import os, signal, sys
from pathlib import Path
from pipelines.publish import publish
os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
publish(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def build_analytics(warehouse: Path, generation: int, rows: int = 2000) -> None:
    """A stand-in for `dbt build`: two marts whose contents depend on the generation."""
    con = duckdb.connect(str(warehouse))
    con.execute("create schema if not exists analytics")
    con.execute(
        "create or replace table analytics.fct_a as "
        f"select i as id, {generation} as generation, (i * 0.01)::decimal(18, 2) as cost "
        f"from range({rows}) t(i)"
    )
    con.execute(
        "create or replace table analytics.fct_b as "
        f"select {generation} as generation, {rows} as expected_rows"
    )
    con.execute("comment on table analytics.fct_a is 'one row per id'")
    con.close()


def test_publish_copies_every_relation_with_old_storage_version(tmp_path: Path) -> None:
    warehouse, target = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    build_analytics(warehouse, generation=1)

    publish(warehouse, target)

    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("select count(*), sum(cost) from fct_a").fetchone() == (
        2000,
        pytest.approx(19990.0),
    )
    assert con.execute(
        "select comment from duckdb_tables() where table_name = 'fct_a'"
    ).fetchone() == ("one row per id",)
    tags = con.execute("select tags from duckdb_databases() where database_name = 'a'").fetchone()
    assert tags[0]["storage_version"].startswith(STORAGE_VERSION)
    con.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_published_file_opens_in_duckdb_cli_read_only(tmp_path: Path) -> None:
    warehouse, target = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    build_analytics(warehouse, generation=3)
    publish(warehouse, target)

    out = subprocess.run(
        [
            str(BIN / "duckdb"),
            "-readonly",
            "-csv",
            str(target),
            "-c",
            "select count(*) as n, max(generation) as g from fct_a",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split() == ["n,g", "2000,3"]


def test_published_file_opens_through_sqlalchemy_duckdb_engine(tmp_path: Path) -> None:
    warehouse, target = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    build_analytics(warehouse, generation=4)
    publish(warehouse, target)

    # the URI the README gives for Superset and other SQLAlchemy tools
    engine = sqlalchemy.create_engine(f"duckdb:///{target}?access_mode=read_only")
    with engine.connect() as conn:
        tables = sqlalchemy.inspect(conn).get_table_names()
        total = conn.execute(sqlalchemy.text("select count(*) from fct_a")).scalar()
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only"):
            conn.execute(sqlalchemy.text("create table x (a int)"))
    engine.dispose()
    assert {"fct_a", "fct_b"} <= set(tables)
    assert total == 2000


def test_readers_never_see_a_partial_build(tmp_path: Path) -> None:
    """A reader hammers the published file while it is rebuilt and republished many times."""
    warehouse, target = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    build_analytics(warehouse, generation=0)
    publish(warehouse, target)
    errors: list[BaseException] = []
    seen: set[int] = set()
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                con = duckdb.connect(str(target), read_only=True)
                a = con.execute(
                    "select count(*), min(generation), max(generation) from fct_a"
                ).fetchone()
                b = con.execute("select generation, expected_rows from fct_b").fetchone()
                con.close()
                assert a == (b[1], b[0], b[0]), f"inconsistent snapshot {a} vs {b}"
                seen.add(b[0])
            except BaseException as exc:  # the test fails on any reader error
                errors.append(exc)
                return

    thread = threading.Thread(target=reader)
    thread.start()
    for generation in range(1, 8):
        build_analytics(warehouse, generation=generation, rows=2000 + generation)
        publish(warehouse, target)
    stop.set()
    thread.join()
    assert errors == []
    assert len(seen) >= 2  # the reader really read across several publications


def test_publish_refuses_an_unbuilt_warehouse_and_keeps_the_last_good_file(tmp_path: Path) -> None:
    warehouse, target = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    build_analytics(warehouse, generation=5)
    publish(warehouse, target)
    con = duckdb.connect(str(warehouse))
    con.execute("drop schema analytics cascade")
    con.close()

    with pytest.raises(RuntimeError, match="empty: run dbt build first"):
        publish(warehouse, target)
    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("select generation from fct_b").fetchone() == (5,)
    con.close()


def test_publish_never_replaces_the_warehouse_or_a_file_that_is_not_duckdb(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    build_analytics(warehouse, generation=1)
    with pytest.raises(UnusablePath, match="is the warehouse itself"):
        publish(warehouse, tmp_path / "." / "w.duckdb")
    notes = tmp_path / "notes.txt"
    notes.write_text("keep me\n")
    with pytest.raises(UnusablePath, match="not a DuckDB database file"):
        publish(warehouse, notes)
    assert notes.read_text() == "keep me\n"
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select count(*) from analytics.fct_a").fetchone() == (2000,)
    con.close()


def test_next_publish_removes_what_killed_publishes_left_and_keeps_a_live_ones(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    warehouse, target = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    build_analytics(warehouse, generation=1)
    killed = subprocess.Popen(
        [sys.executable, "-c", KILLED_BEFORE_RENAME, str(warehouse), str(target)],
        cwd=settings.ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, err = killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL, err
    dead = tmp_path / f".a.duckdb.{killed.pid}.tmp"
    assert dead.exists() and not target.exists()
    dead_wal = tmp_path / f"{dead.name}.wal"  # what a kill in the middle of the copy leaves too
    dead_wal.write_bytes(b"wal")
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        kept = [
            tmp_path / f".a.duckdb.{live.pid}.tmp",  # a publish still running
            tmp_path / f".a.duckdb.{live.pid}.tmp.wal",
            tmp_path / f".other.duckdb.{killed.pid}.tmp",  # another target's
            tmp_path / f".a.duckdb.{killed.pid}.tmp.bak",  # not the staging pattern
            tmp_path / f"a.duckdb.{killed.pid}.tmp",
        ]
        for path in kept:
            path.write_bytes(b"keep")

        with caplog.at_level(logging.INFO, logger="pipelines.publish"):
            publish(warehouse, target)
    finally:
        live.kill()
        live.wait()

    assert not dead.exists() and not dead_wal.exists()
    assert all(path.read_bytes() == b"keep" for path in kept)
    assert f"removed {dead}, left by publish process {killed.pid} that is gone" in caplog.text
    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("select generation from fct_b").fetchone() == (1,)
    con.close()
