"""The dlt source: one resource per connection x endpoint, built from `endpoints.ENDPOINTS`.

Each resource is a parallelized generator (dlt runs its pages in the extract thread pool), so
connections are extracted concurrently, each as fast as its own rate limiter allows.

Exactly once: the cursor (`trackstar_updated_date[gte]`) lives in the resource's dlt state,
which dlt commits in the same load package as the rows. It moves only after the last page of
the resource succeeded, to max(trackstar_updated_date seen) - lag. Rows merge on their primary
key, so the overlap the lag re-reads never duplicates anything.

Isolation: errors are caught per connection x resource and written to `sync_log` (same package);
only a 422 (a bug in this code) is re-raised and fails the run.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import dlt
import pendulum
from dlt.extract import DltResource

from pipelines.trackstar import endpoints as ep
from pipelines.trackstar.client import (
    CapabilityGap,
    ConnectionFailed,
    Page,
    RequestInvalid,
    TrackstarClient,
    TrackstarError,
)
from pipelines.trackstar.connections import Connection, discover
from pipelines.trackstar.progress import LogProgress
from pipelines.trackstar.report import (
    CAPABILITY_GAP,
    FAILED,
    OK,
    SKIPPED,
    SYNC_INCOMPLETE,
    SYNC_LOG_COLUMNS,
    SYNC_LOG_TABLE,
    RunReport,
    SyncEntry,
)

log = logging.getLogger("pipelines.trackstar.source")

SOURCE_NAME = "trackstar"
CONNECTIONS_TABLE = "connections"
CONNECTION_RESOURCE = "connection"  # sync_log resource name for a connection that failed as a whole
# carrier files without a window give only the last 24 h; full history starts here
EARLIEST = pendulum.datetime(2000, 1, 1, tz="UTC")

CONNECTION_COLUMNS: dict[str, dict[str, Any]] = {
    "connection_id": {"data_type": "text", "nullable": False},
    **{
        name: {"data_type": "json"}
        for name in ("available_actions", "errors", "sync_schedules", "historical_sync_completed")
    },
    **{
        name: {"data_type": "timestamp", "timezone": True}
        for name in ("created_at", "last_used", "observed_at")
    },
}

PREFERRED_TYPES = {
    # free-form objects stay JSON in every table, root or nested
    "re:(^|__)(" + "|".join(ep.JSON_FIELDS) + ")$": "json",
    # timestamps even when the first value seen is null
    "re:^(" + "|".join((*ep.STANDARD_TIMESTAMPS, "observed_at")) + ")$": "timestamp",
}


class UnknownConnection(ValueError):
    """A connection id was asked for that discovery did not find."""


@dataclass(frozen=True)
class Options:
    lag: pendulum.Duration
    start_date: pendulum.DateTime | None
    backfill: tuple[str, str, pendulum.DateTime] | None


def resource_name(table: str, connection_id: str) -> str:
    """The dlt resource (and state key) of one endpoint of one connection."""
    return f"{table}@{connection_id}"


def _as_utc(value: Any) -> pendulum.DateTime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return pendulum.instance(value).in_timezone("UTC")
    parsed = pendulum.parse(str(value), tz="UTC")
    return parsed.in_timezone("UTC")  # type: ignore[union-attr]


def _iso(value: pendulum.DateTime) -> str:
    return value.in_timezone("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def _max_cursor(records: list[dict[str, Any]], current: datetime | None) -> datetime | None:
    """The largest trackstar_updated_date of a page (pages are not sorted)."""
    best = current
    for record in records:
        raw = record.get(ep.CURSOR_FIELD)
        if not raw:
            continue
        try:
            value = datetime.fromisoformat(raw) if isinstance(raw, str) else raw
        except ValueError:
            continue
        if value.tzinfo is None:
            continue
        if best is None or value > best:
            best = value
    return best


def next_cursor(
    cursor_from: pendulum.DateTime | None, max_seen: datetime | None, lag: pendulum.Duration
) -> pendulum.DateTime | None:
    """max(seen) - lag, never behind where this run started."""
    if max_seen is None:
        return cursor_from
    candidate = pendulum.instance(max_seen).in_timezone("UTC") - lag
    return candidate if cursor_from is None or candidate > cursor_from else cursor_from


def _hints(table: str, **hints: Any) -> Any:
    return dlt.mark.make_hints(table_name=table, **hints)


SYNC_LOG_HINTS = _hints(SYNC_LOG_TABLE, write_disposition="append", columns=SYNC_LOG_COLUMNS)
CONNECTION_HINTS = _hints(
    CONNECTIONS_TABLE,
    write_disposition="merge",
    primary_key="connection_id",
    columns=CONNECTION_COLUMNS,
)


@functools.cache
def history_hints(history: ep.History) -> Any:
    # insert-only: the first observation of a version stays, reruns add nothing
    return _hints(
        history.table,
        write_disposition={"disposition": "merge", "strategy": "insert-only"},
        primary_key=list(history.key),
        columns={
            **{name: {"data_type": "text", "nullable": False} for name in history.key[:-1]},
            ep.CURSOR_FIELD: {"data_type": "timestamp", "timezone": True, "nullable": False},
            "observed_at": {"data_type": "timestamp", "timezone": True},
        },
    )


class _EndpointRun:
    """Extraction of one endpoint for one connection, in one run."""

    def __init__(
        self,
        endpoint: ep.Endpoint,
        connection: Connection,
        client: TrackstarClient,
        options: Options,
        report: RunReport,
        progress: LogProgress,
    ) -> None:
        self.endpoint = endpoint
        self.connection = connection
        self.client = client
        self.options = options
        self.report = report
        self.progress = progress
        self.name = resource_name(endpoint.table, connection.connection_id)
        self.table_hints = _hints(
            endpoint.table,
            write_disposition="merge",
            primary_key=list(endpoint.primary_key),
            columns=endpoint.columns(),
        )

    def cursor_from(self, state: Mapping[str, Any]) -> pendulum.DateTime | None:
        backfill = self.options.backfill
        if backfill and backfill[:2] == (self.connection.connection_id, self.endpoint.table):
            return _as_utc(backfill[2])
        return _as_utc(state.get("cursor")) or self.options.start_date

    def skip_reason(self) -> tuple[str, str, int | None] | None:
        """(status, message, http status) when this resource is not to be requested."""
        endpoint, connection = self.endpoint, self.connection
        needed = [endpoint.action]
        if endpoint.parent:
            needed.append(ep.BY_TABLE[endpoint.parent].action)
        for action in needed:
            if not connection.offers(action):
                return SKIPPED, f"{action} is not in the connection's available_actions", None
        if not connection.historical_sync_done(endpoint.action):
            return (
                SYNC_INCOMPLETE,
                (
                    f"historical sync of {endpoint.action} not completed; cursor kept, "
                    "the full history is read once it completes"
                ),
                None,
            )
        failure = connection.failure
        if failure is not None:  # a 401 on another resource of this connection
            return FAILED, f"not requested, the connection failed: {failure}", failure.status
        return None

    def params(self, cursor_from: pendulum.DateTime | None) -> dict[str, str]:
        params: dict[str, str] = {}
        endpoint = self.endpoint
        if endpoint.incremental and cursor_from is not None:
            params[f"{ep.CURSOR_FIELD}[gte]"] = _iso(cursor_from)
        if endpoint.window:
            start, end = endpoint.window
            params[start] = _iso(cursor_from or self.options.start_date or EARLIEST)
            # the server's clock (the simulator's is not ours), with a margin: the future is empty
            params[end] = _iso(self.client.server_now().add(days=1))
        return params

    def pages(self, params: dict[str, str]) -> Iterator[tuple[Page, dict[str, Any]]]:
        """Pages of the endpoint; per-warehouse paths are read for every warehouse."""
        endpoint, connection = self.endpoint, self.connection
        call: dict[str, Any] = {
            "access_token": connection.access_token,
            "connection_id": connection.connection_id,
        }
        if not endpoint.parent:
            for page in self.client.paginate(endpoint.path, params, **call):
                yield page, {}
            return
        parent = ep.BY_TABLE[endpoint.parent]
        parent_ids = [
            str(record["id"])
            for page in self.client.paginate(parent.path, **call)
            for record in page.records
            if record.get("id") is not None
        ]
        for parent_id in parent_ids:
            path = endpoint.path.format(**{endpoint.parent_key: quote(parent_id, safe="")})
            for page in self.client.paginate(path, params, **call):
                yield page, {endpoint.parent_key: parent_id}

    def rows(self) -> Iterator[Any]:
        endpoint, connection = self.endpoint, self.connection
        entry = self.report.start(connection.connection_id, endpoint.table)
        state = dlt.current.resource_state(self.name)
        entry.cursor_from = self.cursor_from(state)
        self.progress.started(entry)
        try:
            skip = self.skip_reason()
            if skip is not None:
                entry.finish(*skip)
            else:
                yield from self._extract(entry, state)
        except ConnectionFailed as exc:
            connection.mark_failed(exc)
            entry.finish(FAILED, str(exc), exc.status)
        except CapabilityGap as exc:
            entry.finish(CAPABILITY_GAP, str(exc), exc.status)
        except RequestInvalid as exc:
            entry.finish(FAILED, str(exc), exc.status)
            self.progress.finished(entry)
            raise  # a bug on our side: the whole run fails, loudly
        except TrackstarError as exc:
            entry.finish(FAILED, str(exc), exc.status)
        self.progress.finished(entry)
        yield dlt.mark.with_hints(entry.sync_log_row(), SYNC_LOG_HINTS, create_table_variant=True)

    def _extract(self, entry: SyncEntry, state: dict[str, Any]) -> Iterator[Any]:
        endpoint, cid = self.endpoint, self.connection.connection_id
        history_seen: dict[str, set[tuple[Any, ...]]] = {h.table: set() for h in endpoint.history}
        max_seen: datetime | None = None
        for page, extra in self.pages(self.params(entry.cursor_from)):
            rows = [endpoint.shape(record, cid, **extra) for record in page.records]
            if rows:
                yield dlt.mark.with_hints(rows, self.table_hints, create_table_variant=True)
            for history in endpoint.history:
                seen = history_seen[history.table]
                fresh = []
                for row in history.rows(rows, cid, page.observed_at):
                    key = tuple(row[k] for k in history.key)
                    if key not in seen:  # one version once per load package
                        seen.add(key)
                        fresh.append(row)
                if fresh:
                    yield dlt.mark.with_hints(
                        fresh, history_hints(history), create_table_variant=True
                    )
            max_seen = _max_cursor(rows, max_seen)
            entry.rows += len(rows)
            entry.pages += 1
            self.progress.advanced(entry)
        # every page succeeded: only now may the cursor move
        if endpoint.mode is not ep.Mode.FULL:
            entry.cursor_to = next_cursor(entry.cursor_from, max_seen, self.options.lag)
            if entry.cursor_to is not None:
                state["cursor"] = _iso(entry.cursor_to)
        state["last_success"] = _iso(pendulum.now("UTC"))
        entry.finish(OK)


def _endpoint_resource(run: _EndpointRun) -> DltResource:
    endpoint = run.endpoint

    def rows() -> Iterator[Any]:  # dlt wants a plain generator function
        yield from run.rows()

    # no table hints on the resource itself: every table it writes (its own, history tables,
    # sync_log) gets its hints as a variant with the rows, so none inherits another's keys
    return dlt.resource(rows, name=run.name, table_name=endpoint.table, parallelized=True)


def _connections_resource(
    connections: Sequence[Connection], report: RunReport, observed_at: pendulum.DateTime
) -> DltResource:
    def rows() -> Iterator[Any]:
        yield dlt.mark.with_hints(
            [{**c.row(), "observed_at": observed_at} for c in connections],
            CONNECTION_HINTS,
            create_table_variant=True,
        )
        for connection in connections:
            if connection.error is not None:
                entry = report.start(connection.connection_id, CONNECTION_RESOURCE)
                entry.finish(FAILED, str(connection.error), connection.error.status)
                yield dlt.mark.with_hints(
                    entry.sync_log_row(), SYNC_LOG_HINTS, create_table_variant=True
                )

    return dlt.resource(rows, name=CONNECTIONS_TABLE, table_name=CONNECTIONS_TABLE)


@dlt.source(
    name=SOURCE_NAME,
    schema_contract={"tables": "evolve", "columns": "evolve", "data_type": "evolve"},
)
def trackstar_source(
    base_url: str = dlt.config.value,
    api_key: str = dlt.secrets.value,
    access_tokens: Any = None,
    connection_ids: Sequence[str] | None = None,
    tables: Sequence[str] | None = None,
    lag_seconds: int = 3600,
    start_date: Any = None,
    backfill: Any = None,
    client: Any = None,
    report: Any = None,
    progress: Any = None,
) -> Iterator[DltResource]:
    """Every list endpoint of every connection (or of `connection_ids`, for `tables`).

    `backfill=(connection_id, table, since)` re-reads that one resource from `since`.
    `client`, `report` and `progress` may be passed in (extract() does, to share them).
    """
    unknown = set(tables or ()) - set(ep.BY_TABLE)
    if unknown:
        raise ValueError(f"unknown resources {sorted(unknown)}; known: {sorted(ep.BY_TABLE)}")
    schema = dlt.current.source_schema()
    schema.update_preferred_types(PREFERRED_TYPES)

    client = client or TrackstarClient(base_url, api_key)
    report = report or RunReport()
    progress = progress or LogProgress()
    options = Options(
        lag=pendulum.duration(seconds=int(lag_seconds)),
        start_date=_as_utc(start_date),
        backfill=(backfill[0], backfill[1], _as_utc(backfill[2])) if backfill else None,
    )

    connections = discover(client, access_tokens)
    observed_at = client.server_now()  # the Date of the GET /connections answer
    if connection_ids:
        wanted, known = set(connection_ids), {c.connection_id for c in connections}
        if wanted - known:
            raise UnknownConnection(
                f"unknown connection ids {sorted(wanted - known)}; known: {sorted(known)}"
            )
        connections = [c for c in connections if c.connection_id in wanted]
    if options.backfill:
        b_cid, b_table = options.backfill[:2]
        if b_table not in ep.BY_TABLE:
            raise ValueError(f"backfill: unknown resource {b_table!r}")
        if b_cid not in {c.connection_id for c in connections}:
            raise UnknownConnection(f"backfill: unknown connection {b_cid!r}")

    yield _connections_resource(connections, report, observed_at)
    for connection in connections:
        if connection.error is not None:
            continue
        for endpoint in ep.for_vertical(connection.integration_type):
            if tables and endpoint.table not in tables:
                continue
            run = _EndpointRun(endpoint, connection, client, options, report, progress)
            yield _endpoint_resource(run)
