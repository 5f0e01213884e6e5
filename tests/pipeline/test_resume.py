"""A run SIGKILLed in the middle and started again ends with the warehouse of an uninterrupted run.

dlt commits the cursors with the load package that holds the rows they cover; a package that
was extracted but not (fully) loaded is loaded first by the next run. These tests kill a real
child process: once during extraction (from the server, on a chosen request) and once in the
middle of the load (the child kills itself after its third load job).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import warehouse
from trackstar_fakes import API_KEY, FakeTrackstar, Reply, Seen

CHILD = Path(__file__).with_name("extract_child.py")
ROOT = Path(__file__).resolve().parents[2]


def order(n: int) -> dict:
    stamp = f"2026-02-{1 + n % 28:02d}T{n % 24:02d}:00:00Z"
    return {
        "id": f"o{n}", "status": "open", "raw_status": "new", "total_price": n / 4,
        "updated_date": stamp, "trackstar_updated_date": stamp,
        "line_items": [{"sku": f"S{n % 7}", "quantity": 1 + n % 3}],
        "shipments": [{"shipment_id": f"s{n}", "packages": [{"tracking_number": f"1Z{n}"}]}],
    }


@pytest.fixture(scope="module")
def fake():
    with FakeTrackstar(page_size=25) as fake:
        for c in range(3):
            token = f"token-{c}-aaaaaaaa"
            fake.add_connection(f"conn_{c}", token, "wms", available_actions=["get_orders"])
            fake.records[(token, "/wms/orders")] = [order(c * 1000 + n) for n in range(300)]
        yield fake


def child(fake: FakeTrackstar, path: Path, kill_at_load_job: int = 0) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(CHILD), fake.base_url, API_KEY, str(path), str(kill_at_load_job)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(proc: subprocess.Popen) -> tuple[int, str]:
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out + err


@pytest.fixture(scope="module")
def reference(fake, tmp_path_factory) -> Path:
    """The warehouse of one uninterrupted run."""
    path = tmp_path_factory.mktemp("reference") / "reference.duckdb"
    code, output = finish(child(fake, path))
    assert code == 0, output
    return path


@pytest.mark.parametrize("when", ["during-extract", "during-load"])
def test_killed_run_then_rerun_equals_uninterrupted_run(fake, reference, tmp_path, when):
    killed = tmp_path / "killed.duckdb"
    if when == "during-extract":
        state = {"pid": None, "done": False}

        def kill_on_page(seen: Seen) -> Reply | None:
            if not state["done"] and seen.params.get("page_token") == "200":
                state["done"] = True
                os.kill(state["pid"], signal.SIGKILL)
            return None

        fake.fault = kill_on_page
        proc = child(fake, killed)
        state["pid"] = proc.pid
    else:
        proc = child(fake, killed, kill_at_load_job=3)
    try:
        code, output = finish(proc)
    finally:
        fake.fault = lambda seen: None
    assert code == -signal.SIGKILL, output

    code, output = finish(child(fake, killed))
    assert code == 0, output
    assert warehouse.snapshot(killed) == warehouse.snapshot(reference)
    assert warehouse.duplicate_keys(killed, "wms_orders", ("connection_id", "id")) == []
    con = warehouse.connect(killed)
    assert con.execute("select count(*) from trackstar_raw.wms_orders").fetchone() == (900,)
    con.close()
