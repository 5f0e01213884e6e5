"""Trackstar's documented record shapes: `documented_fields.json`, derived from the OpenAPI spec.

The JSON lists, per raw table, every documented field path and its type
(`tests/simulator/derive_documented_fields.py` says how it was derived and from which pages).
The simulator is held to it (`tests/simulator/test_documented_fields.py`): it serves every
documented path and invents none. `paths_of` and `type_matches` are the two halves of that check.

Paths: `shipments[].packages[].tracking_number`; `[]` is a list's item, `*` a key of an object
keyed by data (`inventory_by_warehouse_id.*.onhand`). Types: `string`, `date-time`, `number`,
`integer`, `boolean`, `object`, `array`, `free-form` (nothing below is checked), `|null`.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FILE = Path(__file__).with_name("documented_fields.json")
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


@functools.cache
def documented() -> dict[str, dict[str, Any]]:
    """table -> {"path", "source", "fields": {path: type}, "required": [path]}."""
    return json.loads(FILE.read_text())


def fields(table: str) -> dict[str, str]:
    return documented()[table]["fields"]


def required(table: str) -> list[str]:
    return documented()[table]["required"]


def paths_of(value: Any, table: str, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(path, value) for every field of a record, down to free-form fields (not below them).

    A path the documentation does not have is still yielded (with its whole subtree), so a
    caller can report invented fields.
    """
    documented_fields = fields(table)
    if isinstance(value, dict):
        keyed = f"{prefix}.*" if prefix else "*"
        for key, child in value.items():
            path = keyed if keyed in documented_fields else (f"{prefix}.{key}" if prefix else key)
            yield path, child
            if documented_fields.get(path, "").split("|")[0] != "free-form":
                yield from paths_of(child, table, path)
    elif isinstance(value, list):
        for item in value:
            yield f"{prefix}[]", item
            if documented_fields.get(f"{prefix}[]", "").split("|")[0] != "free-form":
                yield from paths_of(item, table, f"{prefix}[]")


def type_matches(value: Any, documented_type: str) -> bool:
    """Whether a JSON value has the documented type (`number` takes integers too)."""
    kinds = documented_type.split("|")
    if value is None:
        return "null" in kinds or "free-form" in kinds
    for kind in kinds:
        if kind == "free-form":
            return True
        if kind == "string" and isinstance(value, str):
            return True
        if kind == "date-time" and isinstance(value, str) and DATE_TIME.match(value):
            return True
        if kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
            return True
        if kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
            return True
        if kind == "boolean" and isinstance(value, bool):
            return True
        if kind == "object" and isinstance(value, dict):
            return True
        if kind == "array" and isinstance(value, list):
            return True
    return False


def prune_to_required(record: dict[str, Any], table: str) -> dict[str, Any]:
    """The record with only the paths the documentation marks required (a minimal record)."""
    keep = set(required(table))

    def prune(value: Any, prefix: str) -> Any:
        if isinstance(value, dict):
            out = {}
            keyed = f"{prefix}.*" if prefix else "*"
            for key, child in value.items():
                path = keyed if keyed in fields(table) else (f"{prefix}.{key}" if prefix else key)
                if path in keep:
                    out[key] = prune(child, path)
            return out
        if isinstance(value, list):
            return [prune(item, f"{prefix}[]") for item in value]
        return value

    return prune(record, "")
