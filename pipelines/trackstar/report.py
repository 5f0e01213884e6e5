"""What a run did, per connection x resource: the `sync_log` rows and the run's summary.

Resources run in concurrent threads, so every update goes through the report's lock. The same
entries are loaded as `sync_log` rows (in the load package of the data they describe) and
rendered as the summary table people read.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pendulum
from rich.console import Console
from rich.table import Table

log = logging.getLogger("pipelines.extract")

OK = "ok"
FAILED = "failed"
CAPABILITY_GAP = "capability_gap"
SYNC_INCOMPLETE = "sync_incomplete"
SKIPPED = "skipped"
RUNNING = "running"
STATUSES = (OK, FAILED, CAPABILITY_GAP, SYNC_INCOMPLETE, SKIPPED)

SYNC_LOG_TABLE = "sync_log"
SYNC_LOG_COLUMNS: dict[str, dict[str, Any]] = {
    "run_id": {"data_type": "text", "nullable": False},
    "connection_id": {"data_type": "text", "nullable": False},
    "resource": {"data_type": "text", "nullable": False},
    # 1, then 2, 3... where a long listing was committed in several load packages in one run
    "part": {"data_type": "bigint"},
    # the Trackstar function the resource reads (get_orders, ...): the `function_name` of the
    # connection's sync_schedules, so freshness matches Trackstar's crawls to our extractions
    "action": {"data_type": "text"},
    "status": {"data_type": "text", "nullable": False},
    "http_status": {"data_type": "bigint"},
    "message": {"data_type": "text"},
    "rows": {"data_type": "bigint"},
    # records that could not land, set aside in `rejected_records` (the run then exits 1)
    "rejected": {"data_type": "bigint"},
    "pages": {"data_type": "bigint"},
    "seconds": {"data_type": "double"},
    "cursor_from": {"data_type": "timestamp", "timezone": True},
    "cursor_to": {"data_type": "timestamp", "timezone": True},
    # the field the cursor filters on (trackstar_updated_date; carrier files: generated_time) and
    # whether it is a fallback because Trackstar refused the endpoint's own (HTTP 422)
    "cursor_field": {"data_type": "text"},
    "cursor_fallback": {"data_type": "bool"},
    "started_at": {"data_type": "timestamp", "timezone": True},
    "finished_at": {"data_type": "timestamp", "timezone": True},
    # Trackstar's clock (its Date header) when the resource finished: comparable with the
    # connection's sync_schedules, which are on that clock too (our own clock may differ)
    "observed_at": {"data_type": "timestamp", "timezone": True},
}


@dataclass
class SyncEntry:
    """One connection x resource in one run."""

    run_id: str
    connection_id: str
    resource: str
    part: int = 1
    action: str | None = None
    status: str = RUNNING
    http_status: int | None = None
    message: str | None = None
    rows: int = 0
    rejected: int = 0
    pages: int = 0
    seconds: float = 0.0
    cursor_from: pendulum.DateTime | None = None
    cursor_to: pendulum.DateTime | None = None
    cursor_field: str | None = None
    cursor_fallback: bool = False
    deleted: int = 0  # records gone from Trackstar, marked in deleted_records
    restored: int = 0  # records marked deleted that came back
    reconcile_pages: int = 0  # pages of the key listing of a reconcile run
    started_at: pendulum.DateTime = field(default_factory=lambda: pendulum.now("UTC"))
    finished_at: pendulum.DateTime | None = None
    observed_at: pendulum.DateTime | None = None
    _clock: Callable[[], pendulum.DateTime] = field(default=lambda: pendulum.now("UTC"), repr=False)
    _t0: float = field(default_factory=time.monotonic, repr=False)

    def finish(
        self, status: str, message: str | None = None, http_status: int | None = None
    ) -> None:
        self.status = status
        self.message = message
        self.http_status = http_status
        self.finished_at = pendulum.now("UTC")
        self.observed_at = self._clock()
        self.seconds = round(time.monotonic() - self._t0, 3)

    def sync_log_row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in SYNC_LOG_COLUMNS}


class RunReport:
    """Per connection x resource: rows, pages, seconds, status; `.failed`; `.render()`."""

    def __init__(self, run_id: str | None = None) -> None:
        self.run_id = run_id or pendulum.now("UTC").format("YYYYMMDDTHHmmss.SSSSSS") + "Z"
        self.started_at = pendulum.now("UTC")
        self.finished_at: pendulum.DateTime | None = None
        self.load_ids: list[str] = []
        # HTTP counters of the run (set by extract): requests, retries, rate_limited (429s),
        # waited_seconds (spent in the per-token rate limiter)
        self.http: dict[str, float] = {}
        # packages left by an earlier run that could not be loaded and were dropped (their
        # records are read again from the committed cursors); the run then exits 1
        self.dropped_packages = 0
        # Trackstar's clock (extract sets the client's server_now): each entry's observed_at
        self.clock: Callable[[], pendulum.DateTime] = lambda: pendulum.now("UTC")
        self._entries: list[SyncEntry] = []
        self._continuing: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def start(self, connection_id: str, resource: str, action: str | None = None) -> SyncEntry:
        with self._lock:
            part = 1 + sum(
                1
                for e in self._entries
                if (e.connection_id, e.resource) == (connection_id, resource)
            )
            entry = SyncEntry(self.run_id, connection_id, resource, part, action, _clock=self.clock)
            self._entries.append(entry)
        return entry

    def continue_later(self, entry: SyncEntry) -> None:
        """The entry's listing stopped at its page budget: another package of this run
        continues it (its place in the listing is in the resource's state)."""
        with self._lock:
            self._continuing.add((entry.connection_id, entry.resource))

    def take_continuing(self) -> set[tuple[str, str]]:
        """(connection id, resource) whose listings continue, registered since the last call."""
        with self._lock:
            continuing, self._continuing = self._continuing, set()
        return continuing

    @property
    def entries(self) -> list[SyncEntry]:
        with self._lock:
            return sorted(self._entries, key=lambda e: (e.connection_id, e.resource))

    def __iter__(self) -> Iterator[SyncEntry]:
        return iter(self.entries)

    def entry(self, connection_id: str, resource: str) -> SyncEntry:
        """The entry of one connection x resource, its last part where a long listing was
        committed in steps (KeyError if the run did not touch it)."""
        for e in reversed(self.entries):
            if e.connection_id == connection_id and e.resource == resource:
                return e
        raise KeyError((connection_id, resource))

    @property
    def failed(self) -> bool:
        """True when any connection x resource failed (401, retries exhausted, ...), set
        records aside that could not land, or a package of an earlier run had to be dropped."""
        return bool(self.failures) or self.dropped_packages > 0

    @property
    def failures(self) -> list[SyncEntry]:
        return [e for e in self.entries if e.status in (FAILED, RUNNING) or e.rejected]

    @property
    def total_rejected(self) -> int:
        return sum(e.rejected for e in self.entries)

    @property
    def capability_gaps(self) -> list[SyncEntry]:
        return [e for e in self.entries if e.status == CAPABILITY_GAP]

    @property
    def total_rows(self) -> int:
        return sum(e.rows for e in self.entries)

    @property
    def total_pages(self) -> int:
        return sum(e.pages for e in self.entries)

    @property
    def seconds(self) -> float:
        end = self.finished_at or pendulum.now("UTC")
        return (end - self.started_at).total_seconds()

    def rows_by_resource(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for e in self.entries:
            totals[e.resource] = totals.get(e.resource, 0) + e.rows
        return totals

    def table(self) -> Table:
        table = Table(
            title=f"Trackstar extract {self.run_id}: {self.total_rows} rows, "
            f"{self.total_pages} pages, {self.seconds:.1f}s"
            + (
                f", {self.total_rejected} records set aside in rejected_records"
                if self.total_rejected
                else ""
            )
            + (
                f", {self.dropped_packages} unloadable package(s) of an earlier run dropped "
                "(their records were read again)"
                if self.dropped_packages
                else ""
            )
            + (" - SOME CONNECTIONS FAILED" if self.failed else ""),
            title_justify="left",
            caption=", ".join(f"{k.replace('_', ' ')} {v:g}" for k, v in self.http.items()) or None,
            caption_justify="left",
        )
        for name, justify in (
            ("connection", "left"),
            ("resource", "left"),
            ("status", "left"),
            ("rows", "right"),
            ("pages", "right"),
            ("seconds", "right"),
            ("note", "left"),
        ):
            table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
        styles = {OK: "green", FAILED: "bold red", CAPABILITY_GAP: "yellow"}
        parts: dict[tuple[str, str], list[SyncEntry]] = {}
        for e in self.entries:  # one line per resource, however many steps its listing took
            parts.setdefault((e.connection_id, e.resource), []).append(e)
        for (connection_id, resource), steps in parts.items():
            last = steps[-1]
            rows, rejected = sum(e.rows for e in steps), sum(e.rejected for e in steps)
            note = last.message or ""
            if len(steps) > 1:
                note = f"in {len(steps)} load packages" + (f"; {note}" if note else "")
            table.add_row(
                connection_id,
                resource,
                last.status,
                str(rows) + (f" ({rejected} set aside)" if rejected else ""),
                str(sum(e.pages for e in steps)),
                f"{sum(e.seconds for e in steps):.1f}",
                note,
                style="bold red" if rejected else styles.get(last.status),
            )
        return table

    def render(self, width: int = 160) -> str:
        """The summary as text (colour only when printed to a terminal by rich itself)."""
        buffer = io.StringIO()
        Console(file=buffer, width=width, no_color=True, highlight=False).print(self.table())
        return buffer.getvalue()

    def __repr__(self) -> str:
        return (
            f"RunReport(run_id={self.run_id!r}, rows={self.total_rows}, "
            f"entries={len(self._entries)}, failed={self.failed})"
        )
