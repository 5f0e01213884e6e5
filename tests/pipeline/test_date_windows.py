"""How a long listing is cut into date windows (pipelines/trackstar/date_windows.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pendulum
import pytest

from pipelines.trackstar.client import Page
from pipelines.trackstar.date_windows import MIN_RECORDS, Window, interleave, plan
from pipelines.trackstar.source import _iso

NOW = pendulum.datetime(2026, 11, 1, tz="UTC")
CURSOR = "trackstar_updated_date"


def first_page(total: int, oldest: str, next_token: str | None = "t2") -> Page:
    records = [{"id": "a", CURSOR: "2026-10-30T00:00:00Z"}, {"id": "b", CURSOR: oldest}]
    return Page(records, 1, None, NOW, total_count=total, next_token=next_token)


def test_windows_split_the_time_from_the_oldest_record_to_now_evenly_with_no_gap():
    planned = plan(first_page(9_000, "2026-10-21T00:00:00Z"), CURSOR, None, NOW, 4, _iso)
    assert planned == [
        Window(None, "2026-10-23T18:00:00Z"),
        Window("2026-10-23T18:00:00Z", "2026-10-26T12:00:00Z"),
        Window("2026-10-26T12:00:00Z", "2026-10-29T06:00:00Z"),
        Window("2026-10-29T06:00:00Z", None),
    ]
    assert planned[1].params({f"{CURSOR}[gte]": "x", "status": "open"}, CURSOR) == {
        "status": "open",
        f"{CURSOR}[gte]": "2026-10-23T18:00:00Z",
        f"{CURSOR}[lt]": "2026-10-26T12:00:00Z",
    }


def test_no_more_windows_than_the_records_fill_and_none_for_a_short_listing():
    assert len(plan(first_page(3 * MIN_RECORDS, "2026-10-21"), CURSOR, None, NOW, 8, _iso)) == 3
    assert plan(first_page(2 * MIN_RECORDS - 1, "2026-10-21"), CURSOR, None, NOW, 8, _iso) is None
    assert plan(first_page(10**6, "2026-10-21", None), CURSOR, None, NOW, 8, _iso) is None
    assert plan(first_page(10**6, "2026-10-21"), CURSOR, None, NOW, 1, _iso) is None


def test_the_first_window_starts_where_the_listing_does():
    since = pendulum.datetime(2026, 10, 25, tz="UTC")
    planned = plan(first_page(9_000, "2026-10-21T00:00:00Z"), CURSOR, since, NOW, 2, _iso)
    assert planned == [
        Window("2026-10-25T00:00:00Z", "2026-10-28T12:00:00Z"),
        Window("2026-10-28T12:00:00Z", None),
    ]


def test_interleave_asks_for_no_page_beyond_the_budget_and_notes_where_each_window_goes_on():
    pages = {"a": ["a2", "a3", None], "b": [None]}  # the next_token of each window's pages
    asked: list[str] = []

    def start(window: Window) -> Iterator[Page]:
        asked.append(window.gte)
        token = pages[window.gte].pop(0)
        return iter([Page([{"id": window.gte}], 1, None, NOW, next_token=token)])

    planned = [Window("a", None), Window("b", None)]
    got = list(interleave(planned, start, 3, repeated=lambda page: AssertionError(page)))
    assert [p.next_token for p in got] == ["a2", None, "a3"] and asked == ["a", "b", "a"]
    assert planned == [Window("a", None, "a3", False), Window("b", None, None, True)]
    got = list(interleave(planned, start, 3, repeated=lambda page: AssertionError(page)))
    assert [p.next_token for p in got] == [None] and planned[0].done


def test_interleave_fails_on_a_page_token_given_twice():
    def start(window: Window) -> Iterator[Page]:
        return iter([Page([], 1, None, NOW, next_token="same")])

    with pytest.raises(ValueError, match="twice"):
        list(interleave([Window(None, None)], start, None, lambda page: ValueError("twice")))
