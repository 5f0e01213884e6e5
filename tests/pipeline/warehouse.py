"""Reading a raw warehouse in tests: row sets to compare, duplicate checks, secret scans."""

from __future__ import annotations

from pathlib import Path

import duckdb

SCHEMA = "trackstar_raw"
# differ between any two runs by construction: when the run happened, not what it loaded
RUN_DEPENDENT = {
    "sync_log": None,
    "connections": {"observed_at", "last_used", "times_used"},
    "rejected_records": {"run_id", "observed_at"},
    # read once a day per organisation and type (one call a minute): the warehouse that asks
    # second at the same moment is refused, by design
    "integrations": None,
}


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)


def tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = ? "
            "and table_name not like '\\_dlt%' escape '\\' order by 1",
            [SCHEMA],
        ).fetchall()
    ]


def columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns where table_schema = ? "
            "and table_name = ? order by ordinal_position",
            [SCHEMA, table],
        ).fetchall()
    ]


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every data table as a sorted list of rows, without dlt's row ids and run-only columns."""
    con = connect(path)
    try:
        result: dict[str, list[tuple]] = {}
        for table in tables(con):
            if table in RUN_DEPENDENT and RUN_DEPENDENT[table] is None:
                continue
            skip = RUN_DEPENDENT.get(table) or set()
            cols = [c for c in columns(con, table) if not c.startswith("_dlt") and c not in skip]
            select = ", ".join(f'"{c}"::varchar' for c in cols)
            rows = con.execute(f'select {select} from {SCHEMA}."{table}"').fetchall()
            result[table] = sorted(rows, key=repr)
        return result
    finally:
        con.close()


def duplicate_keys(con: duckdb.DuckDBPyConnection, table: str, key: tuple[str, ...]) -> list[tuple]:
    cols = ", ".join(key)
    return con.execute(
        f"select {cols}, count(*) from {SCHEMA}.{table} group by {cols} having count(*) > 1"
    ).fetchall()


def find_text(path: Path, needles: list[str]) -> list[tuple[str, str, str]]:
    """(schema.table, column, needle) for every text or JSON column holding one of `needles`."""
    con = connect(path)
    try:
        text_columns: dict[tuple[str, str], list[str]] = {}
        for schema, table, column in con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type in ('VARCHAR', 'JSON') and table_schema not in "
            "('information_schema', 'pg_catalog')"
        ).fetchall():
            text_columns.setdefault((schema, table), []).append(column)
        hits = []
        for (schema, table), cols in text_columns.items():
            for column in cols:
                found = con.execute(
                    f'select distinct s.n from (select unnest(?) as n) s, "{schema}"."{table}" t '
                    f'where contains(t."{column}"::varchar, s.n)',
                    [needles],
                ).fetchall()
                hits += [(f"{schema}.{table}", column, n) for (n,) in found]
        return hits
    finally:
        con.close()
