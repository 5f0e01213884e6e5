"""Runs one extract in a child process, optionally SIGKILLing itself in the middle of the load.

    python tests/pipeline/extract_child.py BASE_URL API_KEY DUCKDB_PATH [KILL_AT_LOAD_JOB]

Used by the resumability tests: the kill must be a real SIGKILL (no cleanup, no finally).
Killing during extraction is done from outside, by the test's server, on a chosen request.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def kill_at_load_job(n: int) -> None:
    """SIGKILL this process when the n-th load job (a file copied into DuckDB) finishes."""
    from dlt.destinations.impl.duckdb.duck import DuckDbCopyJob
    from dlt.destinations.insert_job_client import InsertValuesLoadJob

    lock, count = threading.Lock(), [0]
    for job_class in (InsertValuesLoadJob, DuckDbCopyJob):  # whichever file format is in use
        original = job_class.run

        def run(self, original=original) -> None:
            original(self)
            with lock:
                count[0] += 1
                if count[0] >= n:
                    os.kill(os.getpid(), signal.SIGKILL)

        job_class.run = run


def main() -> None:
    from pipelines.extract import extract  # first: it installs its own DuckDB load job

    base_url, api_key, path = sys.argv[1:4]
    if len(sys.argv) > 4 and int(sys.argv[4]):
        kill_at_load_job(int(sys.argv[4]))

    report = extract(base_url=base_url, api_key=api_key, duckdb_path=Path(path), progress=False)
    print(f"rows={report.total_rows} failed={report.failed}")


if __name__ == "__main__":
    main()
