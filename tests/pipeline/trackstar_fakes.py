"""Test doubles for the pipeline tests: a scripted local HTTP server, secrets, fast retries."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pipelines.trackstar.client import RetryPolicy

API_KEY = "org-key-5ecret-abcdef"
TOKEN = "tok-5ecret-0123456789"

FAST_RETRY = RetryPolicy(attempts=4, initial_wait=0.01, max_wait=0.05, jitter=0.01)


@dataclass
class Seen:
    """One request as the server saw it."""

    path: str
    params: dict[str, str]
    headers: dict[str, str]
    at: float


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # sent as is (malformed JSON)
    truncate: bool = False  # announce the full length, send half, close
    delay: float = 0.0


class ScriptedServer:
    """A real HTTP server on 127.0.0.1 whose answers come from a function of the request."""

    def __init__(self, respond: Callable[[Seen], Reply]) -> None:
        self.respond = respond
        self.seen: list[Seen] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else 40 ms delayed-ACK stalls per response

            _date: str | None = None

            def log_message(self, *args: Any) -> None:
                return None

            def date_time_string(self, timestamp: float | None = None) -> str:
                return self._date or super().date_time_string(timestamp)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                seen = Seen(
                    parts.path,
                    dict(parse_qsl(parts.query)),
                    {k.lower(): v for k, v in self.headers.items()},
                    time.monotonic(),
                )
                outer.seen.append(seen)
                reply = outer.respond(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
                headers = dict(reply.headers)
                self._date = headers.pop("date", None)  # replaces the server's own Date header
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("x-request-id", f"req-{len(outer.seen)}")
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("content-length", str(len(payload)))
                if reply.truncate:
                    self.send_header("connection", "close")
                self.end_headers()
                if reply.truncate:
                    self.wfile.write(payload[: len(payload) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class FakeTrackstar:
    """A minimal in-memory Trackstar for source tests that need exact control of the answers.

    Records are plain dicts per (access token, path). Supports `trackstar_updated_date[gte]` and
    `updated_date[gte]` (each refusable with a 422 through `refused`), `limit`/`page_token`
    pagination, single objects (`objects`), a simulated clock in the `Date` header, and
    faults: a function (Seen) -> Reply | None consulted before every answer.
    """

    def __init__(self, page_size: int = 1000) -> None:
        self.connections: list[dict[str, Any]] = []
        self.records: dict[tuple[str, str], list[dict[str, Any]]] = {}
        # single objects (`{"data": {...}}`), e.g. an order's packs
        self.objects: dict[tuple[str, str], dict[str, Any]] = {}
        # (path, field) pairs whose date filter the server refuses with a 422 naming it
        self.refused: set[tuple[str, str]] = set()
        self.page_size = page_size
        self.now = "Mon, 02 Mar 2026 12:00:00 GMT"
        self.fault: Callable[[Seen], Reply | None] = lambda seen: None
        self.revoked: set[str] = set()  # tokens answered with 401
        self.server = ScriptedServer(self.respond)

    def add_connection(self, connection_id: str, token: str, vertical: str, **meta: Any) -> None:
        self.connections.append(
            {
                "connection_id": connection_id,
                "access_token": token,
                "integration_type": vertical,
                "integration_name": f"fake-{vertical}",
                **meta,
            }
        )

    def respond(self, seen: Seen) -> Reply:
        fault = self.fault(seen)
        if fault is not None:
            return fault
        headers = {"date": self.now}
        if seen.headers.get("x-trackstar-api-key") != API_KEY:
            return Reply(401, {"error": "Invalid API key", "origin": "trackstar"}, headers)
        if seen.path == "/connections":
            return Reply(body={"data": self.connections, "next_token": None}, headers=headers)
        token = seen.headers.get("x-trackstar-access-token")
        if token in self.revoked or token not in {c.get("access_token") for c in self.connections}:
            return Reply(401, {"error": "Invalid access token", "origin": "trackstar"}, headers)
        if (token, seen.path) in self.objects:
            return Reply(body={"data": self.objects[(token, seen.path)]}, headers=headers)
        rows = self.records.get((token, seen.path))
        if rows is None:
            return Reply(501, {"error": f"{seen.path} not implemented"}, headers)
        params = dict(seen.params)
        filters = {}
        for date_field in ("trackstar_updated_date", "updated_date"):
            value = params.pop(f"{date_field}[gte]", None)
            if value is not None and (seen.path, date_field) in self.refused:
                error = f"Unknown filter parameter: {date_field}[gte]"
                return Reply(422, {"error": error, "origin": "trackstar"}, headers)
            if value is not None:
                filters[date_field] = value
        for known in ("limit", "page_token", "start_time", "end_time"):
            params.pop(known, None)
        if params:
            name = sorted(params)[0]
            return Reply(422, {"error": f"Unknown filter: {name}", "origin": "trackstar"}, headers)
        for date_field, since in filters.items():
            rows = [r for r in rows if str(r.get(date_field)) >= since]
        start = int(seen.params.get("page_token", "0"))
        size = min(int(seen.params.get("limit", 1000)), self.page_size)
        chunk = rows[start : start + size]
        following = str(start + size) if start + size < len(rows) else None
        body = {"data": chunk, "next_token": following, "total_count": len(rows)}
        return Reply(body=body, headers=headers)

    def __enter__(self) -> FakeTrackstar:
        self.server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.__exit__()

    @property
    def base_url(self) -> str:
        return self.server.base_url
