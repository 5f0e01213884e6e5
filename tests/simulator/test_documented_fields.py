"""The simulator serves exactly what Trackstar documents: every field path, no invented one.

The reference is `pipelines/trackstar/documented_fields.json`, derived from Trackstar's OpenAPI
specification and carrier pages (`derive_documented_fields.py`). Over the default organisation,
every documented path of every list endpoint (and of the per-order packs, of
`GET /connections` and of `GET /integrations/{integration_type}`) must be served by some record, every served path must be documented, every
value must have the documented type, and every record must carry the paths the docs require.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from sim_http import client, get_all

from pipelines.simulator.integrations import INTEGRATION_TYPES
from pipelines.trackstar import documented

PACKED_OR_LATER = ("packed", "partially_fulfilled", "fulfilled")
PACKS_PER_CONNECTION = 150  # orders whose packs are read (one request each)


def _served_records(running: Any) -> dict[str, list[dict[str, Any]]]:
    """table -> every record the organisation serves (packs: for a sample of orders)."""
    served: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with client(running) as c:
        served["connections"] = get_all(c, "/connections")
        for integration_type in INTEGRATION_TYPES:
            r = c.get(f"/integrations/{integration_type}")
            assert r.status_code == 200, r.text
            served["integrations"] += r.json()["data"]
    for conn in running.sim.connections:
        vertical = conn["integration_type"]
        with client(running, conn) as c:
            for table, spec in documented.documented().items():
                path = spec["path"]
                if path.split("/")[1] != vertical or table == "integrations":
                    continue
                if "{warehouse_id}" in path:
                    for warehouse in get_all(c, "/wms/warehouses"):
                        served[table] += get_all(c, path.replace("{warehouse_id}", warehouse["id"]))
                elif "{order_id}" in path:
                    orders = [
                        o for o in get_all(c, "/wms/orders") if o["status"] in PACKED_OR_LATER
                    ]
                    for order in orders[:PACKS_PER_CONNECTION]:
                        r = c.get(path.replace("{order_id}", order["id"]))
                        if r.status_code == 501:  # this WMS has no packs endpoint
                            break
                        assert r.status_code == 200, (path, order["id"], r.text)
                        served[table].append(r.json()["data"])
                else:
                    r = c.get(path, params={"limit": 1})
                    if r.status_code in (403, 501):  # a capability gap of this connection
                        continue
                    served[table] += get_all(c, path)
    return served


@pytest.fixture(scope="module")
def served(shared) -> dict[str, list[dict[str, Any]]]:
    return _served_records(shared)


@pytest.mark.parametrize("table", sorted(documented.documented()))
def test_every_documented_path_is_served_and_none_is_invented(served, table):
    records = served[table]
    assert records, f"{table}: the default organisation serves no record"
    fields = documented.fields(table)
    seen: set[str] = set()
    non_null: set[str] = set()
    invented: set[str] = set()
    wrong: dict[str, Any] = {}
    for record in records:
        for path, value in documented.paths_of(record, table):
            if path not in fields:
                invented.add(path)
                continue
            seen.add(path)
            if value is not None:
                non_null.add(path)
            if not documented.type_matches(value, fields[path]):
                wrong.setdefault(path, value)
    assert not invented, f"{table}: fields the docs do not have: {sorted(invented)}"
    assert not wrong, f"{table}: values of another type than documented: {wrong}"
    missing = sorted(set(fields) - seen)
    assert not missing, f"{table}: documented fields never served: {missing}"
    # realistic data: a field is sometimes filled, unless the docs allow only null for it
    always_null = sorted(
        p for p in set(fields) - non_null if not fields[p].startswith(("free-form", "array"))
    )
    assert not always_null, f"{table}: documented fields that are always null: {always_null}"


@pytest.mark.parametrize("table", sorted(documented.documented()))
def test_every_record_carries_the_required_paths(served, table):
    required = documented.required(table)
    top = [p for p in required if "." not in p and "[]" not in p]
    for record in served[table]:
        absent = [p for p in top if p not in record]
        assert not absent, f"{table}: a record lacks required {absent}: {record}"
