"""Load dlt's jsonl files into DuckDB with the table's own column types.

dlt's DuckDB copy job reads jsonl with `read_json` auto-detection, which infers a STRUCT for every
JSON object and unifies keys across rows: `additional_fields` would gain null keys from other
records (dlt itself notes that jsonl "does not work in practice on duckdb"). Giving `read_json`
the destination types of the table instead makes the load exact (JSON stays the JSON that was
sent, decimals are cast from their text, timestamps parsed as timestamptz) and keeps jsonl's
speed: ~7x faster than INSERT VALUES, which dominates a large load otherwise.
"""

from __future__ import annotations

from dlt.common.storages.load_storage import ParsedLoadJobFileName
from dlt.destinations.impl.duckdb.duck import DuckDbCopyJob

_original_run = DuckDbCopyJob.run


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _typed_run(self: DuckDbCopyJob) -> None:
    if ParsedLoadJobFileName.parse(self._file_path).file_format not in ("jsonl", "typed-jsonl"):
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
    sql_client.execute_sql(
        f"INSERT INTO {target} BY NAME SELECT * FROM read_json("
        f"{_sql_string(self._file_path)}, format = 'newline_delimited', columns = {struct})"
    )


def install() -> None:
    """Use the typed loader for every DuckDB jsonl load job in this process (idempotent)."""
    DuckDbCopyJob.run = _typed_run
