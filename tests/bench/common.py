"""What the benchmarks share: a simulator in its own process, children measured one by one,
row counts, and the machine and versions a result was measured on."""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb
import httpx

ROOT = Path(__file__).resolve().parents[2]


def _serve(
    options: dict[str, Any],
    rate_limit: bool,
    ready: multiprocessing.Queue,
    stop: multiprocessing.Event,
) -> None:
    from pipelines.simulator import Simulator, SimulatorServer

    started = time.monotonic()
    sim = Simulator(**options)
    with SimulatorServer(sim, rate_limit=rate_limit) as server:
        ready.put((server.base_url, sim.api_key, sim.connections, time.monotonic() - started))
        stop.wait()


@dataclass
class SimulatorProcess:
    """A simulator served from a child process: its own interpreter, so rendering pages does
    not compete with the measured code for one GIL (the two still share the machine's cores).

    with SimulatorProcess(seed=7, wms_orders=35_000, customers=1, rate_limit=False) as sim:
        sim.base_url, sim.api_key, sim.connections, sim.requests()
    """

    def __init__(self, rate_limit: bool = True, **options: Any) -> None:
        self.options, self.rate_limit = options, rate_limit
        self.ready: multiprocessing.Queue = multiprocessing.Queue()
        self.stop = multiprocessing.Event()
        self.process = multiprocessing.Process(
            target=_serve, args=(options, rate_limit, self.ready, self.stop), daemon=True
        )

    def __enter__(self) -> SimulatorProcess:
        self.process.start()
        self.base_url, self.api_key, self.connections, self.build_seconds = self.ready.get(
            timeout=3600
        )
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop.set()
        self.process.join(timeout=30)

    def token(self, integration_type: str = "wms") -> str:
        """The access token of the first connection of a type."""
        return next(
            c["access_token"] for c in self.connections if c["integration_type"] == integration_type
        )

    def set_faults(self, **faults: Any) -> None:
        """Switch simulator faults on (`PUT /_sim/faults`), e.g. latency_ms=300."""
        response = httpx.put(
            f"{self.base_url}/_sim/faults",
            headers={"x-trackstar-api-key": self.api_key},
            json=faults,
        )
        response.raise_for_status()

    def requests(self) -> dict[str, dict[str, Any]]:
        """Per connection id: what the simulator served it (`GET /_sim/requests`)."""
        response = httpx.get(
            f"{self.base_url}/_sim/requests", headers={"x-trackstar-api-key": self.api_key}
        )
        response.raise_for_status()
        return response.json()["connections"]


def run_child(script: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `script` in its own interpreter; returns the JSON it prints last, plus its peak RSS
    (`peak_rss_mb`: that process's own maximum resident set, from wait4's rusage)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, str(script), *args],
            stdout=out,
            stderr=err,
            env={**os.environ, **(env or {})},
            cwd=ROOT,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(
            f"{script.name} {args[:1]} failed ({proc.returncode}):\n{stderr[-4000:]}"
        )
    result = json.loads(stdout.strip().splitlines()[-1])
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)  # KiB on Linux
    return result


def table_rows(warehouse: Path, root: str, schema: str = "trackstar_raw") -> dict[str, int]:
    """Rows of `root` and of its child tables (`root__...`) in `warehouse`."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = [
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = ? "
                "and (table_name = ? or starts_with(table_name, ? || '__')) order by 1",
                [schema, root, root],
            ).fetchall()
        ]
        return {
            name: con.execute(f'select count(*) from {schema}."{name}"').fetchone()[0]
            for name in names
        }
    finally:
        con.close()


def machine() -> dict[str, Any]:
    """The machine and the versions a result was measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    ram = int(Path("/proc/meminfo").read_text().split()[1]) / 1024**2  # MemTotal, KiB
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(ram, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        **{name: metadata.version(name) for name in ("dlt", "duckdb", "dbt-core", "dbt-duckdb")},
    }
