"""A long listing read as several date windows at once, to use a token's whole rate budget.

One listing pages one `next_token` at a time: each page waits for the one before, so a token
allowed 10 GET/s gets 1/latency of them. A listing that starts from scratch (a first load, a
backfill, a long outage) with more records than one step (`pages_per_package` pages) and at
least `2 * MIN_RECORDS` is instead cut into up to `windows` ranges of its cursor, `[gte]`/`[lt]`, read side by side; together they cover exactly
what the one listing covers, and each keeps its own page token in the resource's state, so a
step (load package) that stops resumes every window where it stopped. (A record without a
cursor value is in no window, as it is in no incremental read.)

The first page of the plain listing tells how many records there are (`total_count`) and from
when (its oldest cursor value); the ranges split the time from then to now evenly. That page is
read again by the windows (one request more), since nothing says which records it held.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import pendulum

from pipelines.trackstar import endpoints as ep
from pipelines.trackstar.client import Page

MIN_RECORDS = 2_000  # per window: a smaller listing is not worth the extra first page


@dataclass
class Window:
    """One range of the cursor, `[gte, lt)` (None: open), and where its reading stands."""

    gte: str | None
    lt: str | None
    page_token: str | None = None
    done: bool = False

    def params(self, params: dict[str, str], cursor: str) -> dict[str, str]:
        """The listing's filters with this window's range on `cursor`."""
        out = {k: v for k, v in params.items() if k != f"{cursor}[gte]"}
        if self.gte is not None:
            out[f"{cursor}[gte]"] = self.gte
        if self.lt is not None:
            out[f"{cursor}[lt]"] = self.lt
        return out


def plan(
    first: Page,
    cursor: str,
    cursor_from: datetime | None,
    now: datetime,
    windows: int,
    iso: Any,
) -> list[Window] | None:
    """The windows for a listing whose first page is `first`, or None: read it as one listing."""
    total = first.total_count
    if windows < 2 or not first.next_token or not isinstance(total, int):
        return None
    count = min(windows, total // MIN_RECORDS)
    values = [ep.parse_timestamp(r.get(cursor)) for r in first.records if isinstance(r, dict)]
    seen = [v for v in values if v is not None]
    if count < 2 or not seen:
        return None
    start = pendulum.instance(min(seen))
    if cursor_from is not None:
        start = max(start, pendulum.instance(cursor_from))
    end = pendulum.instance(now)
    if start >= end:
        return None
    step = (end - start) / count
    bounds = sorted({iso(start + step * i) for i in range(1, count)})
    edges: list[str | None] = [iso(cursor_from) if cursor_from else None, *bounds, None]
    return [Window(gte, lt) for gte, lt in itertools.pairwise(edges)]


def to_state(windows: Sequence[Window]) -> list[dict[str, Any]]:
    return [asdict(w) for w in windows]


def from_state(saved: Any) -> list[Window] | None:
    if not saved:
        return None
    return [Window(**w) for w in saved]


def interleave(
    planned: Sequence[Window],
    start: Callable[[Window], Iterator[Page]],
    budget: int | None,
    repeated: Callable[[Page], Exception],
) -> Iterator[Page]:
    """The pages of the windows not done yet, at most `budget` (None: all), in the order they
    were asked for. `start(window)` requests the window's next page at once and returns it
    as a one-page iterator: each window has one request in flight, and no page is asked for
    beyond the budget, so a step that ends wastes no request. Each window notes where it
    goes on; `repeated(page)` is raised for a page token a window was given twice."""
    pending: deque[tuple[Window, Iterator[Page]]] = deque()
    tokens: dict[int, set[str]] = {}
    requested = 0

    def ask(window: Window) -> None:
        nonlocal requested
        if budget is None or requested < budget:
            requested += 1
            pending.append((window, start(window)))

    for window in planned:
        if not window.done:
            ask(window)
    while pending:
        window, pages = pending.popleft()
        page = next(pages)
        token = page.next_token
        window.page_token, window.done = token, token is None
        if token is not None:
            seen = tokens.setdefault(id(window), set())
            if token in seen:
                raise repeated(page)
            seen.add(token)
            ask(window)
        yield page
