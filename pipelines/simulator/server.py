"""Trackstar's HTTP contract over the world: auth, routing, filters, pagination, rate limit, faults.

Routes come from `resources.RESOURCES`: every resource gets its list path and its single-record
path; nothing here is written per endpoint.
"""

from __future__ import annotations

import base64
import collections
import dataclasses
import json
import operator
import re
import threading
import time
import uuid
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import orjson
import pendulum

from pipelines.simulator.faults import Faults
from pipelines.simulator.integrations import INTEGRATION_TYPES, integrations_json
from pipelines.simulator.resources import BY_NAME, RESOURCES, Resource, render_order_packs
from pipelines.simulator.world import Connection, Rec, World
from pipelines.trackstar import documented

MAX_LIMIT = 1000
MAX_IN_VALUES = 100
RATE_PER_SECOND = 10
DATE_FIELDS = ("created_date", "updated_date", "trackstar_created_date", "trackstar_updated_date")
FILTER_FIELDS = (*DATE_FIELDS, "status", "warehouse_customer_id")
OPS = ("eq", "neq", "gt", "gte", "lt", "lte", "in", "nin")
FILTER_RE = re.compile(r"^(?P<field>[a-z_]+)(\[(?P<op>[a-z]*)\])?$")
COMPARE = {
    "eq": operator.eq,
    "neq": operator.ne,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "in": lambda v, t: v in t,
    "nin": lambda v, t: v not in t,
}
REC_FIELD = {
    "created_date": "created",
    "updated_date": "updated",
    "trackstar_created_date": "tcreated",
    "trackstar_updated_date": "tud",
    "status": "status",
    "generated_time": "created",  # carrier files: the file was generated when it was created
}
PACKS_RE = re.compile(r"^/wms/orders/(?P<order_id>[^/]+)/packs$")


class ApiError(Exception):
    def __init__(
        self, status: int, message: str, origin: str = "trackstar", headers: dict | None = None
    ):
        super().__init__(message)
        self.status, self.message, self.origin, self.headers = (
            status,
            message,
            origin,
            headers or {},
        )


def _routes() -> list[tuple[re.Pattern[str], Resource, bool]]:
    """(pattern, resource, single?) for every resource; list paths first, then single records."""

    def pattern(path: str) -> re.Pattern[str]:
        return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path) + "$")

    lists = [(pattern(r.path), r, False) for r in RESOURCES]
    # carrier files have no id, so no single-record path
    singles = [(pattern(r.single_path), r, True) for r in RESOURCES if r.name != "carrier_files"]
    return lists + singles


ROUTES = _routes()


def _ts(value: str, param: str) -> int:
    try:
        return int(pendulum.parse(value).timestamp())
    except (ValueError, pendulum.parsing.exceptions.ParserError):
        raise ApiError(422, f"Invalid date for filter {param}: {value!r}") from None


class RateLimiter:
    """10 GET/s per access token over a sliding one-second window."""

    def __init__(self, per_second: int = RATE_PER_SECOND) -> None:
        self.per_second = per_second
        self.hits: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)
        self.lock = threading.Lock()

    def check(self, token: str) -> dict[str, str]:
        now = time.monotonic()
        with self.lock:
            window = self.hits[token]
            while window and window[0] <= now - 1.0:
                window.popleft()
            reset = int(time.time()) + 1
            if len(window) >= self.per_second:
                wait = max(1, round(window[0] + 1.0 - now + 0.5))
                raise ApiError(
                    429,
                    "Rate limit exceeded",
                    headers={
                        "x-ratelimit-limit": str(self.per_second),
                        "x-ratelimit-remaining": "0",
                        "x-ratelimit-reset": str(reset),
                        "retry-after": str(wait),
                    },
                )
            window.append(now)
            return {
                "x-ratelimit-limit": str(self.per_second),
                "x-ratelimit-remaining": str(self.per_second - len(window)),
                "x-ratelimit-reset": str(reset),
            }


class RequestLog:
    """When each data request of each connection (access token) came, for what, and its answer.

    For load tests: `GET /_sim/requests` reports, per token and per resource, the requests per
    second over the busy period (first to last request) and the 429s. Bounded per connection
    (the newest entries).
    """

    def __init__(self, keep: int = 1_000_000) -> None:
        self.entries: dict[str, collections.deque[tuple[float, int, str]]] = (
            collections.defaultdict(lambda: collections.deque(maxlen=keep))
        )
        self.lock = threading.Lock()

    def record(self, connection_id: str, resource: str, status: int) -> None:
        with self.lock:
            self.entries[connection_id].append((time.monotonic(), status, resource))

    @staticmethod
    def _rate(log: list[tuple[float, int, str]]) -> dict[str, Any]:
        busy = log[-1][0] - log[0][0]
        passed = sum(status != 429 for _, status, _ in log)  # what the rate limiter let through
        return {
            "requests": len(log),
            "rate_limited": sum(status == 429 for _, status, _ in log),
            "busy_seconds": round(busy, 3),
            # n requests at r per second span (n - 1) / r seconds; a busy period is at least the
            # rate limit's one-second window (a burst of 4 requests is 4 in that second)
            "requests_per_second": round((passed - 1) / busy if busy >= 1 else passed, 3),
        }

    def summary(self) -> dict[str, dict[str, Any]]:
        """Per connection: its rate (`_rate`), answers by status, and the rate per resource."""
        with self.lock:
            entries = {cid: list(log) for cid, log in self.entries.items()}
        out = {}
        for cid, log in entries.items():
            by_resource = collections.defaultdict(list)
            for entry in log:
                by_resource[entry[2]].append(entry)
            out[cid] = {
                **self._rate(log),
                "by_status": dict(collections.Counter(str(status) for _, status, _ in log)),
                "resources": {name: self._rate(rows) for name, rows in by_resource.items()},
            }
        return out


class Api:
    """The request logic, independent of the HTTP plumbing."""

    def __init__(self, world: World, faults: Faults, rate_limit: bool = True) -> None:
        self.world, self.faults = world, faults
        self.limiter = RateLimiter() if rate_limit else None
        self.count_cache: dict[tuple, int] = {}
        self.requests = RequestLog()
        self.integrations_read_at: int | None = None  # the last GET /integrations (sim clock)
        self.integrations_calls = 0

    # ---------------------------------------------------------------- auth
    def _auth(self, headers: Any, need_token: bool) -> Connection | None:
        if headers.get("x-trackstar-api-key") != self.world.api_key:
            raise ApiError(401, "Invalid API key")
        if not need_token:
            return None
        token = headers.get("x-trackstar-access-token")
        conn = self.world.connection_by_token(token or "")
        if conn is None or conn.connection_id in self.faults.invalid_connections:
            raise ApiError(401, "Invalid access token")
        return conn

    # ---------------------------------------------------------------- entry point
    def handle(
        self, method: str, path: str, query: list[tuple[str, str]], headers: Any, body: bytes
    ) -> tuple[int, dict[str, str], Any]:
        if path.startswith("/_sim/"):
            self._auth(headers, need_token=False)
            return self._control(method, path, body)
        if method != "GET":
            raise ApiError(405, f"{method} is not supported by the simulator")
        if path.startswith("/integrations/"):
            self._auth(headers, need_token=False)
            return 200, {}, self._integrations(path.removeprefix("/integrations/"))
        if path == "/connections" or path.startswith("/connections/"):
            self._auth(headers, need_token=False)
            self.faults.before_connections_request()
            return 200, {}, self._connections(path, query)
        packs = PACKS_RE.match(path)
        for pattern, resource, single in ROUTES:  # noqa: B007 (used after the break)
            match = packs or pattern.match(path)
            if match:
                resource = BY_NAME["wms_orders"] if packs else resource
                break
        else:
            raise ApiError(404, f"Not found: {path}")
        conn = self._auth(headers, need_token=True)
        assert conn is not None
        what = f"{resource.name}/packs" if packs else resource.name
        try:
            answer = self._data(conn, resource, match, bool(packs), single, query, path)
        except ApiError as exc:
            self.requests.record(conn.connection_id, what, exc.status)
            raise
        self.requests.record(conn.connection_id, what, answer[0])
        return answer

    def _data(
        self,
        conn: Connection,
        resource: Resource,
        match: re.Match[str],
        packs: bool,
        single: bool,
        query: list[tuple[str, str]],
        path: str,
    ) -> tuple[int, dict[str, str], Any]:
        """A data request of an authenticated connection: rate limit, faults, the answer."""
        rate_headers = self.limiter.check(conn.access_token) if self.limiter else {}
        self.faults.before_data_request()
        self.faults.check_path(path)
        if conn.integration_type != resource.vertical:
            raise ApiError(
                501,
                f"Endpoint {resource.action} is not implemented for "
                f"{conn.integration_display_name}",
                origin="trackstar",
                headers=rate_headers,
            )
        if resource.action in conn.unsupported:
            code = conn.unsupported[resource.action]
            message = (
                f"Endpoint {resource.action} is not implemented for {conn.integration_display_name}"
                if code == 501
                else f"Endpoint {resource.action} is not enabled for this organization"
            )
            raise ApiError(code, message, headers=rate_headers)
        with self.world.lock:
            conn.last_used = self.world.now
            conn.times_used += 1
            if packs:
                return 200, rate_headers, {"data": self._packs(conn, match["order_id"])}
            if single:
                return 200, rate_headers, {"data": self._single(conn, resource, match.groupdict())}
            return 200, rate_headers, self._list(conn, resource, match.groupdict(), query)

    # ---------------------------------------------------------------- management
    def _connections(self, path: str, query: list[tuple[str, str]]) -> dict[str, Any]:
        with self.world.lock:
            if path == "/connections":
                params = dict(query)
                try:
                    limit = max(1, min(int(params.get("limit", MAX_LIMIT)), MAX_LIMIT))
                    start = int(params.get("page_token") or 0)
                except ValueError:
                    raise ApiError(422, "Invalid limit or page_token") from None
                rows = [self._connection_json(c) for c in self.world.listed_connections]
                page = rows[start : start + limit]
                nxt = str(start + limit) if start + limit < len(rows) else None
                return {"data": page, "next_token": nxt, "total_count": len(rows)}
            cid = path.removeprefix("/connections/")
            conn = next((c for c in self.world.listed_connections if c.connection_id == cid), None)
            if conn is None:
                raise ApiError(404, f"Connection {cid} not found")
            return {"data": self._connection_json(conn)}

    def _integrations(self, integration_type: str) -> dict[str, Any]:
        """`GET /integrations/{integration_type}`: one call a minute per organisation (on the
        simulated clock, which the Date header shows), when the rate limit is on."""
        if integration_type not in INTEGRATION_TYPES:
            raise ApiError(
                422,
                f"Invalid integration_type {integration_type!r}; one of {list(INTEGRATION_TYPES)}",
            )
        with self.world.lock:
            now, last = self.world.now, self.integrations_read_at
            if self.limiter is not None and last is not None and now - last < 60:
                wait = str(60 - (now - last))
                raise ApiError(429, "Rate limit exceeded", headers={"retry-after": wait})
            self.integrations_read_at = now
            self.integrations_calls += 1
            return integrations_json(self.world, integration_type)

    def _connection_json(self, conn: Connection) -> dict[str, Any]:
        row = self.world.connection_json(conn)
        self.faults.sync_schedules(conn.connection_id, row["sync_schedules"], self.world.now)
        if conn.connection_id in self.faults.connections_without_tokens:
            del row["access_token"]
        if self.faults.minimal_records:
            row = documented.prune_to_required(row, "connections")
            if conn.connection_id not in self.faults.connections_without_tokens:
                row["access_token"] = conn.access_token  # the extra a client reads data with
        return row

    def _control(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, str], Any]:
        try:
            payload = json.loads(body) if body else {}
        except ValueError:
            raise ApiError(422, "The request body is not JSON") from None
        if not isinstance(payload, dict):
            raise ApiError(422, "The request body must be a JSON object")
        if path == "/_sim/clock" and method == "GET":
            return 200, {}, {"now": pendulum.from_timestamp(self.world.now).to_iso8601_string()}
        if path == "/_sim/advance" and method == "POST":
            seconds = int(payload.get("hours", 0) * 3600 + payload.get("minutes", 0) * 60)
            if seconds <= 0:
                raise ApiError(422, "advance needs a positive 'hours' or 'minutes'")
            self.world.advance(seconds)
            return 200, {}, {"now": pendulum.from_timestamp(self.world.now).to_iso8601_string()}
        if path == "/_sim/faults" and method in ("PUT", "POST"):
            try:
                self.faults.update(**payload)
            except TypeError as exc:
                raise ApiError(422, str(exc)) from None
            return 200, {}, self.faults.as_dict()
        if path == "/_sim/faults" and method == "GET":
            return 200, {}, self.faults.as_dict()
        if path == "/_sim/requests" and method == "GET":
            return 200, {}, {"connections": self.requests.summary()}
        raise ApiError(404, f"Not found: {method} {path}")

    # ---------------------------------------------------------------- data
    def _packs(self, conn: Connection, order_id: str) -> orjson.Fragment:
        """`GET /wms/orders/{order_id}/packs`: one order's cartons (none before it is packed)."""
        if conn.packs_unsupported:
            raise ApiError(
                501,
                f"Endpoint get_order_packs is not implemented for {conn.integration_display_name}",
            )
        rec = conn.stores["wms_orders"].recs.get(order_id)
        if rec is None or not conn.sync_completed("get_orders", self.world.now):
            raise ApiError(404, f"Order {order_id} not found")
        record = render_order_packs(conn.ctx, rec)
        if self.faults.minimal_records:
            record = documented.prune_to_required(record, "wms_order_packs")
        return orjson.Fragment(orjson.dumps(record))

    def _single(
        self, conn: Connection, resource: Resource, params: dict[str, str]
    ) -> orjson.Fragment:
        rec = conn.stores[resource.name].recs.get(params["id"])
        if rec is None or not self._visible(conn, resource, rec, params):
            raise ApiError(404, f"{resource.name} {params['id']} not found")
        return orjson.Fragment(self._page(conn, resource, [rec])[1:-1])

    def _page(self, conn: Connection, resource: Resource, recs: list[Rec]) -> bytes:
        """Records as a JSON array, with this request's drift faults (the connection's own
        context stays untouched)."""
        ctx = dataclasses.replace(
            conn.ctx,
            now=self.world.now,
            drift_new_field=self.faults.drift_new_field,
            drift_type_change=self.faults.drift_type_change,
        )
        raw = resource.json(ctx, recs)
        if self.faults.minimal_records or resource.path in self.faults.poison_records:
            records = orjson.loads(raw)
            if self.faults.minimal_records:
                records = [documented.prune_to_required(r, resource.name) for r in records]
            self.faults.poison(resource.path, records)
            raw = orjson.dumps(records)
        return raw

    def _visible(
        self, conn: Connection, resource: Resource, rec: Rec, params: dict[str, str]
    ) -> bool:
        if not conn.sync_completed(resource.action, self.world.now):
            return False
        if resource.parent_param:
            return (rec.data or {}).get(resource.parent_param) == params.get(resource.parent_param)
        return True

    def _parse_filters(self, resource: Resource, query: list[tuple[str, str]]):
        filters: list[tuple[str, str, Any]] = []
        ids: list[str] | None = None
        limit, token = MAX_LIMIT, None
        for name, value in query:
            if name == "limit":
                try:
                    limit = max(1, min(int(value), MAX_LIMIT))
                except ValueError:
                    raise ApiError(422, f"Invalid value for limit: {value!r}") from None
                continue
            if name == "page_token":
                token = value
                continue
            if resource.name == "carrier_files" and name in ("start_time", "end_time"):
                op = "gte" if name == "start_time" else "lte"
                filters.append(("generated_time", op, _ts(value, name)))
                continue
            m = FILTER_RE.match(name)
            field, op = (m.group("field"), m.group("op") or "eq") if m else (name, "eq")
            if name == "ids[in]":
                ids = [v for v in value.split(",") if v]
                if len(ids) > MAX_IN_VALUES:
                    raise ApiError(
                        422, f"Too many values for ids[in]: {len(ids)} (max {MAX_IN_VALUES})"
                    )
                continue
            if not m or field not in FILTER_FIELDS or op not in OPS:
                raise ApiError(422, f"Unknown filter parameter: {name}")
            if resource.name == "carrier_files" and field in DATE_FIELDS:  # files have no dates
                raise ApiError(422, f"Unknown filter parameter: {name} (use start_time/end_time)")
            if field in DATE_FIELDS and self.faults.refused(resource.path, field, op):
                raise ApiError(422, f"Invalid filter: {name} is not supported on {resource.path}")
            if op in ("in", "nin"):
                values = [v for v in value.split(",") if v]
                if len(values) > MAX_IN_VALUES:
                    raise ApiError(
                        422, f"Too many values for {name}: {len(values)} (max {MAX_IN_VALUES})"
                    )
                parsed: Any = (
                    {_ts(v, name) for v in values} if field in DATE_FIELDS else set(values)
                )
            else:
                parsed = _ts(value, name) if field in DATE_FIELDS else value
            filters.append((field, op, parsed))
        if resource.name == "carrier_files" and not any(f[0] == "generated_time" for f in filters):
            # without a window, only the files of the last 24 h (Trackstar's carrier files page)
            filters.append(("generated_time", "gte", self.world.now - 86400))
        return filters, ids, limit, token

    @staticmethod
    def _predicate(conn: Connection, field: str, op: str, target: Any):
        """One filter as a function of a record; a missing value only passes `neq` and `nin`."""
        compare = COMPARE[op]
        if field in REC_FIELD:
            get = operator.attrgetter(REC_FIELD[field])
        else:  # warehouse_customer_id, as the renderers derive it
            wcs = conn.ctx.warehouse_customers
            get = lambda rec: wcs[rec.key % len(wcs)]  # noqa: E731
        none_passes = op in ("neq", "nin")

        def keep(rec: Rec) -> bool:
            value = get(rec)
            return none_passes if value is None else compare(value, target)

        return keep

    def _list(
        self,
        conn: Connection,
        resource: Resource,
        params: dict[str, str],
        query: list[tuple[str, str]],
    ) -> dict[str, Any]:
        filters, ids, limit, token = self._parse_filters(resource, query)
        store = conn.stores[resource.name]
        if not conn.sync_completed(resource.action, self.world.now):
            return {"data": [], "next_token": None, "total_count": 0}
        if ids is not None:  # ids[in] overrides every other filter
            recs = [store.recs[i] for i in ids if i in store.recs]
            recs = [r for r in recs if self._visible(conn, resource, r, params)]
            return {
                "data": orjson.Fragment(self._page(conn, resource, recs)),
                "next_token": None,
                "total_count": len(recs),
            }
        first = 0  # the cursor filter is a bisect into the change log (ordered by trackstar_updated_date)
        cursor = [
            (f, op, t)
            for f, op, t in filters
            if f == "trackstar_updated_date" and op in ("gte", "gt")
        ]
        for _field, op, target in cursor:
            first = max(first, store.position(target, inclusive=(op == "gte")))
        start = first
        if token:
            try:
                start = max(start, int(base64.urlsafe_b64decode(token.encode()).decode()))
            except ValueError:
                raise ApiError(422, "Invalid page_token") from None

        tests = [
            self._predicate(conn, f, op, t) for f, op, t in filters if (f, op, t) not in cursor
        ]
        if resource.parent_param:
            parent, value = resource.parent_param, params.get(resource.parent_param)
            tests.append(lambda rec: (rec.data or {}).get(parent) == value)

        def keep(rec: Rec) -> bool:
            return all(test(rec) for test in tests)

        page: list[Rec] = []
        next_pos = None
        for pos, rec in store.scan(start):
            if not tests or keep(rec):
                if len(page) == limit:
                    next_pos = pos
                    break
                page.append(rec)
        # total_count ignores the page token; cached per query until the store changes
        cache_key = (
            conn.connection_id,
            resource.name,
            len(store.log),
            repr(sorted(filters, key=repr)),
            repr(params),
        )
        total = self.count_cache.get(cache_key)
        if total is None:
            if tests:
                total = sum(1 for _, rec in store.scan(first) if keep(rec))
            else:
                total = store.count_live(first)
            if len(self.count_cache) > 10_000:
                self.count_cache.clear()
            self.count_cache[cache_key] = total
        return {
            "data": orjson.Fragment(self._page(conn, resource, page)),
            "next_token": base64.urlsafe_b64encode(str(next_pos).encode()).decode()
            if next_pos is not None
            else None,
            "total_count": total,
        }


def make_handler(api: Api) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = (
            True  # headers and body are two writes: no 40 ms delayed-ACK stall
        )
        server_version = "TrackstarSimulator/1.0"

        def log_message(
            self, format: str, *args: Any
        ) -> None:  # quiet: tests read their own output
            pass

        def _respond(self, method: str) -> None:
            split = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            request_id = uuid.uuid4().hex
            faults = api.faults
            try:
                faults.maybe_delay()
                status, headers, payload = api.handle(
                    method,
                    split.path,
                    parse_qsl(split.query, keep_blank_values=True),
                    self.headers,
                    body,
                )
            except ApiError as exc:
                status, headers, payload = (
                    exc.status,
                    exc.headers,
                    {"error": exc.message, "origin": exc.origin},
                )
            except Exception as exc:  # a simulator bug must still answer in the documented shape
                status, headers, payload = (
                    500,
                    {},
                    {"error": f"{type(exc).__name__}: {exc}", "origin": "trackstar"},
                )
            raw = orjson.dumps(payload)
            if status == 200 and isinstance(payload, dict) and "next_token" in payload:
                raw = faults.corrupt(raw)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.send_header("X-Request-Id", request_id)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:
            self._respond("GET")

        def do_POST(self) -> None:
            self._respond("POST")

        def do_PUT(self) -> None:
            self._respond("PUT")

        def date_time_string(self, timestamp: float | None = None) -> str:
            """The `Date` header carries the SIMULATED now (the extractor's observed_at)."""
            return formatdate(api.world.now, usegmt=True)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class SimulatorServer:
    """A real HTTP server on 127.0.0.1 in a background thread (a context manager)."""

    def __init__(
        self, sim: Any, host: str = "127.0.0.1", port: int = 0, rate_limit: bool = True
    ) -> None:
        self.sim = sim
        self.api = Api(sim.world, sim.faults, rate_limit=rate_limit)
        self.httpd = _Server((host, port), make_handler(self.api))
        self.host, self.port = self.httpd.server_address[:2]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, name="trackstar-sim", daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> SimulatorServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
