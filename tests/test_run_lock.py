"""Two scheduled runs never overlap: the second exits at once with its own exit code."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines import settings
from pipelines.run import EXIT_CONFIG, EXIT_LOCKED, AlreadyRunning, run_lock


def test_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    with (
        run_lock(warehouse),
        pytest.raises(AlreadyRunning, match="another run is in progress"),
        run_lock(warehouse),
    ):
        pass
    with run_lock(warehouse):  # released: a later run gets it
        pass


def test_second_run_exits_with_locked_code_while_first_holds_the_lock(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    env = {
        **os.environ,
        "TRACKSTAR_DUCKDB_PATH": str(warehouse),
        "SOURCES__TRACKSTAR__API_KEY": "k" * 16,
        "SOURCES__TRACKSTAR__BASE_URL": "http://127.0.0.1:9",
    }
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from pipelines.run import run_lock\n"
            f"with run_lock(Path({str(warehouse)!r})):\n"
            "    print('locked', flush=True); time.sleep(30)",
        ],
        cwd=settings.ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        second = subprocess.run(
            [sys.executable, "-m", "pipelines", "run"],
            cwd=settings.ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == EXIT_LOCKED, second.stderr
        assert "another run is in progress" in second.stderr
        assert f"pid {holder.pid}" in second.stderr
        assert time.monotonic() - started < 30  # it did not wait for the first run
    finally:
        holder.kill()
        holder.wait()


def test_killed_run_leaves_no_stale_lock(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from pathlib import Path; from pipelines.run import run_lock\n"
            f"with run_lock(Path({str(warehouse)!r})):\n"
            "    print('locked', flush=True); time.sleep(30)",
        ],
        cwd=settings.ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    holder.kill()
    holder.wait()
    with run_lock(warehouse):
        pass


def test_run_without_api_key_explains_how_to_configure(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOURCES__TRACKSTAR__")}
    env["TRACKSTAR_DUCKDB_PATH"] = str(tmp_path / "w.duckdb")
    result = subprocess.run(
        [sys.executable, "-m", "pipelines", "run"],
        cwd=tmp_path,  # no .dlt/secrets.toml here
        env={**env, "PYTHONPATH": str(settings.ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == EXIT_CONFIG
    assert "SOURCES__TRACKSTAR__API_KEY" in result.stderr
    assert "make demo" in result.stderr
    assert not (tmp_path / "w.duckdb").exists()  # nothing was created or loaded
