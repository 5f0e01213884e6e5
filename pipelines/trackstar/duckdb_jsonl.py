"""Load dlt's jsonl files into DuckDB with the table's own column types, exactly once.

Types: dlt's DuckDB copy job reads jsonl with `read_json` auto-detection, which infers a STRUCT
for every JSON object and unifies keys across rows: `additional_fields` would gain null keys from
other records (dlt itself notes that jsonl "does not work in practice on duckdb"). Giving
`read_json` the destination types of the table instead makes the load exact (JSON stays the JSON
that was sent, decimals are cast from their text, timestamps parsed as timestamptz) and keeps
jsonl's speed: ~7x faster than INSERT VALUES, which dominates a large load otherwise.

Exactly once: dlt marks a job done only after it ran, so a process killed between the INSERT's
commit and that mark runs the job again on resume, and the rows land twice (in an append table,
or in a merge staging table, which `insert-only` merges do not deduplicate). The INSERT and a row
in `_dlt_trackstar_load_jobs` commit in one transaction, and a job already in that ledger is skipped.
The parquet files of the pages that land as Arrow tables (arrow_rows.py) go through the same ledger.
"""

from __future__ import annotations

import threading
from typing import Any

from dlt.common.storages.load_storage import ParsedLoadJobFileName
from dlt.destinations.impl.duckdb.duck import DuckDbCopyJob

LEDGER = "_dlt_trackstar_load_jobs"  # with dlt's own bookkeeping tables
_original_run = DuckDbCopyJob.run
_ledger_lock = threading.Lock()  # load jobs run in threads; DDL must not race
_ledgers_ready: set[tuple[str, str]] = set()  # (ledger, load id) prepared in this process


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _typed_run(self: DuckDbCopyJob) -> None:
    file_format = ParsedLoadJobFileName.parse(self._file_path).file_format
    if file_format not in ("jsonl", "typed-jsonl", "parquet"):
        return _original_run(self)
    client = self._job_client
    sql_client = self._sql_client = client.sql_client
    table = self._load_table
    columns = {
        name: client.type_mapper.to_destination_type(column, table)
        for name, column in table["columns"].items()
        if column.get("data_type")
    }
    struct = (
        "{"
        + ", ".join(f"{_sql_string(name)}: {_sql_string(kind)}" for name, kind in columns.items())
        + "}"
    )
    target = sql_client.make_qualified_table_name(self.load_table_name)
    # the ledger lives in the dataset this job writes to (the final one or its staging twin)
    ledger = sql_client.make_qualified_table_name(LEDGER)
    job = [self._load_id, self._file_name]
    with _ledger_lock:
        if (ledger, self._load_id) not in _ledgers_ready:
            sql_client.execute_sql(
                f"CREATE TABLE IF NOT EXISTS {ledger} (load_id VARCHAR, file_name VARCHAR, "
                "loaded_at TIMESTAMPTZ DEFAULT now(), PRIMARY KEY (load_id, file_name))"
            )
            # packages load one after another: older ones are done, their jobs need no memory
            sql_client.execute_sql(f"DELETE FROM {ledger} WHERE load_id < %s", self._load_id)
            _ledgers_ready.add((ledger, self._load_id))
    with sql_client.begin_transaction():
        if sql_client.execute_sql(
            f"SELECT 1 FROM {ledger} WHERE load_id = %s AND file_name = %s", *job
        ):
            return None  # loaded by a run that was killed before dlt marked the job done
        if file_format == "parquet":
            sql_client.execute_sql(
                f"INSERT INTO {target} BY NAME SELECT * FROM read_parquet("
                f"{_sql_string(self._file_path)})"
            )
        else:
            sql_client.execute_sql(
                f"INSERT INTO {target} BY NAME SELECT * FROM read_json("
                f"{_sql_string(self._file_path)}, format = 'newline_delimited', columns = {struct})"
            )
        sql_client.execute_sql(f"INSERT INTO {ledger} (load_id, file_name) VALUES (%s, %s)", *job)
    return None


def _nested_metrics(aggregate: Any) -> Any:
    """dlt 1.31 sums extract metrics per resource by looking up each table's `resource`, which
    nested tables (the Arrow child tables arrow_rows.py yields) never have: a KeyError at the
    end of every extract. A nested table counts for its root table's resource."""

    def patched(metrics: Any, key: Any) -> Any:
        def safe(name: str) -> Any:
            try:
                return key(name)
            except KeyError:
                return key(name.split("__", 1)[0])

        return aggregate(metrics, safe)

    patched.patched = True
    return patched


def install() -> None:
    """Use the typed loader for every DuckDB jsonl and parquet load job in this process, and
    let dlt's extract count nested tables (idempotent)."""
    DuckDbCopyJob.run = _typed_run
    from dlt.extract import extract as dlt_extract

    if not getattr(dlt_extract.aggregate_job_metrics, "patched", False):
        dlt_extract.aggregate_job_metrics = _nested_metrics(dlt_extract.aggregate_job_metrics)
