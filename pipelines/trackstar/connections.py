"""Which connections a run extracts, and what each one may be asked for.

Connections come from `GET /connections` (API key only) or from configured access tokens: a
list of bare tokens, or a table connection id -> token. A bare token is matched against
`GET /connections` when the organisation lists it; otherwise its connection id is a stable hash
of the token (never the token) and its vertical is probed.

A `Connection` keeps its token out of `repr`, and `row()` (what lands in the `connections`
table) never contains it.
"""

from __future__ import annotations

import hmac
import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from hashlib import sha256
from typing import Any
from urllib.parse import quote

from pipelines.trackstar.client import (
    CapabilityGap,
    ConnectionFailed,
    RequestInvalid,
    TrackstarClient,
    TrackstarError,
    UnexpectedResponse,
)
from pipelines.trackstar.endpoints import VERTICALS

log = logging.getLogger("pipelines.trackstar.connections")

CONNECTIONS_PATH = "/connections"
# a cheap list per vertical, to learn which vertical a bare token belongs to
PROBES = (
    ("wms", "/wms/warehouses"),
    ("cart", "/cart/warehouses"),
    ("carrier", "/carrier/files"),
    ("freight", "/freight/shipments"),
)
NEEDS_TOKEN = (
    "needs its access token configured: GET /connections gives none for it; add it to "
    "sources.trackstar.access_tokens in .dlt/secrets.toml (a table connection id -> token) "
    "or SOURCES__TRACKSTAR__ACCESS_TOKENS"
)


def token_connection_id(token: str) -> str:
    """A stable, non-reversible id for a token whose connection id is unknown."""
    return "tok_" + sha256(token.encode()).hexdigest()[:16]


def _is_secret_key(key: str) -> bool:
    return "token" in key.lower() or "secret" in key.lower() or "password" in key.lower()


@dataclass
class Connection:
    connection_id: str
    access_token: str = field(repr=False)
    integration_type: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)  # never holds the token
    source: str = "api"  # api | configured | token
    error: TrackstarError | None = None  # set when the connection cannot be extracted at all
    _failure: TrackstarError | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def available_actions(self) -> frozenset[str] | None:
        actions = self.metadata.get("available_actions")
        return frozenset(actions) if isinstance(actions, list) else None

    def offers(self, action: str) -> bool:
        """Unknown actions (no metadata) are tried; 403/501 then tell us."""
        actions = self.available_actions
        return actions is None or action in actions

    def historical_sync_done(self, action: str) -> bool:
        done = self.metadata.get("historical_sync_completed")
        if not isinstance(done, Mapping) or action not in done:
            return True
        return bool(done[action])

    # a 401 on one resource marks the whole connection; its other resources stop asking
    def mark_failed(self, error: TrackstarError) -> None:
        with self._lock:
            if self._failure is None:
                self._failure = error

    @property
    def failure(self) -> TrackstarError | None:
        return self.error or self._failure

    def row(self) -> dict[str, Any]:
        """The `connections` table row: metadata without any token."""
        row = {k: v for k, v in self.metadata.items() if not _is_secret_key(k)}
        row["connection_id"] = self.connection_id
        row["integration_type"] = self.integration_type
        row["connection_source"] = self.source
        return row


def list_connections(client: TrackstarClient) -> list[dict[str, Any]]:
    """Every connection of the organisation (`GET /connections`, API key only, paginated),
    with discovery's longer retry budget: every connection of the run depends on it."""
    pages = client.paginate(CONNECTIONS_PATH, retry=client.retry.for_discovery())
    return [record for page in pages for record in page.records]


def _from_metadata(record: dict[str, Any], source: str, token: str | None = None) -> Connection:
    token = token or record.get("access_token") or ""
    metadata = {k: v for k, v in record.items() if not _is_secret_key(k)}
    connection = Connection(
        connection_id=str(record["connection_id"]),
        access_token=token,
        integration_type=record.get("integration_type"),
        metadata=metadata,
        source=source,
    )
    if not token:
        connection.error = ConnectionFailed(
            NEEDS_TOKEN, connection_id=connection.connection_id, endpoint=CONNECTIONS_PATH
        )
    return connection


def probe_vertical(client: TrackstarClient, connection: Connection) -> None:
    """Find the vertical of a token by asking each vertical for one record."""
    for vertical, path in PROBES:
        try:
            client.get(
                path,
                {"limit": 1},
                access_token=connection.access_token,
                connection_id=connection.connection_id,
            )
        except ConnectionFailed as exc:
            connection.error = exc
            return
        except RequestInvalid:
            raise
        except TrackstarError:
            continue
        connection.integration_type = vertical
        return
    connection.error = UnexpectedResponse(
        f"no vertical ({', '.join(VERTICALS)}) answers this access token",
        connection_id=connection.connection_id,
        endpoint=", ".join(path for _, path in PROBES),
    )


def discover(
    client: TrackstarClient,
    access_tokens: Sequence[str] | Mapping[str, str] | None = None,
) -> list[Connection]:
    """The connections to extract, from configured tokens or from `GET /connections`."""
    if access_tokens is None:
        return [_from_metadata(record, "api") for record in list_connections(client)]

    try:
        listed = list_connections(client)
    except (CapabilityGap, ConnectionFailed, UnexpectedResponse) as exc:
        log.warning("cannot list connections, using configured tokens alone: %s", exc)
        listed = []
    by_id = {str(r.get("connection_id")): r for r in listed}

    connections: list[Connection] = []
    if isinstance(access_tokens, Mapping):
        pairs = [(str(cid), str(token)) for cid, token in access_tokens.items()]
    else:
        pairs = []
        for token in access_tokens:
            token = str(token)
            match = next(
                (
                    r
                    for r in listed
                    if r.get("access_token") and hmac.compare_digest(str(r["access_token"]), token)
                ),
                None,
            )
            cid = str(match["connection_id"]) if match else token_connection_id(token)
            pairs.append((cid, token))

    configured_ids = isinstance(access_tokens, Mapping)
    for cid, token in pairs:
        record = by_id.get(cid)
        if record is None and configured_ids:
            record = _get_connection(client, cid)
        if record is not None:
            connections.append(_from_metadata(record, "configured", token))
            continue
        connection = Connection(cid, token, source="configured" if configured_ids else "token")
        probe_vertical(client, connection)
        connections.append(connection)
    return connections


def _get_connection(client: TrackstarClient, connection_id: str) -> dict[str, Any] | None:
    """`GET /connections/{id}`: metadata of a configured id the list did not give."""
    try:
        path = f"{CONNECTIONS_PATH}/{quote(connection_id, safe='')}"
        body = client.get(path, retry=client.retry.for_discovery()).body
    except (CapabilityGap, ConnectionFailed, UnexpectedResponse) as exc:
        log.warning("no metadata for connection %s: %s", connection_id, exc)
        return None
    data = body.get("data") if isinstance(body, dict) else None
    return data if isinstance(data, dict) and data.get("connection_id") else None
