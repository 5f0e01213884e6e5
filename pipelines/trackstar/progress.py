"""Progress of a run: a live rich display on a terminal, plain log lines otherwise.

Resources report from worker threads; rich's Progress and the logging module are thread-safe.
"""

from __future__ import annotations

import logging
import sys
from contextlib import AbstractContextManager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from pipelines.trackstar.report import FAILED, SyncEntry

log = logging.getLogger("pipelines.extract")


class LogProgress(AbstractContextManager):
    """One log line per finished connection x resource (for cron, CI and log files)."""

    def __enter__(self) -> LogProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def started(self, entry: SyncEntry) -> None:
        log.debug(
            "%s %s: started (cursor %s)", entry.connection_id, entry.resource, entry.cursor_from
        )

    def advanced(self, entry: SyncEntry) -> None:
        if entry.pages % 20 == 0:
            log.info(
                "%s %s: %d rows, %d pages so far",
                entry.connection_id,
                entry.resource,
                entry.rows,
                entry.pages,
            )

    def finished(self, entry: SyncEntry) -> None:
        level = logging.ERROR if entry.status == FAILED else logging.INFO
        note = f" - {entry.message}" if entry.message else ""
        log.log(
            level,
            "%s %s: %s, %d rows, %d pages, %.1fs%s",
            entry.connection_id,
            entry.resource,
            entry.status,
            entry.rows,
            entry.pages,
            entry.seconds,
            note,
        )


class RichProgress(LogProgress):
    """A live line per connection x resource while it runs; finished ones are removed."""

    def __init__(self, console: Console | None = None) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(bar_width=20),
            TextColumn("{task.fields[rows]:>8} rows {task.fields[pages]:>4} pages"),
            TimeElapsedColumn(),
            console=console or Console(),
            transient=True,
        )
        self._overall: Any = None
        self._tasks: dict[int, Any] = {}
        self._rows: dict[int, tuple[int, int]] = {}  # entry -> (rows, pages), for the total line

    def __enter__(self) -> RichProgress:
        self._progress.start()
        self._overall = self._progress.add_task("all connections", total=None, rows=0, pages=0)
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def started(self, entry: SyncEntry) -> None:
        self._tasks[id(entry)] = self._progress.add_task(
            f"{entry.connection_id} {entry.resource}", total=None, rows=0, pages=0
        )

    def advanced(self, entry: SyncEntry) -> None:
        task = self._tasks.get(id(entry))
        if task is not None:
            self._progress.update(task, rows=entry.rows, pages=entry.pages)
        self._rows[id(entry)] = (entry.rows, entry.pages)
        self._progress.update(
            self._overall,
            rows=sum(r for r, _ in self._rows.values()),
            pages=sum(p for _, p in self._rows.values()),
        )

    def finished(self, entry: SyncEntry) -> None:
        task = self._tasks.pop(id(entry), None)
        if task is not None:
            self._progress.remove_task(task)
        super().finished(entry)  # the log line too: run logs are written to a file as well


def make_progress(enabled: bool | None) -> LogProgress:
    """`None`: a rich display when stdout is a terminal, log lines otherwise."""
    if enabled is None:
        enabled = sys.stdout.isatty()
    return RichProgress() if enabled else LogProgress()
