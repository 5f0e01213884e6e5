"""Runs one extract in a child process, optionally SIGKILLing itself in the middle of the load.

    python tests/pipeline/extract_child.py BASE_URL API_KEY DUCKDB_PATH [KILL_AFTER_TABLE]

Used by the resumability tests: the kill must be a real SIGKILL (no cleanup, no finally). With
KILL_AFTER_TABLE the child dies right after the load job of that table committed its rows and
before dlt marked the job done: the narrowest window, where a rerun must not load it twice.
Killing during extraction is done from outside, by the test's server, on a chosen request.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def kill_after_load_job_of(table: str) -> None:
    """SIGKILL this process when a load job (a file copied into DuckDB) of `table` finishes."""
    from dlt.destinations.impl.duckdb.duck import DuckDbCopyJob
    from dlt.destinations.insert_job_client import InsertValuesLoadJob

    for job_class in (InsertValuesLoadJob, DuckDbCopyJob):  # whichever file format is in use
        original = job_class.run

        def run(self, original=original) -> None:
            original(self)
            if self.load_table_name == table:
                os.kill(os.getpid(), signal.SIGKILL)

        job_class.run = run


def main() -> None:
    from pipelines.extract import extract  # first: it installs its own DuckDB load job

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pipelines").setLevel(logging.INFO)  # what the run removed or loaded first
    base_url, api_key, path = sys.argv[1:4]
    if len(sys.argv) > 4:
        kill_after_load_job_of(sys.argv[4])

    report = extract(base_url=base_url, api_key=api_key, duckdb_path=Path(path), progress=False)
    print(f"rows={report.total_rows} failed={report.failed}")


if __name__ == "__main__":
    main()
