"""Test doubles for the pipeline tests: a scripted local HTTP server, secrets, fast retries."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
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
