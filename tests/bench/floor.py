"""The floor: what this machine can do with the same pages, with no per-record Python at all.

Every page of `/wms/orders` is fetched with one keep-alive httpx client and written to its own
file as it came (one file per page: DuckDB reads many small files far faster than one file of
huge lines); then DuckDB reads them all (`read_json`) and SQL `unnest` builds the same tables a
dlt load has: nested objects flattened into `parent__child` columns, each list a child table
(`wms_orders__shipments__packages`) linked to its parent row. Not exact (read_json's inferred
types, doubles for money) and no merge, state or schema contract: a floor, not a pipeline.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import httpx

DATASET = "trackstar_raw"
EARLIEST = "2000-01-01T00:00:00Z"


def _next_token(body: bytes) -> str | None:
    """The page's `next_token`, read without parsing the records (the floor parses none)."""
    at = body.rindex(b'"next_token"') + len(b'"next_token"')
    rest = body[at : at + 4096].decode().lstrip().removeprefix(":").lstrip()
    return json.JSONDecoder().raw_decode(rest)[0]


def fetch(base_url: str, api_key: str, access_token: str, pages: Path) -> int:
    """Every page of `/wms/orders` into `pages/NNNNNN.json`; returns the number of pages."""
    pages.mkdir(parents=True, exist_ok=True)
    headers = {"x-trackstar-api-key": api_key, "x-trackstar-access-token": access_token}
    params: dict[str, str | int] = {"limit": 1000, "trackstar_updated_date[gte]": EARLIEST}
    count = 0
    with httpx.Client(base_url=base_url, headers=headers, timeout=120) as client:
        while True:
            response = client.get("/wms/orders", params=params)
            response.raise_for_status()
            (pages / f"{count:06d}.json").write_bytes(response.content)
            count += 1
            token = _next_token(response.content)
            if not token:
                return count
            params["page_token"] = token


def _flatten(
    expr: str, typ: duckdb.typing.DuckDBPyType, prefix: str = ""
) -> tuple[list[str], list[tuple[str, str, duckdb.typing.DuckDBPyType]]]:
    """A struct's leaves as `expr."a"."b" as "a__b"` columns, and its lists (expr, name, type)."""
    columns, lists = [], []
    for name, child in typ.children:
        path, column = f'{expr}."{name}"', f"{prefix}{name}"
        if child.id == "struct" and child.children:
            more_columns, more_lists = _flatten(path, child, f"{column}__")
            columns += more_columns
            lists += more_lists
        elif child.id == "list":
            lists.append((path, column, child.child))
        else:
            columns.append(f'{path} as "{column}"')
    return columns, lists


def _table(
    con: duckdb.DuckDBPyConnection, table: str, source: str, typ: duckdb.typing.DuckDBPyType
) -> None:
    """`source` (`_rid`, `_parent_rid`, `r`) into `table`, then each of r's lists recursively."""
    if typ.id != "struct":  # a list of scalars: a child table of values, as dlt makes it
        con.execute(
            f'create table {DATASET}."{table}" as select _rid, _parent_rid, r as value from {source}'
        )
        return
    columns, lists = _flatten("r", typ)
    con.execute(
        f'create table {DATASET}."{table}" as select _rid, _parent_rid, {", ".join(columns)} '
        f"from {source}"
    )
    for n, (path, column, child) in enumerate(lists):
        rows = f"{source}_{n}"
        con.execute(
            f"create temp table {rows} as select row_number() over () as _rid, _parent_rid, r "
            f"from (select _rid as _parent_rid, unnest({path}) as r from {source})"
        )
        _table(con, f"{table}__{column}", rows, child)
        con.execute(f"drop table {rows}")


def load(pages: Path, warehouse: Path, table: str = "wms_orders") -> None:
    """All pages into `warehouse`: the root table and its child tables, in SQL."""
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(f"create schema if not exists {DATASET}")
        con.execute(
            "create temp table _root as select row_number() over () as _rid, "
            "null::bigint as _parent_rid, r from (select unnest(data) as r from "
            f"read_json('{pages}/*.json', maximum_object_size = 1000000000))"
        )
        typ = con.sql("select r from _root limit 0").types[0]
        _table(con, table, "_root", typ)
    finally:
        con.close()


def run(base_url: str, api_key: str, access_token: str, warehouse: Path) -> None:
    """Fetch every page, then flatten them into `warehouse` (schema `trackstar_raw`)."""
    pages = warehouse.parent / "pages"
    fetch(base_url, api_key, access_token, pages)
    load(pages, warehouse)
