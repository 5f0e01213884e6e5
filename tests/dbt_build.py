"""`dbt build` of the project on one warehouse file, for tests and benchmarks.

The command line is the scheduled run's own (`pipelines.run.dbt_build_command`), so the tests see
what `make run` does; `unit_tests=True` adds the dbt unit tests, which the scheduled run skips.
The output is captured so a failure shows dbt's last lines.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from pipelines import settings
from pipelines.run import dbt_build_command, dbt_env


def run_dbt_build(
    warehouse: Path, *extra: str, unit_tests: bool = False
) -> subprocess.CompletedProcess:
    """Build on `warehouse` and return the finished process, green or not."""
    env = {**dbt_env(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        dbt_build_command(*extra, unit_tests=unit_tests),
        cwd=settings.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def dbt_build(warehouse: Path, *extra: str, unit_tests: bool = False) -> str:
    """Build on `warehouse`; fails with dbt's output unless the build is green. Returns stdout."""
    proc = run_dbt_build(warehouse, *extra, unit_tests=unit_tests)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    return proc.stdout
