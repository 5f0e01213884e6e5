"""Faults on demand: every switch is off by default and can be flipped per test."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from pipelines.simulator.render import iso

LISTS = ("invalid_connections", "connections_without_tokens")
MAPPINGS = ("refuse_filters", "poison_records", "sync_problems", "failing_paths")
POISON_KINDS = ("missing_id", "bad_cursor", "bad_nested")
SYNC_PROBLEMS = ("stuck", "error")
STUCK_FOR = 12 * 3600  # a stuck crawl started this long ago and never ended


@dataclass
class Faults:
    error_rate: float = 0.0  # fraction of data requests answered 500/502/503
    burst_429: int = 0  # the next N data requests answer 429 with retry-after
    latency_ms: int = 0  # every response is delayed this long
    invalid_connections: list[str] = field(default_factory=list)  # their tokens answer 401
    truncate_pages: int = 0  # the next N list pages are cut off mid-JSON
    malformed_pages: int = 0  # the next N list pages are not JSON at all
    drift_new_field: bool = False  # records gain a field the docs never mentioned
    drift_type_change: bool = False  # package shipping_cost becomes a string
    # list path ("/wms/orders", or "*" for every one) -> date fields whose filters it refuses
    # ("trackstar_updated_date"), or one operator of one ("trackstar_updated_date[lt]"),
    # with a 422 naming the parameter, as Trackstar does for a filter an endpoint lacks
    refuse_filters: dict[str, list[str]] = field(default_factory=dict)
    minimal_records: bool = False  # records carry only the fields the docs mark required
    # list path -> how the first record of each of its pages is broken while set:
    # "missing_id" (no id), "bad_cursor" (an unparsable trackstar_updated_date),
    # "bad_nested" (line_items is a string, not a list)
    poison_records: dict[str, str] = field(default_factory=dict)
    # connection ids that GET /connections lists without their access_token
    connections_without_tokens: list[str] = field(default_factory=list)
    # connection id -> {function_name: "stuck" | "error"}: GET /connections reports that
    # function's Trackstar sync as stuck (a crawl started 12 h ago still running) or failing
    # (sync_status "error", its last completed crawl 6 h ago)
    sync_problems: dict[str, dict[str, str]] = field(default_factory=dict)
    # the next N requests to GET /connections (discovery) answer 503
    connections_errors: int = 0
    # request path ("/wms/warehouses/wh_acme_2/locations") -> the HTTP status every request of
    # it answers while set (500: a listing that cannot complete, whatever the retries)
    failing_paths: dict[str, int] = field(default_factory=dict)
    seed: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(self.seed)

    def update(self, **changes: Any) -> None:
        """Set faults by name; an unknown name is a TypeError naming it."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise TypeError(f"unknown fault(s) {unknown}; known: {sorted(known)}")
        bad = {k: v for k, v in changes.get("poison_records", {}).items() if v not in POISON_KINDS}
        if bad:
            raise TypeError(f"unknown poison kind(s) {bad}; known: {list(POISON_KINDS)}")
        bad = {
            f"{cid}/{action}": kind
            for cid, problems in changes.get("sync_problems", {}).items()
            for action, kind in problems.items()
            if kind not in SYNC_PROBLEMS
        }
        if bad:
            raise TypeError(f"unknown sync problem(s) {bad}; known: {list(SYNC_PROBLEMS)}")
        with self._lock:
            for name, value in changes.items():
                if name in LISTS:
                    value = list(value)
                elif name in MAPPINGS:
                    value = dict(value)
                setattr(self, name, value)

    def refused(self, path: str, date_field: str, op: str) -> bool:
        """Whether the list at `path` refuses filters on `date_field` (an entry naming the
        field) or this operator of it (an entry `field[op]`)."""
        entries = {e for key in (path, "*") for e in self.refuse_filters.get(key, ())}
        return date_field in entries or f"{date_field}[{op}]" in entries

    def poison(self, path: str, records: list[dict[str, Any]]) -> None:
        """Break the page's first record the way `poison_records` says, in place."""
        kind = self.poison_records.get(path)
        if not kind or not records:
            return
        first = records[0]
        if kind == "missing_id":
            first.pop("id", None)
        elif kind == "bad_cursor":
            first["trackstar_updated_date"] = "not a date"
        elif kind == "bad_nested":
            first["line_items"] = "not a list"
        else:
            raise ValueError(f"unknown poison kind {kind!r}; known: {list(POISON_KINDS)}")

    def sync_schedules(self, connection_id: str, schedules: list[dict[str, Any]], now: int) -> None:
        """Make the schedules `sync_problems` names stuck or failing, in place."""
        problems = self.sync_problems.get(connection_id, {})
        for schedule in schedules:
            kind = problems.get(schedule["function_name"])
            if kind == "stuck":
                schedule["last_crawl_start"] = iso(now - STUCK_FOR)
                schedule["last_crawl_end"] = iso(now - STUCK_FOR - 1700)
                schedule["in_progress"], schedule["sync_status"] = True, "sync_in_progress"
            elif kind == "error":
                schedule["last_crawl_end"] = iso(now - 6 * 3600)
                schedule["in_progress"], schedule["sync_status"] = False, "error"
            if kind:
                schedule["latest_sync"] = schedule["last_crawl_end"]

    def reset(self) -> None:
        """Every fault off again."""
        defaults = Faults()
        self.update(**{f.name: getattr(defaults, f.name) for f in fields(self) if f.name != "seed"})

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if not k.startswith("_")}

    def maybe_delay(self) -> None:
        if self.latency_ms:
            time.sleep(self.latency_ms / 1000)

    def before_data_request(self) -> None:
        """429 bursts and random 5xx, decided before any data is read."""
        from pipelines.simulator.server import ApiError

        with self._lock:
            if self.burst_429 > 0:
                self.burst_429 -= 1
                raise ApiError(
                    429,
                    "Rate limit exceeded",
                    headers={
                        "x-ratelimit-limit": "10",
                        "x-ratelimit-remaining": "0",
                        "x-ratelimit-reset": str(int(time.time()) + 1),
                        "retry-after": "1",
                    },
                )
            if self.error_rate and self._rng.random() < self.error_rate:
                status = self._rng.choice([500, 502, 503])
                raise ApiError(status, "Internal server error (injected)")

    def before_connections_request(self) -> None:
        """A 503 while `connections_errors` lasts (discovery's own retry budget is tested)."""
        from pipelines.simulator.server import ApiError

        with self._lock:
            if self.connections_errors > 0:
                self.connections_errors -= 1
                raise ApiError(503, "Service unavailable (injected)")

    def check_path(self, path: str) -> None:
        """The status `failing_paths` sets for this path, as an error."""
        from pipelines.simulator.server import ApiError

        status = self.failing_paths.get(path)
        if status is not None:
            raise ApiError(status, f"Internal server error on {path} (injected)")

    def corrupt(self, raw: bytes) -> bytes:
        """A truncated or malformed list page, when switched on."""
        with self._lock:
            if self.truncate_pages > 0:
                self.truncate_pages -= 1
                return raw[: max(1, len(raw) // 2)]
            if self.malformed_pages > 0:
                self.malformed_pages -= 1
                return b"<html><body>502 Bad Gateway</body></html>"
        return raw
