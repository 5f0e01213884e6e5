"""Records Trackstar no longer has: what a complete listing tells, kept in `deleted_records`.

Trackstar sends no delete signal. What it does give is complete listings (every page read,
`next_token` null): a record the warehouse holds that such a listing no longer contains is gone
from Trackstar's copy, and a record marked gone that is listed (or read) again is back.

`deleted_records` is an event log (append, one row per change: `deleted` or `restored`), written
in the same load package as the listing's rows, so a mark is committed exactly once with the
data that proves it. Raw rows are never rewritten: a deleted record keeps its last version and
its child tables; staging joins its latest event. The log keeps every interval, so a model that
needs the state on a given day (inventory snapshots) gets the same answer on a full refresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import dlt

from pipelines.trackstar import endpoints as ep

DELETED_TABLE = "deleted_records"
DELETED, RESTORED = "deleted", "restored"
CONNECTIONS_RESOURCE = "connections"  # a connection GET /connections no longer lists

DELETED_HINTS = dlt.mark.make_hints(
    table_name=DELETED_TABLE,
    write_disposition="append",
    columns={
        "run_id": {"data_type": "text", "nullable": False},
        "connection_id": {"data_type": "text", "nullable": False},
        "resource": {"data_type": "text", "nullable": False},
        "record_key": {"data_type": "text", "nullable": False},
        "event": {"data_type": "text", "nullable": False},
        "observed_at": {"data_type": "timestamp", "timezone": True, "nullable": False},
    },
)

Key = tuple[str, str]  # (connection id, resource)


@dataclass(frozen=True)
class Baseline:
    """What the warehouse holds at run start, per (connection, resource).

    `known`: the record keys of the raw table (for the resources listed in full, and for every
    resource on a reconcile run); `deleted`: the keys whose latest event is `deleted`.
    """

    known: Mapping[Key, set[str]] = field(default_factory=dict)
    deleted: Mapping[Key, set[str]] = field(default_factory=dict)

    def changes(self, key: Key, listed: set[str]) -> tuple[list[str], list[str]]:
        """(gone, back) for a complete listing of one connection's resource."""
        deleted = self.deleted.get(key, set())
        gone = sorted(self.known.get(key, set()) - listed - deleted)
        return gone, sorted(deleted & listed)

    def back(self, key: Key, seen: Iterable[str]) -> list[str]:
        """Keys marked deleted that were read again (a partial read proves presence too)."""
        deleted = self.deleted.get(key)
        return sorted(deleted.intersection(seen)) if deleted else []


def record_key(endpoint: ep.Endpoint, record: Any, **provided: Any) -> str | None:
    """The record's key in `deleted_records`: its primary key without `connection_id`, joined
    by `|` (a location: `warehouse_id|id`); None when a part is missing."""
    if not isinstance(record, dict):
        return None
    parts = []
    for name in endpoint.primary_key:
        if name == "connection_id":
            continue
        value = provided.get(name, record.get(name))
        if value is None or value == "" or isinstance(value, dict | list | bool):
            return None
        parts.append(str(value))
    return "|".join(parts)


def key_sql(endpoint: ep.Endpoint) -> str:
    """`record_key` as SQL over the raw table (the key columns are text)."""
    parts = [name for name in endpoint.primary_key if name != "connection_id"]
    return " || '|' || ".join(parts)


def reconcilable(endpoint: ep.Endpoint) -> bool:
    """Whether a full listing of the endpoint can tell what is gone. Carrier files are read in
    windows of `generated_time` and expire: no listing holds them all."""
    return endpoint.mode is not ep.Mode.PER_RECORD and endpoint.window is None


def event_rows(
    run_id: str, connection_id: str, resource: str, keys: Iterable[str], event: str, at: Any
) -> list[dict[str, Any]]:
    return [
        {
            "run_id": run_id,
            "connection_id": connection_id,
            "resource": resource,
            "record_key": key,
            "event": event,
            "observed_at": at,
        }
        for key in keys
    ]


def table_columns(client: Any, dataset: str) -> dict[str, set[str]]:
    """table -> its columns, in one query (a table the warehouse lacks is simply absent)."""
    existing: dict[str, set[str]] = {}
    for table, column in client.execute_sql(
        "select table_name, column_name from information_schema.columns where table_schema = %s",
        dataset,
    ):
        existing.setdefault(table, set()).add(column)
    return existing


def read_baseline(pipeline: dlt.Pipeline, reconcile: bool) -> Baseline:
    """One look at the warehouse: the keys of the resources listed in full (of every resource
    on a reconcile run), of `connections`, and the latest deletion state of every key."""
    known: dict[Key, set[str]] = {}
    deleted: dict[Key, set[str]] = {}
    with pipeline.sql_client() as client:
        existing = table_columns(client, pipeline.dataset_name)
        wanted = [
            e
            for e in ep.ENDPOINTS
            if reconcilable(e) and (e.listed_in_full or reconcile) and e.table in existing
        ]
        for endpoint in wanted:
            if not set(endpoint.primary_key) <= existing[endpoint.table]:
                continue
            target = client.make_qualified_table_name(endpoint.table)
            for connection_id, key in client.execute_sql(
                f"select connection_id, {key_sql(endpoint)} from {target}"
            ):
                known.setdefault((connection_id, endpoint.table), set()).add(key)
        if "connection_id" in existing.get(CONNECTIONS_RESOURCE, set()):
            target = client.make_qualified_table_name(CONNECTIONS_RESOURCE)
            for (connection_id,) in client.execute_sql(f"select connection_id from {target}"):
                known[(connection_id, CONNECTIONS_RESOURCE)] = {connection_id}
        if DELETED_TABLE in existing:
            target = client.make_qualified_table_name(DELETED_TABLE)
            for connection_id, resource, key in client.execute_sql(
                "select connection_id, resource, record_key from ("
                "select *, row_number() over (partition by connection_id, resource, record_key "
                f"order by observed_at desc, run_id desc) as n from {target}"
                f") where n = 1 and event = '{DELETED}'"
            ):
                deleted.setdefault((connection_id, resource), set()).add(key)
    return Baseline(known, deleted)
