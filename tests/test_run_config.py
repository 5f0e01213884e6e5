"""Bad input to `python -m pipelines run`: exit 2 with one line naming what is wrong, nothing lost."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines import settings
from pipelines.run import EXIT_CONFIG


def run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """A run from `tmp_path` (its own .dlt/), against a closed port: it never gets that far."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("SOURCES__TRACKSTAR__")}
    base.update(
        PYTHONPATH=str(settings.ROOT),
        SOURCES__TRACKSTAR__API_KEY="k" * 16,
        SOURCES__TRACKSTAR__BASE_URL="http://127.0.0.1:9",
        TRACKSTAR_DUCKDB_PATH=str(tmp_path / "trackstar.duckdb"),
        TRACKSTAR_ANALYTICS_PATH=str(tmp_path / "analytics.duckdb"),
    )
    return subprocess.run(
        [sys.executable, "-m", "pipelines", "run", "--progress", "off"],
        cwd=tmp_path,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_config_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == EXIT_CONFIG, output
    assert "Traceback" not in output, output
    for needle in needles:
        assert needle in output, (needle, output)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_publishing_onto_the_warehouse_is_refused_and_the_warehouse_kept(tmp_path: Path) -> None:
    warehouse = tmp_path / "trackstar.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema trackstar_raw; create table trackstar_raw.kept as select 1 as x")
    con.close()
    before = digest(warehouse)
    result = run(tmp_path, TRACKSTAR_ANALYTICS_PATH=str(tmp_path / "." / "trackstar.duckdb"))
    assert_config_error(result, "TRACKSTAR_ANALYTICS_PATH is the warehouse itself")
    assert digest(warehouse) == before


def test_files_that_are_not_duckdb_databases_are_left_alone(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    for variable in ("TRACKSTAR_DUCKDB_PATH", "TRACKSTAR_ANALYTICS_PATH"):
        result = run(tmp_path, **{variable: str(notes)})
        assert_config_error(result, variable, "is not a DuckDB database file")
        assert notes.read_text() == "my notes\n"


def test_a_warehouse_path_that_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "a_file").write_text("")
    result = run(tmp_path, TRACKSTAR_DUCKDB_PATH=str(tmp_path / "a_file" / "trackstar.duckdb"))
    assert_config_error(result, "cannot write next to the warehouse")


def test_an_unreadable_settings_file_is_named(tmp_path: Path) -> None:
    (tmp_path / ".dlt").mkdir()
    (tmp_path / ".dlt" / "config.toml").write_text("[sources.trackstar]\nlag_seconds = = 5\n")
    result = run(tmp_path)
    assert_config_error(result, "cannot read the settings", "config.toml")
    assert not (tmp_path / "trackstar.duckdb").exists()


def test_a_base_url_that_is_not_http(tmp_path: Path) -> None:
    result = run(tmp_path, SOURCES__TRACKSTAR__BASE_URL="ftp://trackstar.example.com")
    assert_config_error(result, "sources.trackstar.base_url must be an http(s) URL")
