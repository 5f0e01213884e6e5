"""`dbt build` of the project on one warehouse file, for tests and benchmarks.

The command line is the product's own (`pipelines.run.dbt_command`); the output is captured so a
failure shows dbt's last lines.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from pipelines import settings
from pipelines.run import dbt_command


def dbt_build(warehouse: Path, *extra: str) -> str:
    """Build on `warehouse`; fails with dbt's output unless the build is green. Returns stdout."""
    env = {
        **os.environ,
        "TRACKSTAR_DUCKDB_PATH": str(warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    proc = subprocess.run(
        dbt_command("build", *extra),
        cwd=settings.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    return proc.stdout
