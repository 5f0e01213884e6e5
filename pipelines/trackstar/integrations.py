"""`GET /integrations/{integration_type}`: which fields each integration fills, read sparingly.

Trackstar lists, per integration and list operation, the fields the integration implements;
`dim_integration_fields` uses it to tell "this integration does not provide it" from "empty for
this record". The list changes rarely and Trackstar allows one call a minute, so a run makes at
most one call: for the integration type (of the run's connections) read longest ago, if that was
a day or more ago and no call was made in the last minute. When each type was last read is kept
in the resource's dlt state (committed with the data), on Trackstar's clock. A failed call is not
retried (a retry would wait out the minute): the next run tries again, and the run goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import Any

import pendulum

from pipelines.trackstar.client import RetryPolicy, TrackstarClient, TrackstarError

log = logging.getLogger("pipelines.trackstar.integrations")

TABLE = "integrations"
PATH = "/integrations/{integration_type}"
# the types the endpoint documents (its path enum): carriers have no integration info
INTEGRATION_TYPES = ("wms", "cart", "freight")
EVERY = pendulum.duration(days=1)
MIN_INTERVAL = pendulum.duration(minutes=1)
ONE_ATTEMPT = RetryPolicy(attempts=1)
LAST_CALL = "last_call"  # state key: when any call was last made, whatever its answer

COLUMNS: dict[str, dict[str, Any]] = {
    "integration_type": {"data_type": "text", "nullable": False},
    "integration_name": {"data_type": "text", "nullable": False},
    **{
        name: {"data_type": "json"}
        for name in ("list_operations", "write_operations", "available_actions")
    },
    "observed_at": {"data_type": "timestamp", "timezone": True},
}


def due_type(
    types: Iterable[str], read_at: Mapping[str, str], now: pendulum.DateTime
) -> str | None:
    """The one type to read now: never read first (WMS, carts, freight in that order), then the
    oldest read; none if every type was read within a day or any call was made in the last
    minute."""
    last_call = read_at.get(LAST_CALL)
    if last_call and now - pendulum.parse(last_call) < MIN_INTERVAL:
        return None
    due = [
        t
        for t in sorted(set(types) & set(INTEGRATION_TYPES))
        if t not in read_at or now - pendulum.parse(read_at[t]) >= EVERY
    ]
    return min(due, key=lambda t: (read_at.get(t, ""), INTEGRATION_TYPES.index(t))) if due else None


def read(
    client: TrackstarClient, types: Iterable[str], state: MutableMapping[str, str]
) -> Iterator[dict[str, Any]]:
    """The integrations of the due type, one row each, tagged with the type and the time;
    `state` (type -> when read, and LAST_CALL) is updated."""
    now = client.server_now()
    integration_type = due_type(types, state, now)
    if integration_type is None:
        return
    path = PATH.format(integration_type=integration_type)
    state[LAST_CALL] = now.to_iso8601_string()
    try:
        response = client.get(path, retry=ONE_ATTEMPT)
    except TrackstarError as exc:
        log.warning("integration info not read, the next run tries again: %s", exc)
        return
    body = response.body
    records = body.get("data") if isinstance(body, dict) else None
    if not isinstance(records, list):
        log.warning("integration info not read: %s answered without a `data` list", path)
        return
    state[integration_type] = response.observed_at.to_iso8601_string()
    log.info("integration info read for %s: %d integrations", integration_type, len(records))
    for record in records:
        if isinstance(record, dict) and record.get("integration_name"):
            yield {
                **record,
                "integration_type": integration_type,
                "observed_at": response.observed_at,
            }
