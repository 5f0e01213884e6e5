"""Staging reads Trackstar's documented fields: every one of them, and nothing else.

Each documented field path (pipelines/trackstar/documented_fields.json) lands in a raw table and
column by dlt's naming (nested objects flatten into `parent__child`, lists become child tables
`<table>__<list>`, lists of scalars a `value` column, objects keyed by data are reshaped into
rows by the source, free-form objects stay one JSON column). Every staging view selects its raw
table's columns through one of the `select_*_source` macros; this test reads those column lists
and holds them to the documented ones, so a model cannot read a field Trackstar never sends (it
would be null on real data) or miss one it does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.trackstar import documented
from pipelines.trackstar.endpoints import BY_TABLE

ROOT = Path(__file__).resolve().parents[2]
STAGING = ROOT / "models" / "staging"
SELECT = re.compile(r"select_(record|root|child)_source\('([a-z_]+)',\s*\{(.*?)\}\s*\)", re.S)
COLUMN = re.compile(r"'([a-z0-9_]+)':\s*'[^']+'")

# added by select_record_source to every record table
RECORD = {"connection_id", "id", "created_date", "updated_date", "trackstar_created_date"}
RECORD |= {"trackstar_updated_date", "trackstar_tags", "additional_fields"}
# what the pipeline adds to what Trackstar sends
ADDED = {
    "wms_order_packs": {"connection_id", "order_id", "order_trackstar_updated_date", "observed_at"},
    "carrier_files": {"connection_id"},
}
# documented alternatives: a column another Trackstar page uses for the same field (read and
# coalesced with the spec's; `ship_to_address.name/zip_code/email` on the WMS order example
# pages, `shipping_method` and shipments' `carrier` on the cart order example page)
ALTERNATIVES = {
    "wms_orders": {"ship_to_address__name", "ship_to_address__zip_code", "ship_to_address__email"},
    "wms_orders__shipments": {
        "ship_to_address__name",
        "ship_to_address__zip_code",
        "ship_to_address__email",
    },
    "cart_orders": {
        "ship_to_address__name",
        "ship_to_address__zip_code",
        "ship_to_address__email",
        "shipping_method",
    },
    "cart_orders__shipments": {"carrier", "shipping_method"},
}


def landed_columns(table: str) -> dict[str, set[str]]:
    """raw table -> the columns the documented fields of `table` land in."""
    out: dict[str, set[str]] = {table: set()}
    keyed = {rule.source: rule for rule in BY_TABLE[table].reshape} if table in BY_TABLE else {}
    for path, kind in documented.fields(table).items():
        base = kind.split("|")[0]
        head = path.split(".")[0].split("[")[0]
        if head in keyed:  # reshaped by the source: one row per key
            rule = keyed[head]
            child = out.setdefault(f"{table}__{rule.target}", {rule.key_column})
            rest = path[len(head) :].lstrip(".*").lstrip(".")
            if rest:
                child.add(rest.replace(".", "__"))
            elif path.endswith(".*") and rule.value_column:
                child.add(rule.value_column)
            continue
        if head == "trackstar_tags":
            out[table].add("trackstar_tags")  # JSON, kept whole
            continue
        parts = path.split("[]")
        raw = table + "".join("__" + p.strip(".").replace(".", "__") for p in parts[:-1])
        column = parts[-1].strip(".").replace(".", "__")
        if base in ("object", "array"):
            continue
        out.setdefault(raw, set()).add(column or "value")
    return out


def staging_selects() -> dict[str, set[str]]:
    """raw table -> the columns staging selects from it (every model that reads it)."""
    selects: dict[str, set[str]] = {}
    for path in STAGING.glob("stg_trackstar__*.sql"):
        for kind, table, body in SELECT.findall(path.read_text()):
            columns = set(COLUMN.findall(body))
            if kind == "record":
                columns |= RECORD
            selects.setdefault(table, set()).update(columns)
    return selects


def documented_raw() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for table in documented.documented():
        # landed as one row of metadata with JSON lists, see below
        if table in ("connections", "integrations"):
            continue
        for raw, columns in landed_columns(table).items():
            out.setdefault(raw, set()).update(columns | ADDED.get(raw, set()))
    return out


@pytest.mark.parametrize("raw", sorted(documented_raw()))
def test_staging_reads_every_documented_field_and_no_other(raw):
    selects = staging_selects()
    expected = documented_raw()[raw]
    assert raw in selects, f"no staging view reads raw table {raw}"
    read = selects[raw] - {"_dlt_load_id", "_dlt_id"}
    unknown = read - expected - ALTERNATIVES.get(raw, set())
    # a record table's view also reads the metadata every record may carry
    if raw in BY_TABLE and BY_TABLE[raw].primary_key[-1] == "id":
        unknown -= RECORD
    assert not unknown, f"{raw}: staging reads undocumented columns {sorted(unknown)}"
    unread = expected - read
    assert not unread, f"{raw}: documented columns staging does not read {sorted(unread)}"


def test_connections_staging_reads_the_documented_connection_fields():
    read = staging_selects()["connections"]
    fields = {p for p in documented.fields("connections") if "." not in p and "[]" not in p}
    fields -= {"access_token"}  # a secret: never landed
    assert fields <= read, sorted(fields - read)


def test_integrations_staging_reads_the_documented_integration_fields():
    read = staging_selects()["integrations"]
    fields = {p for p in documented.fields("integrations") if "." not in p and "[]" not in p}
    assert fields <= read, sorted(fields - read)
