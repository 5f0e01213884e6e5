"""A run SIGKILLed in the middle and started again ends with the warehouse of an uninterrupted run.

dlt commits the cursors with the load package that holds the rows they cover; a package that
was extracted but not (fully) loaded is loaded first by the next run. These tests kill a real
child process running the extract against the simulator: once during extraction (the simulator
kills it on its 20th data request) and in the middle of the load: the child kills itself right
after the load job of one table committed, before dlt marked it done, once for a merge table, an
insert-only history table and the append-only sync log.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import warehouse

from pipelines import settings
from pipelines.extract import dead_runs_files, make_pipeline, working_dir_claim

CHILD = Path(__file__).with_name("extract_child.py")
ROOT = Path(__file__).resolve().parents[2]
SMALL = {"wms_orders": 120, "cart_orders_per_connection": 20, "items_per_wms": 6, "history_days": 7}


def child(running, path: Path, kill_after_table: str | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            str(CHILD),
            running.base_url,
            running.api_key,
            str(path),
            *([kill_after_table] if kill_after_table else []),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen) -> tuple[int, str]:
    out, err = proc.communicate(timeout=180)
    return proc.returncode, out + err


@pytest.fixture(scope="module")
def running():
    from pipelines.simulator import Simulator, SimulatorServer

    sim = Simulator(seed=11, **SMALL)
    with SimulatorServer(sim, port=0) as server:

        class Running:
            base_url, api_key = server.base_url, sim.api_key

        Running.sim = sim
        yield Running


@pytest.fixture(scope="module")
def reference(running, tmp_path_factory) -> Path:
    """The warehouse of one uninterrupted run (the simulated clock does not move here)."""
    path = tmp_path_factory.mktemp("reference") / "reference.duckdb"
    code, output = finish(child(running, path))
    assert code == 0, output
    return path


@pytest.mark.parametrize(
    "when",
    [
        "during-extract",
        "during-load-wms_orders",
        "during-load-cart_order_status_history",
        "during-load-sync_log",
    ],
)
def test_killed_run_then_rerun_equals_uninterrupted_run(running, reference, tmp_path, when):
    killed = tmp_path / "killed.duckdb"
    faults = running.sim.faults
    original = faults.before_data_request
    if when == "during-extract":
        seen = {"requests": 0}

        def kill_on_20th_request() -> None:
            seen["requests"] += 1
            if seen["requests"] == 20:
                os.kill(proc.pid, signal.SIGKILL)
            original()

        faults.before_data_request = kill_on_20th_request
        proc = child(running, killed)
    else:
        proc = child(running, killed, kill_after_table=when.removeprefix("during-load-"))
    try:
        code, output = finish(proc)
    finally:
        faults.before_data_request = original
    assert code == -signal.SIGKILL, output

    code, output = finish(child(running, killed))
    assert code == 0, output
    if when != "during-extract":  # the package waiting to load was loaded, not removed
        assert "loading packages left by an interrupted run first" in output, output
    assert warehouse.snapshot(killed) == warehouse.snapshot(reference)
    con = warehouse.connect(killed)
    try:
        assert warehouse.duplicate_keys(con, "wms_orders", ("connection_id", "id")) == []
        statuses = con.execute("select distinct status from trackstar_raw.sync_log").fetchall()
        # one sync-log row per run, connection and resource: none loaded twice
        assert (
            warehouse.duplicate_keys(con, "sync_log", ("run_id", "connection_id", "resource")) == []
        )
    finally:
        con.close()
    assert ("failed",) not in statuses


def test_next_run_removes_the_extract_folder_of_a_killed_run_never_a_live_ones(
    running, reference, tmp_path
):
    """dlt extracts into normalize/<random id>/ and moves the package to normalize/extracted/
    when done: a run killed while extracting leaves that folder, which no dlt run removes."""
    path = tmp_path / "killed.duckdb"
    working = settings.pipelines_dir(path) / settings.PIPELINE_NAME
    faults = running.sim.faults
    original = faults.before_data_request
    stalled, release = threading.Event(), threading.Event()
    seen = {"requests": 0}

    def stall_on_20th_request() -> None:
        seen["requests"] += 1
        if seen["requests"] == 20:
            stalled.set()
            release.wait(timeout=120)
        original()

    faults.before_data_request = stall_on_20th_request
    proc = child(running, path)
    try:
        assert stalled.wait(timeout=120)
        live = dead_runs_files(working)
        assert len(live) == 1  # the live run's extract folder
        with working_dir_claim(make_pipeline(path)):  # another run starting meanwhile
            assert dead_runs_files(working) == live
        os.kill(proc.pid, signal.SIGKILL)
        code, output = finish(proc)
    finally:
        release.set()
        faults.before_data_request = original
    assert code == -signal.SIGKILL, output
    assert dead_runs_files(working) == live

    code, output = finish(child(running, path))
    assert code == 0, output
    assert dead_runs_files(working) == []
    assert f"removed {live[0]}, left by a run that was killed while extracting" in output
    assert warehouse.snapshot(path) == warehouse.snapshot(reference)
