"""The dlt source: one resource per connection x endpoint, built from `endpoints.ENDPOINTS`.

Each resource is a parallelized generator (dlt runs its pages in the extract thread pool), so
connections are extracted concurrently, each as fast as its own rate limiter allows.

Exactly once: the cursor (`trackstar_updated_date[gte]`) lives in the resource's dlt state,
which dlt commits in the same load package as the rows. It moves only after the last page of
the resource succeeded, to max(trackstar_updated_date seen) - lag. Rows merge on their primary
key, so the overlap the lag re-reads never duplicates anything.

Cursor fallback: where Trackstar answers 422 to the cursor filter (the October 2025 spec
documents date filters on created_date/updated_date only), that endpoint reads by
`updated_date[gte]` with a wider lag from then on, and its state remembers it.

Records that cannot land (no id, a cursor that is not a date, a list that is not a list) are
set aside in `rejected_records` with the reason; the cursor does not move past them, so a
corrected record is read again, and everything else lands.

Large listings in steps: an incremental listing longer than `pages_per_package` pages stops
there; its state keeps where it stopped (`resume`: the page token, the cursor it started from,
the newest cursor value seen and the records set aside) and the next load package of the same
run continues from that page. The cursor moves only when the listing is complete.

Isolation: errors are caught per connection x resource and written to `sync_log` (same package);
only a 422 (a bug in this code) is re-raised and fails the run.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

import dlt
import pendulum
import pyarrow as pa
from dlt.extract import DltResource

from pipelines.trackstar import arrow_rows, date_windows, deletions, integrations
from pipelines.trackstar import endpoints as ep
from pipelines.trackstar.client import (
    REPEATED_TOKEN,
    CapabilityGap,
    ConnectionFailed,
    Page,
    RequestInvalid,
    Response,
    TrackstarClient,
    TrackstarError,
    UnexpectedResponse,
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
REJECTED_TABLE = "rejected_records"
# carrier files without a window give only the last 24 h; full history starts here
EARLIEST = pendulum.datetime(2000, 1, 1, tz="UTC")
DEFAULT_FALLBACK_LAG_SECONDS = 2 * 86400
DEFAULT_PACKS_MAX_REQUESTS = 600  # per connection and run: a minute of one token's 10 GET/s
PACK_REQUESTS_IN_FLIGHT = 8  # per connection; the token's rate limiter paces them
PACK_ROWS_PER_ITEM = 200  # packs handed to dlt at once
# pages of one incremental listing per load package: a first load of a long history is
# committed in steps (memory stays flat, a crash resumes from the last step), not all at once
DEFAULT_PAGES_PER_PACKAGE = 10
# a long listing read from scratch is cut into this many date windows read side by side
DEFAULT_WINDOWS = 4

CONNECTION_COLUMNS: dict[str, dict[str, Any]] = {
    "connection_id": {"data_type": "text", "nullable": False},
    **{
        name: {"data_type": "json"}
        for name in (
            "available_actions",
            "available_endpoints",
            "errors",
            "sync_schedules",
            "historical_sync_completed",
        )
    },
    **{
        name: {"data_type": "timestamp", "timezone": True}
        for name in ("created_at", "last_used", "latest_sync", "observed_at")
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
    fallback_lag: pendulum.Duration = field(
        default_factory=lambda: pendulum.duration(seconds=DEFAULT_FALLBACK_LAG_SECONDS)
    )
    packs: bool = True
    packs_max_requests: int = DEFAULT_PACKS_MAX_REQUESTS
    # connection id -> [(order id, its trackstar_updated_date)] loaded earlier without packs
    packs_backlog: Mapping[str, Sequence[tuple[str, Any]]] = field(default_factory=dict)
    # connection id -> {(order id, version in epoch seconds)} whose packs a recent run read
    packs_read: Mapping[str, set[tuple[str, int]]] = field(default_factory=dict)
    pages_per_package: int = DEFAULT_PAGES_PER_PACKAGE  # 0: a listing is never split
    windows: int = (
        DEFAULT_WINDOWS  # date windows read side by side (date_windows.py); 1: one listing
    )
    # connection id -> pack requests made by earlier packages of this run (the budget is per run)
    packs_spent: dict[str, int] = field(default_factory=dict)
    # the warehouse's keys and deletion marks at run start (see deletions.py)
    baseline: deletions.Baseline = field(default_factory=deletions.Baseline)
    # list every key of the incremental resources too, to mark what Trackstar no longer has
    reconcile: bool = False


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


def _max_cursor(
    records: list[dict[str, Any]], cursor: str | None, current: datetime | None
) -> datetime | None:
    """The largest value of the cursor field in a page (pages are not sorted)."""
    best = current
    if cursor is None:
        return best
    for record in records:
        value = ep.parse_timestamp(record.get(cursor))
        if value is not None and (best is None or value > best):
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
REJECTED_HINTS = _hints(
    REJECTED_TABLE,
    write_disposition="append",
    columns={
        "run_id": {"data_type": "text", "nullable": False},
        "connection_id": {"data_type": "text", "nullable": False},
        "resource": {"data_type": "text", "nullable": False},
        "record_key": {"data_type": "text"},
        "reason": {"data_type": "text", "nullable": False},
        "cursor_value": {"data_type": "text"},
        "record": {"data_type": "json"},
        "observed_at": {"data_type": "timestamp", "timezone": True},
    },
)
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


class _ArrowBatches:
    """A listing's Arrow tables held back and handed to dlt a few pages at a time: dlt computes
    and validates a table's schema for every Arrow table it is given (a table per page and
    child table: about 11 % of a large load). A page waits only where every column of its
    tables has a settled type (held by dlt's schema, or documented) and its tables' columns
    and hints are those of the pages waiting; else the waiting pages go first and it follows
    at once (a column typed by its first value is then in dlt's schema for the next page, as
    before). Tables are handed in the order they came: a child table after its parent."""

    PAGES = 5  # a page of 1,000 orders is about 9,000 rows in 7 tables

    def __init__(self) -> None:
        self._held: dict[str, tuple[Any, list[pa.Table]]] = {}
        self._pages = 0

    def add(self, page: list[tuple[pa.Table, Any, bool]]) -> Iterator[Any]:
        """A page's (Arrow table, hints, settled) for each of its tables, parents first."""
        waits = all(settled for _, _, settled in page)
        for arrow_table, hints, _ in page:
            held = self._held.get(hints["table_name"])
            if held is not None and (held[0] != hints or held[1][0].schema != arrow_table.schema):
                waits = False
        if not waits:
            yield from self.flush()
            for arrow_table, hints, _ in page:
                yield dlt.mark.with_hints(arrow_table, hints, create_table_variant=True)
            return
        for arrow_table, hints, _ in page:
            self._held.setdefault(hints["table_name"], (hints, []))[1].append(arrow_table)
        self._pages += 1
        if self._pages >= self.PAGES:
            yield from self.flush()

    def flush(self) -> Iterator[Any]:
        held, self._held, self._pages = self._held, {}, 0
        for hints, tables in held.values():
            yield dlt.mark.with_hints(pa.concat_tables(tables), hints, create_table_variant=True)


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
        followers: Sequence[_FollowRun] = (),
    ) -> None:
        self.endpoint = endpoint
        self.connection = connection
        self.client = client
        self.options = options
        self.report = report
        self.progress = progress
        self.followers = list(followers)
        self.name = resource_name(endpoint.table, connection.connection_id)
        self._windows_refused = False  # Trackstar answered 422 to a date window: one listing
        self._batches = _ArrowBatches()
        self.table_hints = _hints(
            endpoint.table,
            write_disposition="merge",
            primary_key=list(endpoint.primary_key),
            columns=endpoint.columns(),
        )

    def _backfill(self) -> pendulum.DateTime | None:
        backfill = self.options.backfill
        if backfill and backfill[:2] == (self.connection.connection_id, self.endpoint.table):
            return _as_utc(backfill[2])
        return None

    def cursor_from(self, state: Mapping[str, Any]) -> pendulum.DateTime | None:
        if self._backfill() is None and "resume" in state:  # a listing started earlier
            return _as_utc(state["resume"]["cursor_from"])
        return self._backfill() or _as_utc(state.get("cursor")) or self.options.start_date

    @property
    def splittable(self) -> bool:
        """Whether a long listing may be split across load packages (incremental ones, read
        with one filter: per-warehouse paths are read in full)."""
        return self.endpoint.incremental and not self.endpoint.parent

    def cursor_field(self, state: Mapping[str, Any]) -> str | None:
        """The endpoint's cursor, or the fallback its state remembers (a backfill tries the
        endpoint's own cursor again)."""
        if "cursor_field" in state and self._backfill() is None:
            return state["cursor_field"]
        return self.endpoint.cursor

    def skip_reason(self) -> tuple[str, str, int | None] | None:
        """(status, message, http status) when this resource is not to be requested."""
        return _skip_reason(self.endpoint, self.connection)

    def params(self, cursor_from: pendulum.DateTime | None, cursor: str | None) -> dict[str, str]:
        params: dict[str, str] = {}
        endpoint = self.endpoint
        if endpoint.window:
            start, end = endpoint.window
            params[start] = _iso(cursor_from or self.options.start_date or EARLIEST)
            # the server's clock (the simulator's is not ours), with a margin: the future is empty
            params[end] = _iso(self.client.server_now().add(days=1))
        elif endpoint.incremental and cursor is not None and cursor_from is not None:
            params[f"{cursor}[gte]"] = _iso(cursor_from)
        return params

    def pages(
        self, params: dict[str, str], page_token: str | None = None, max_pages: int | None = None
    ) -> Iterator[tuple[Page, dict[str, Any]]]:
        """Pages of the endpoint (from `page_token` where given, at most `max_pages`);
        per-warehouse paths are read for every warehouse."""
        endpoint, connection = self.endpoint, self.connection
        call: dict[str, Any] = {
            "access_token": connection.access_token,
            "connection_id": connection.connection_id,
        }
        if not endpoint.parent:
            pages = self.client.paginate(
                endpoint.path, params, page_token=page_token, max_pages=max_pages, **call
            )
            for page in pages:
                yield page, {}
            return
        parent = ep.BY_TABLE[endpoint.parent]
        parent_ids = [
            str(record["id"])
            for page in self.client.paginate(parent.path, **call)
            for record in page.records
            if isinstance(record, dict) and record.get("id") is not None
        ]
        for parent_id in parent_ids:
            path = endpoint.path.format(**{endpoint.parent_key: quote(parent_id, safe="")})
            for page in self.client.paginate(path, params, **call):
                yield page, {endpoint.parent_key: parent_id}

    def rows(self) -> Iterator[Any]:
        endpoint, connection = self.endpoint, self.connection
        entry = self.report.start(connection.connection_id, endpoint.table, endpoint.action)
        state = dlt.current.resource_state(self.name)
        if self._backfill() is not None:
            state.pop("resume", None)  # a backfill starts its listing again
        entry.cursor_from = self.cursor_from(state)
        entry.cursor_field = self.cursor_field(state)
        entry.cursor_fallback = entry.cursor_field != endpoint.cursor
        self.progress.started(entry)
        for follower in self.followers:
            follower.start()
        try:
            skip = self.skip_reason()
            if skip is not None:
                entry.finish(*skip)
                for follower in self.followers:
                    follower.entry_skipped(skip)
            else:
                for follower in self.followers:
                    yield from follower.backlog_rows()
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
        finally:
            for follower in self.followers:
                follower.finish()
        yield from self._batches.flush()  # what was read lands, even where the listing failed
        self.progress.finished(entry)
        yield dlt.mark.with_hints(entry.sync_log_row(), SYNC_LOG_HINTS, create_table_variant=True)
        for follower in self.followers:
            yield follower.sync_log_row()

    def _pages_with_fallback(
        self,
        entry: SyncEntry,
        state: dict[str, Any],
        max_pages: int | None,
        onward: dict[str, Any],
    ) -> Iterator[tuple[Page, dict[str, Any]]]:
        """The endpoint's pages, at most about `max_pages`; where the listing goes on after
        them is put in `onward` (empty: it is complete).

        A 422 refusing the cursor filter on the first page switches this endpoint to its
        fallback cursor (remembered in its state) and starts again. A listing resumed from its
        page token starts again from its cursor where Trackstar refuses the token (expired).
        A long listing started from scratch is read in date windows (date_windows.py)."""
        resume = state.get("resume") or {}
        page_token = resume.get("page_token")
        saved_windows = date_windows.from_state(resume.get("windows"))
        while True:
            cursor = entry.cursor_field
            params = self.params(entry.cursor_from, cursor)
            in_windows = False
            try:
                if saved_windows is not None:
                    in_windows = True
                    yield from self._windows(entry, params, saved_windows, max_pages, onward)
                    return
                if page_token is None and self._windowable(entry):
                    first, planned = self._plan_windows(entry, params, max_pages)
                    if planned is not None:
                        in_windows = True
                        yield from self._windows(entry, params, planned, max_pages, onward)
                        return
                    pages = self._after_first_page(params, first, max_pages)
                else:
                    pages = self.pages(params, page_token, max_pages)
                last = None
                for last, extra in pages:
                    yield last, extra
                if max_pages and entry.pages >= max_pages and last and last.next_token:
                    onward["page_token"] = last.next_token
                    self._read_ahead(params, last.next_token, max_pages)
                return
            except (RequestInvalid, UnexpectedResponse) as exc:
                if in_windows and not entry.pages and exc.status in (400, 404, 410, 422):
                    if saved_windows is not None and any(w.page_token for w in saved_windows):
                        log.warning(
                            "%s %s: Trackstar refused a saved page token (HTTP %s); reading "
                            "the date windows not done yet again from their start",
                            entry.connection_id,
                            entry.resource,
                            exc.status,
                        )
                        for window in saved_windows:
                            window.page_token = None
                        continue
                    log.warning(
                        "%s %s: Trackstar refused a date window on %s (HTTP %s); reading "
                        "one listing",
                        entry.connection_id,
                        entry.resource,
                        cursor,
                        exc.status,
                    )
                    self._windows_refused = True
                    saved_windows = None
                    continue
                if (
                    page_token is not None
                    and not entry.pages
                    and exc.status in (400, 404, 410, 422)
                ):
                    log.warning(
                        "%s %s: Trackstar refused the saved page token (HTTP %s); "
                        "reading the listing again from its cursor",
                        entry.connection_id,
                        entry.resource,
                        exc.status,
                    )
                    page_token = None
                    continue
                if not isinstance(exc, RequestInvalid):
                    raise
                if entry.pages or cursor is None or not _names_filter(exc.server_message, cursor):
                    raise
                fallback = (
                    self.endpoint.fallback_cursor
                    if cursor != self.endpoint.fallback_cursor
                    else None
                )
                log.warning(
                    "%s %s: Trackstar refused %s[gte] (HTTP 422); %s",
                    entry.connection_id,
                    entry.resource,
                    cursor,
                    f"reading by {fallback}[gte] from now on"
                    if fallback
                    else "reading the whole list",
                )
                state["cursor_field"] = entry.cursor_field = fallback
                entry.cursor_fallback = True
                saved_windows = None
                if entry.cursor_from is not None:
                    # the source's clock lags Trackstar's for records Trackstar picks up late
                    entry.cursor_from = entry.cursor_from - self.options.fallback_lag

    def _plan_windows(
        self, entry: SyncEntry, params: dict[str, str], max_pages: int | None
    ) -> tuple[tuple[Page, dict[str, Any]] | None, list[date_windows.Window] | None]:
        """The listing's first page, and the date windows to read it in instead (None: read
        it as one listing): only a listing longer than one step is worth them."""
        first = next(self.pages(params, None, 1), None)
        cursor = entry.cursor_field
        if first is None or cursor is None:
            return first, None
        total = first[0].total_count or 0
        if max_pages and total <= max_pages * self.client.page_size:
            return first, None
        now = self.client.server_now()
        planned = date_windows.plan(
            first[0], cursor, entry.cursor_from, now, self.options.windows, _iso
        )
        return first, planned

    def _after_first_page(
        self,
        params: dict[str, str],
        first: tuple[Page, dict[str, Any]] | None,
        max_pages: int | None,
    ) -> Iterator[tuple[Page, dict[str, Any]]]:
        """One listing whose first page was read already: that page, then the rest."""
        if first is None:
            return
        yield first
        token = first[0].next_token
        if token and (max_pages is None or max_pages > 1):
            yield from self.pages(params, token, max_pages - 1 if max_pages else None)

    def _windowable(self, entry: SyncEntry) -> bool:
        """Whether this listing may be read in date windows: an incremental one on the
        endpoint's own cursor (the fallback cursor is the source's clock, not Trackstar's)."""
        return (
            self.splittable
            and self.options.windows > 1
            and self.endpoint.window is None
            and entry.cursor_field is not None
            and entry.cursor_field == self.endpoint.cursor
            and not self._windows_refused
        )

    def _windows(
        self,
        entry: SyncEntry,
        params: dict[str, str],
        planned: list[date_windows.Window],
        max_pages: int | None,
        onward: dict[str, Any],
    ) -> Iterator[tuple[Page, dict[str, Any]]]:
        """The pages of the windows not done yet, side by side, `max_pages` in all."""
        cursor, path = entry.cursor_field, self.endpoint.path
        assert cursor is not None
        call = {
            "access_token": self.connection.access_token,
            "connection_id": self.connection.connection_id,
        }

        def start(window: date_windows.Window) -> Iterator[Page]:
            return self.client.paginate(
                path,
                window.params(params, cursor),
                page_token=window.page_token,
                max_pages=1,
                **call,
            )

        def repeated(page: Page) -> Exception:
            return UnexpectedResponse(
                REPEATED_TOKEN,
                connection_id=self.connection.connection_id,
                endpoint=path,
                status=200,
                request_id=page.request_id,
            )

        for page in date_windows.interleave(planned, start, max_pages, repeated):
            yield page, {}
        if not all(w.done for w in planned):
            onward["windows"] = date_windows.to_state(planned)
            going_on = [w for w in planned if not w.done]
            # the next step asks each window in turn, `max_pages` in all
            share = -(-(max_pages or 0) // len(going_on))
            for window in going_on:
                self._read_ahead(window.params(params, cursor), window.page_token, share)

    def _read_ahead(self, params: dict[str, str], page_token: str | None, pages: int) -> None:
        """The next step's pages of a listing that stops here are asked for now, while this
        step is normalized and loaded (client.read_ahead)."""
        self.client.read_ahead(
            self.endpoint.path,
            params,
            page_token,
            pages,
            access_token=self.connection.access_token,
            connection_id=self.connection.connection_id,
        )

    def _extract(self, entry: SyncEntry, state: dict[str, Any]) -> Iterator[Any]:
        endpoint, cid = self.endpoint, self.connection.connection_id
        history_seen: dict[str, set[tuple[Any, ...]]] = {h.table: set() for h in endpoint.history}
        resume = state.get("resume") or {}  # what earlier packages of this listing saw
        max_seen: datetime | None = ep.parse_timestamp(resume.get("max_seen"))
        # cursor values of records set aside (None: unknown)
        hold: list[datetime | None] = [ep.parse_timestamp(v) for v in resume.get("held", ())]
        budget = self.options.pages_per_package if self.splittable else 0
        listing = _Listing(endpoint, whole=endpoint.listed_in_full)
        observed_at = None
        onward: dict[str, Any] = {}  # where the listing goes on in the next package
        as_dicts = False  # once a page went the dict way, the package's other pages follow it
        for page, extra in self._pages_with_fallback(entry, state, budget or None, onward):
            rows, rejected = [], []
            observed_at = page.observed_at
            for record in page.records:
                listing.add(record, extra)
                reason = endpoint.problem(record, entry.cursor_field, provided=extra)
                if reason is None:
                    rows.append(endpoint.shape(record, cid, **extra))
                else:
                    rejected.append(self._rejected_row(record, reason, page))
                    value = record.get(entry.cursor_field) if isinstance(record, dict) else None
                    hold.append(ep.parse_timestamp(value))
            if rows:
                as_dicts = yield from self._landing(rows, as_dicts, self.table_hints)
            if rejected:
                entry.rejected += len(rejected)
                yield dlt.mark.with_hints(rejected, REJECTED_HINTS, create_table_variant=True)
            for history in endpoint.history:
                seen = history_seen[history.table]
                fresh = []
                for row in history.rows(rows, cid, page.observed_at):
                    key = tuple(row[k] for k in history.key)
                    if key not in seen:  # one version once per load package
                        seen.add(key)
                        fresh.append(row)
                if fresh:  # its columns are fixed: a page going the dict way does not change them
                    yield from self._landing(fresh, False, history_hints(history))
            for follower in self.followers:
                yield from follower.rows_for(rows)
            max_seen = _max_cursor(rows, entry.cursor_field, max_seen)
            entry.rows += len(rows)
            entry.pages += 1
            self.progress.advanced(entry)
        if onward:
            yield from self._deletion_rows(entry, listing, observed_at)  # records back
            self._stop_here(entry, state, onward, max_seen, hold)
            return
        state.pop("resume", None)
        # every page succeeded: only now may the cursor move, and never past a record set aside
        if endpoint.mode is not ep.Mode.FULL and entry.cursor_field is not None:
            lag = self.options.lag
            if entry.cursor_fallback:
                lag = max(lag, self.options.fallback_lag)
            entry.cursor_to = _held_cursor(
                entry.cursor_from, next_cursor(entry.cursor_from, max_seen, lag), hold
            )
            if entry.cursor_to is not None:
                state["cursor"] = _iso(entry.cursor_to)
        state["last_success"] = _iso(pendulum.now("UTC"))
        if endpoint.incremental and self.options.reconcile and deletions.reconcilable(endpoint):
            listing, observed_at = self._list_keys(entry)
        yield from self._deletion_rows(entry, listing, observed_at)
        entry.finish(OK, self._note(entry))

    def _landing(self, rows: list[dict[str, Any]], as_dicts: bool, hints: Any) -> Iterator[Any]:
        """The rows of `hints`' table (its hints for dlt's normalizer) as Arrow tables (the
        table and its child tables, see arrow_rows.py) where they fit, else as dicts for dlt's
        normalizer (then the columns they bring are unknown to dlt's schema until the package
        is normalized: the package's other pages go the dict way too). Returns whether the
        rows went the dict way."""
        schema = dlt.current.source_schema()

        def known(table: str) -> Mapping[str, Any]:
            return schema.tables.get(table, {}).get("columns", {})

        root = hints["table_name"]
        built = None
        if not as_dicts:
            built = arrow_rows.tables(
                rows,
                root,
                dlt.current.load_package_state()["load_id"],
                known,
                schema.naming.normalize_identifier,
                not_null=tuple(hints["primary_key"]),
            )
        if built is None:
            yield dlt.mark.with_hints(rows, hints, create_table_variant=True)
            return True
        in_order = arrow_rows.documented_columns(root)
        page = []
        for table, arrow_table, json_columns in built:
            if table == root:
                columns = {**hints["columns"], **arrow_rows.ROOT_COLUMNS}
                table_hints: dict[str, Any] = {"primary_key": hints["primary_key"]}
            else:
                columns = dict(arrow_rows.NESTED_COLUMNS)
                table_hints = {"parent_table_name": table.rsplit("__", 1)[0]}
            for name in json_columns:
                columns[name] = {"data_type": "json"}
            # the Arrow table creates every documented column, typed, even before it has data;
            # only JSON needs a hint (its Arrow type is text). Few hints: dlt validates them
            # for every Arrow table (with every column in them: 1.8 s of a 17 s load, now 0.9)
            held, documented = known(table), in_order.get(table, {})
            for name, documented_type in documented.items():
                if documented_type is arrow_rows.JSON and name not in held:
                    columns.setdefault(name, {"data_type": "json"})
            arrow_hints = _hints(
                table,
                file_format="parquet",
                write_disposition=hints["write_disposition"],
                columns=columns,
                **table_hints,
            )
            settled = all(
                name in held or documented.get(name) is not None or name.startswith("_dlt")
                for name in arrow_table.column_names
            )
            page.append((arrow_table, arrow_hints, settled))
        yield from self._batches.add(page)
        return False

    def _stop_here(
        self,
        entry: SyncEntry,
        state: dict[str, Any],
        onward: dict[str, Any],
        max_seen: datetime | None,
        hold: list[datetime | None],
    ) -> None:
        """End this package's part of a long listing; the next package continues it from
        `onward` (its page token, or its windows')."""
        state["resume"] = {
            "cursor_from": _iso(entry.cursor_from) if entry.cursor_from else None,
            **onward,
            "max_seen": _iso(pendulum.instance(max_seen)) if max_seen else None,
            "held": [_iso(pendulum.instance(v)) if v else None for v in hold],
        }
        self.report.continue_later(entry)
        note = self._note(entry)
        entry.finish(
            OK,
            f"{entry.pages} pages; the listing continues in the next load package"
            + (f"; {note}" if note else ""),
        )

    def _list_keys(self, entry: SyncEntry) -> tuple[_Listing, Any]:
        """Every key of the resource (`--reconcile`): the whole list, without the cursor filter
        (Trackstar has no field selection: a page of 1000 records per request)."""
        listing, observed_at = _Listing(self.endpoint, whole=True), None
        for page, extra in self.pages({}):
            observed_at = page.observed_at
            for record in page.records:
                listing.add(record, extra)
            entry.reconcile_pages += 1
        return listing, observed_at

    def _deletion_rows(
        self, entry: SyncEntry, listing: _Listing, observed_at: Any
    ) -> Iterator[Any]:
        """Marks from this run's reads: gone (a complete listing without them) and back."""
        key = (self.connection.connection_id, self.endpoint.table)
        baseline = self.options.baseline
        if listing.complete:
            gone, back = baseline.changes(key, listing.keys)
        else:  # a read since the cursor, or a record without its key: presence only
            gone, back = [], baseline.back(key, listing.keys)
        entry.deleted, entry.restored = len(gone), len(back)
        rows = [
            *deletions.event_rows(self.report.run_id, *key, gone, deletions.DELETED, observed_at),
            *deletions.event_rows(self.report.run_id, *key, back, deletions.RESTORED, observed_at),
        ]
        if rows:
            yield dlt.mark.with_hints(rows, deletions.DELETED_HINTS, create_table_variant=True)

    def _note(self, entry: SyncEntry) -> str | None:
        notes = []
        if entry.cursor_fallback:
            notes.append(
                f"Trackstar refuses {self.endpoint.cursor}[gte] here (HTTP 422): read by "
                + (
                    f"{entry.cursor_field}[gte] with a "
                    f"{int(self.options.fallback_lag.total_seconds() // 3600)} h lag"
                    if entry.cursor_field
                    else "the whole list"
                )
            )
        if entry.reconcile_pages:
            notes.append(f"reconciled: every key listed in {entry.reconcile_pages} pages")
        if entry.deleted:
            notes.append(f"{entry.deleted} records gone from Trackstar: marked deleted")
        if entry.restored:
            notes.append(f"{entry.restored} records marked deleted are back")
        if entry.rejected:
            notes.append(
                f"{entry.rejected} records could not land: set aside in {REJECTED_TABLE}, "
                "the cursor stays before them"
            )
        return "; ".join(notes) or None

    def _rejected_row(self, record: Any, reason: str, page: Page) -> dict[str, Any]:
        key = None
        if isinstance(record, dict):
            parts = [record.get(k) for k in self.endpoint.primary_key if k != "connection_id"]
            if any(p is not None for p in parts):
                key = "|".join("" if p is None else str(p) for p in parts)
        cursor = self.endpoint.cursor
        return {
            "run_id": self.report.run_id,
            "connection_id": self.connection.connection_id,
            "resource": self.endpoint.table,
            "record_key": key,
            "reason": reason,
            "cursor_value": (
                str(record.get(cursor)) if isinstance(record, dict) and cursor in record else None
            ),
            "record": record,
            "observed_at": page.observed_at,
        }


class _Listing:
    """The keys one read of a resource saw; `complete` when the read was a whole listing in
    which every record had its key (a record without one could be any of the missing)."""

    def __init__(self, endpoint: ep.Endpoint, whole: bool) -> None:
        self.endpoint = endpoint
        self.keys: set[str] = set()
        self.complete = whole

    def add(self, record: Any, provided: Mapping[str, Any]) -> None:
        key = deletions.record_key(self.endpoint, record, **provided)
        if key is None:
            self.complete = False
        else:
            self.keys.add(key)


def _names_filter(message: str, field_name: str) -> bool:
    """Whether Trackstar's error names a filter on this field (`updated_date[gte]`, not
    `trackstar_updated_date[gte]`)."""
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(field_name)}\[", message) is not None


def _held_cursor(
    cursor_from: pendulum.DateTime | None,
    cursor_to: pendulum.DateTime | None,
    hold: list[datetime | None],
) -> pendulum.DateTime | None:
    """The cursor after this run when records were set aside: never past the earliest of them
    (`[gte]` reads it again next run), and not moved at all when one has no usable cursor."""
    if not hold:
        return cursor_to
    if any(value is None for value in hold):
        return cursor_from
    earliest = pendulum.instance(min(v for v in hold if v is not None)).in_timezone("UTC")
    if cursor_to is None or earliest < cursor_to:
        cursor_to = earliest if cursor_from is None or earliest > cursor_from else cursor_from
    return cursor_to


def _epoch(value: Any) -> int | None:
    parsed = ep.parse_timestamp(value)
    return int(parsed.timestamp()) if parsed is not None else None


def _skip_reason(
    endpoint: ep.Endpoint, connection: Connection
) -> tuple[str, str, int | None] | None:
    """(status, message, http status) when an endpoint of a connection is not to be requested."""
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


class _FollowRun:
    """Per-record reads of a follower endpoint (packs) for one connection, in one run.

    The parent's run hands over each page of its records; those whose status is one of the
    follower's get one request each, a few in flight at once (the token's rate limiter paces
    them), at most `packs_max_requests` per run. Records of earlier runs still without a read
    for their current version (`packs_backlog`, from the warehouse) go first, so nothing past
    the budget is lost: the next run picks it up.
    """

    def __init__(
        self,
        endpoint: ep.Endpoint,
        connection: Connection,
        client: TrackstarClient,
        options: Options,
        report: RunReport,
        progress: LogProgress,
    ) -> None:
        assert endpoint.follows is not None
        self.endpoint, self.follow = endpoint, endpoint.follows
        self.connection = connection
        self.client = client
        self.options = options
        self.report = report
        self.progress = progress
        self.budget = options.packs_max_requests - options.packs_spent.get(
            connection.connection_id, 0
        )
        self.entry: SyncEntry | None = None
        self.done: set[str] = set()
        self.left_over = 0
        self.hints = _hints(
            endpoint.table,
            write_disposition="merge",
            primary_key=list(endpoint.primary_key),
            columns=endpoint.columns(),
        )

    def start(self) -> None:
        self.entry = self.report.start(
            self.connection.connection_id, self.endpoint.table, self.endpoint.action
        )
        self.progress.started(self.entry)
        skip = _skip_reason(self.endpoint, self.connection)
        if skip is not None:
            self.entry.finish(*skip)

    @property
    def active(self) -> bool:
        return self.entry is not None and self.entry.finished_at is None

    def entry_skipped(self, skip: tuple[str, str, int | None]) -> None:
        if self.active:
            assert self.entry is not None
            self.entry.finish(*skip)

    def backlog_rows(self) -> Iterator[Any]:
        """Reads for records an earlier run loaded whose packs were not read for that version."""
        backlog = self.options.packs_backlog.get(self.connection.connection_id, ())
        yield from self._read([(str(key), version) for key, version in backlog])

    def rows_for(self, records: Sequence[dict[str, Any]]) -> Iterator[Any]:
        """Reads for the records of one parent page that reached one of the statuses."""
        follow = self.follow
        read = self.options.packs_read.get(self.connection.connection_id, set())
        wanted = [
            (str(record["id"]), record.get(ep.CURSOR_FIELD))
            for record in records
            if record.get(follow.status_field) in follow.statuses
        ]
        if read:  # the cursor's lag reads some orders again at a version already read
            wanted = [
                (key, version) for key, version in wanted if (key, _epoch(version)) not in read
            ]
        yield from self._read(wanted)

    def _read(self, wanted: list[tuple[str, Any]]) -> Iterator[Any]:
        wanted = [(key, version) for key, version in wanted if key not in self.done]
        if not self.active or not wanted:
            return
        self.done.update(key for key, _ in wanted)
        room = max(0, self.budget)
        self.left_over += max(0, len(wanted) - room)
        wanted = wanted[:room]
        self.budget -= len(wanted)
        assert self.entry is not None
        rows: list[dict[str, Any]] = []
        step = PACK_REQUESTS_IN_FLIGHT
        with ThreadPoolExecutor(step) as pool:
            # a few at a time, so the first 501/403/401 stops the reads (not a whole budget)
            for at in range(0, len(wanted), step):
                chunk = wanted[at : at + step]
                stop = False
                for (key, version), answer in zip(chunk, pool.map(self._get, chunk), strict=True):
                    if isinstance(answer, TrackstarError):
                        stop = stop or self._stop_on(answer)
                        continue
                    data = answer.body.get("data") if isinstance(answer.body, dict) else None
                    if isinstance(data, dict):
                        rows.append(self._row(key, version, answer, data))
                if len(rows) >= PACK_ROWS_PER_ITEM or (rows and (stop or at + step >= len(wanted))):
                    self.entry.rows += len(rows)
                    self.entry.pages += len(rows)
                    self.progress.advanced(self.entry)
                    yield dlt.mark.with_hints(rows, self.hints, create_table_variant=True)
                    rows = []
                if stop:
                    self.budget += len(wanted) - at - len(chunk)  # not spent after all
                    return

    def _row(
        self, key: str, version: Any, answer: Response, data: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "connection_id": self.connection.connection_id,
            self.follow.key_column: key,
            self.follow.version_column: version,
            "observed_at": answer.observed_at,
            **{k: v for k, v in data.items() if k != "connection_id"},
        }

    def _get(self, item: tuple[str, Any]) -> Response | TrackstarError:
        path = self.endpoint.path.format(**{self.follow.path_param: quote(item[0], safe="")})
        try:
            return self.client.get(
                path,
                access_token=self.connection.access_token,
                connection_id=self.connection.connection_id,
            )
        except RequestInvalid:
            raise
        except TrackstarError as exc:
            return exc

    def _stop_on(self, error: TrackstarError) -> bool:
        """Record an error of one read; True when no further read of this run makes sense."""
        assert self.entry is not None
        if isinstance(error, UnexpectedResponse) and error.status == 404:
            return False  # the record is gone from Trackstar's copy: nothing to read
        if isinstance(error, ConnectionFailed):
            self.connection.mark_failed(error)
        status = CAPABILITY_GAP if isinstance(error, CapabilityGap) else FAILED
        self.entry.finish(status, str(error), error.status)
        return True

    def finish(self) -> None:
        assert self.entry is not None
        self.options.packs_spent[self.connection.connection_id] = (
            self.options.packs_max_requests - self.budget
        )
        skip = _skip_reason(self.endpoint, self.connection)  # e.g. its token failed meanwhile
        if self.active and skip is not None:
            self.entry.finish(*skip)
        if self.active:
            note = None
            if self.left_over:
                note = (
                    f"{self.left_over} records over packs_max_requests "
                    f"({self.options.packs_max_requests}): read by the next runs"
                )
            self.entry.finish(OK, note)
        self.progress.finished(self.entry)

    def sync_log_row(self) -> Any:
        assert self.entry is not None
        return dlt.mark.with_hints(
            self.entry.sync_log_row(), SYNC_LOG_HINTS, create_table_variant=True
        )


def _endpoint_resource(run: _EndpointRun) -> DltResource:
    endpoint = run.endpoint

    def rows() -> Iterator[Any]:  # dlt wants a plain generator function
        yield from run.rows()

    # no table hints on the resource itself: every table it writes (its own, history tables,
    # sync_log) gets its hints as a variant with the rows, so none inherits another's keys
    return dlt.resource(rows, name=run.name, table_name=endpoint.table, parallelized=True)


def _backlog_resource(follower: _FollowRun) -> DltResource:
    """A follower run on its own (its parent not selected): only the backlog is read."""

    def rows() -> Iterator[Any]:
        follower.start()
        try:
            yield from follower.backlog_rows()
        finally:
            follower.finish()
        yield follower.sync_log_row()

    name = resource_name(follower.endpoint.table, follower.connection.connection_id)
    return dlt.resource(rows, name=name, table_name=follower.endpoint.table, parallelized=True)


def _removed_connections(
    listed: Sequence[Connection], baseline: deletions.Baseline, run_id: str, observed_at: Any
) -> list[dict[str, Any]]:
    """Marks for connections GET /connections no longer lists (their data is kept) and for
    removed ones it lists again; `listed` is the whole organisation's list."""
    table = deletions.CONNECTIONS_RESOURCE
    ids = {c.connection_id for c in listed}
    rows = []
    for cid, resource in set(baseline.known) | set(baseline.deleted):
        if resource != table:
            continue
        gone, back = baseline.changes((cid, table), ids & {cid})
        for keys, event in ((gone, deletions.DELETED), (back, deletions.RESTORED)):
            rows += deletions.event_rows(run_id, cid, table, keys, event, observed_at)
    return rows


def _connections_resource(
    connections: Sequence[Connection],
    report: RunReport,
    observed_at: pendulum.DateTime,
    removed: Sequence[dict[str, Any]] = (),
) -> DltResource:
    def rows() -> Iterator[Any]:
        yield dlt.mark.with_hints(
            [{**c.row(), "observed_at": observed_at} for c in connections],
            CONNECTION_HINTS,
            create_table_variant=True,
        )
        if removed:
            for row in removed:
                log.warning(
                    "connection %s %s GET /connections: %s",
                    row["connection_id"],
                    "is gone from" if row["event"] == deletions.DELETED else "is back in",
                    "marked removed, its data kept"
                    if row["event"] == deletions.DELETED
                    else "no longer marked removed",
                )
            yield dlt.mark.with_hints(
                list(removed), deletions.DELETED_HINTS, create_table_variant=True
            )
        for connection in connections:
            if connection.error is not None:
                entry = report.start(connection.connection_id, CONNECTION_RESOURCE)
                entry.finish(FAILED, str(connection.error), connection.error.status)
                yield dlt.mark.with_hints(
                    entry.sync_log_row(), SYNC_LOG_HINTS, create_table_variant=True
                )

    return dlt.resource(rows, name=CONNECTIONS_TABLE, table_name=CONNECTIONS_TABLE)


def _integrations_resource(
    connections: Sequence[Connection], client: TrackstarClient
) -> DltResource:
    """Integration info of the run's integration types (at most one call a run, a day a type)."""

    def rows() -> Iterator[Any]:
        state = dlt.current.resource_state(integrations.TABLE).setdefault("read_at", {})
        types = [c.integration_type for c in connections if c.error is None]
        records = list(integrations.read(client, [t for t in types if t], state))
        if records:
            yield records

    return dlt.resource(
        rows,
        name=integrations.TABLE,
        table_name=integrations.TABLE,
        write_disposition="merge",
        primary_key=["integration_type", "integration_name"],
        columns=integrations.COLUMNS,
    )


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
    fallback_lag_seconds: int = DEFAULT_FALLBACK_LAG_SECONDS,
    packs: bool = True,
    packs_max_requests: int = DEFAULT_PACKS_MAX_REQUESTS,
    packs_backlog: Mapping[str, Sequence[tuple[str, Any]]] | None = None,
    packs_read: Mapping[str, set[tuple[str, int]]] | None = None,
    pages_per_package: int = DEFAULT_PAGES_PER_PACKAGE,
    windows: int = DEFAULT_WINDOWS,
    packs_spent: dict[str, int] | None = None,
    baseline: deletions.Baseline | None = None,
    reconcile: bool = False,
    client: Any = None,
    report: Any = None,
    progress: Any = None,
) -> Iterator[DltResource]:
    """Every list endpoint of every connection (or of `connection_ids`, for `tables`).

    `backfill=(connection_id, table, since)` re-reads that one resource from `since`.
    `packs`: read the packs of orders that reached packing (one request per order, at most
    `packs_max_requests` per connection and run; `packs_backlog` lists the orders of earlier
    runs still to read; `packs_read` the versions recent runs read, not requested again).
    `pages_per_package`: an incremental listing longer than this stops there and the state
    says where; `extract()` continues it in the next load package of the same run, passing the
    same `packs_spent` so that the packs budget is per run, not per package.
    `windows`: a long listing read from scratch is cut into up to this many date windows
    read side by side (date_windows.py; 1: one listing).
    `baseline`: the warehouse's keys and deletion marks at run start, against which complete
    listings mark what is gone (deletions.py); `reconcile`: list every key of the incremental
    resources too.
    `client`, `report` and `progress` may be passed in (extract() does,
    to share them).
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
        fallback_lag=pendulum.duration(seconds=int(fallback_lag_seconds)),
        packs=bool(packs),
        packs_max_requests=int(packs_max_requests),
        packs_backlog=packs_backlog or {},
        packs_read=packs_read or {},
        pages_per_package=max(0, int(pages_per_package)),
        windows=max(1, int(windows)),
        packs_spent=packs_spent if packs_spent is not None else {},
        baseline=baseline or deletions.Baseline(),
        reconcile=bool(reconcile),
    )

    connections = discover(client, access_tokens)
    observed_at = client.server_now()  # the Date of the GET /connections answer
    removed: list[dict[str, Any]] = []
    if access_tokens is None:  # the organisation's whole list: what it lacks is gone
        removed = _removed_connections(connections, options.baseline, report.run_id, observed_at)
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

    def selected(table: str) -> bool:
        return not tables or table in tables

    yield _connections_resource(connections, report, observed_at, removed)
    yield _integrations_resource(connections, client)
    for connection in connections:
        if connection.error is not None:
            continue
        for endpoint in ep.for_vertical(connection.integration_type):
            followers = [
                _FollowRun(follower, connection, client, options, report, progress)
                for follower in ep.followers(endpoint.table)
                if options.packs and selected(follower.table)
            ]
            if selected(endpoint.table):
                run = _EndpointRun(
                    endpoint, connection, client, options, report, progress, followers
                )
                yield _endpoint_resource(run)
            else:
                yield from map(_backlog_resource, followers)
