"""HTTP client for the Trackstar API: auth headers, pagination, per-token rate limit, retries.

Every rule here comes from Trackstar's documentation (see docs/architecture.md):
- two headers: the organisation API key on every request, the connection's access token on
  every data request;
- pagination with `limit` and `next_token` -> `page_token`, repeating every filter on every page
  (a page token does not remember them);
- 10 GET/s per access token, so one limiter per token, shared by every resource of that
  connection (they run in concurrent threads);
- 429, 5xx, timeouts, dropped connections and truncated bodies are transient: retried with
  exponential backoff and jitter, honouring `retry-after`;
- 401 breaks the connection, 403/501 are capability gaps, 422 is a bug on our side.

Error messages name the connection, the endpoint and the X-Request-Id. They never carry the API
key or the token, and never chain the httpx exception (whose request holds the headers).
"""

from __future__ import annotations

import decimal
import email.utils
import json
import logging
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from hashlib import sha256
from typing import Any

import httpx
import pendulum
from tenacity import (
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential_jitter,
)

log = logging.getLogger("pipelines.trackstar.client")

DEFAULT_BASE_URL = "https://production.trackstarhq.com"
API_KEY_HEADER = "x-trackstar-api-key"
ACCESS_TOKEN_HEADER = "x-trackstar-access-token"
PAGE_SIZE = 1000  # Trackstar's maximum
_MALFORMED = object()
GET_RATE_PER_SECOND = 10  # per access token


# --------------------------------------------------------------------------------------- errors


REPEATED_TOKEN = "the API returned the same next_token twice"  # a server paging in a loop
# a page's `next_token`, read off its body as received (see `_next_token_of`)
_NEXT_TOKEN_KEY = b'"next_token"'
_NEXT_TOKEN_VALUE = re.compile(rb'\s*:\s*("(?:[^"\\]|\\.)*")')


class TrackstarError(Exception):
    """A request that did not succeed. Carries only what is safe to log."""

    kind = "error"

    def __init__(
        self,
        message: str,
        *,
        connection_id: str | None = None,
        endpoint: str | None = None,
        status: int | None = None,
        request_id: str | None = None,
    ) -> None:
        self.connection_id = connection_id
        self.endpoint = endpoint
        self.status = status
        self.request_id = request_id
        self.detail = message
        super().__init__(self._format())

    def _format(self) -> str:
        who = f"connection {self.connection_id}" if self.connection_id else "organisation API key"
        status = f" -> HTTP {self.status}" if self.status else ""
        rid = self.request_id or "none"
        return f"{who}: GET {self.endpoint}{status}: {self.detail} (X-Request-Id {rid})"


class ConnectionFailed(TrackstarError):
    """401: the access token (or the API key) is not accepted. The connection is broken."""

    kind = "unauthorized"


class CapabilityGap(TrackstarError):
    """403 or 501: the endpoint is disabled or not implemented for this connection."""

    kind = "capability_gap"


class RequestInvalid(TrackstarError):
    """422: Trackstar rejected a parameter we sent. A bug in this code: fail loudly (except
    where the source knows an alternative, e.g. a cursor filter an endpoint refuses)."""

    kind = "invalid_request"

    def __init__(self, message: str, *, server_message: str = "", **kwargs: Any) -> None:
        self.server_message = server_message  # Trackstar's own words: which parameter it refused
        super().__init__(message, **kwargs)


class TransientError(TrackstarError):
    """429, 5xx, timeout, dropped connection, truncated or malformed body: worth retrying."""

    kind = "transient"

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


class UnexpectedResponse(TrackstarError):
    """Any other status (404, 400, ...): not retried, fails this connection's resource."""


# ---------------------------------------------------------------------------------- rate limit


class RateLimiter:
    """At most `rate` requests per `period` seconds for one access token, as the server counts.

    The server counts a request at some moment between our send and our receipt of its answer,
    and a busy server (or a busy client) moves that moment by hundreds of milliseconds. So a
    slot is held from the moment a request is admitted until `period` after its ANSWER arrived:
    then any two requests ten apart are at least `period` apart on the server's clock too,
    whatever the delays, and a normal run never sees a 429. Thread-safe; `pause()` blocks every
    user of the token after a 429.
    """

    def __init__(self, rate: int = GET_RATE_PER_SECOND, period: float = 1.0, margin: float = 0.02):
        if rate < 1:
            raise ValueError("rate must be at least 1 request per period")
        self.rate = rate
        self.window = period + margin
        self._in_flight = 0
        self._done: deque[float] = deque()  # when recent answers arrived, oldest first
        self._blocked_until = 0.0
        self._cond = threading.Condition()

    def acquire(self) -> float:
        """Wait for a slot; returns the seconds waited. Pair with `release()`."""
        started = time.monotonic()
        with self._cond:  # waiters of one token queue here; other tokens are not affected
            while True:
                now = time.monotonic()
                while self._done and self._done[0] + self.window <= now:
                    self._done.popleft()
                wait = self._blocked_until - now
                if wait <= 0:
                    if self._in_flight + len(self._done) < self.rate:
                        self._in_flight += 1
                        return now - started
                    # full: the oldest answered slot frees first; if all are in flight, the
                    # next release (which notifies) starts that slot's countdown
                    wait = self._done[0] + self.window - now if self._done else None
                self._cond.wait(wait)

    def release(self) -> None:
        """The answer arrived (or the request was given up): start the slot's countdown."""
        with self._cond:
            self._in_flight -= 1
            self._done.append(time.monotonic())
            self._cond.notify_all()

    def pause(self, seconds: float) -> None:
        """Nobody uses this token for `seconds` (the server said so with retry-after)."""
        with self._cond:
            self._blocked_until = max(self._blocked_until, time.monotonic() + max(0.0, seconds))
            self._cond.notify_all()


class RateLimiters:
    """One limiter per access token, created on first use, shared by every thread."""

    def __init__(self, rate: int | None = GET_RATE_PER_SECOND, **kwargs: Any) -> None:
        self.rate = rate
        self._kwargs = kwargs
        self._by_token: dict[str, RateLimiter] = {}
        self._lock = threading.Lock()

    def for_token(self, token: str) -> RateLimiter | None:
        if not self.rate:
            return None
        key = sha256(token.encode()).hexdigest()  # never keep the token itself as a key
        with self._lock:
            if key not in self._by_token:
                self._by_token[key] = RateLimiter(self.rate, **self._kwargs)
            return self._by_token[key]


# ------------------------------------------------------------------------------------ retries


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try before a transient error fails the (connection, resource)."""

    attempts: int = 6
    initial_wait: float = 0.5
    max_wait: float = 30.0
    jitter: float = 0.5
    max_retry_after: float = 120.0
    # no attempt starts later than this many seconds after the first (None: attempts alone)
    deadline: float | None = None
    # discovery (`GET /connections`) is one request every connection depends on: a longer
    # budget than a page's, still bounded in time (~10 attempts within 3 minutes by default)
    discovery_attempts: int = 10
    discovery_deadline: float = 180.0

    def for_discovery(self) -> RetryPolicy:
        """The policy for discovery: its own attempts and deadline, the same waits."""
        return replace(self, attempts=self.discovery_attempts, deadline=self.discovery_deadline)

    def stop(self) -> Any:
        """Tenacity's stop condition: out of attempts, or the next one would pass the deadline."""
        stop = stop_after_attempt(self.attempts)
        return stop if self.deadline is None else stop | stop_before_delay(self.deadline)

    def wait(self, retry_state: Any) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(exc, TransientError) and exc.retry_after is not None:
            return min(exc.retry_after, self.max_retry_after) + random.uniform(0, 0.1)
        backoff = wait_exponential_jitter(
            multiplier=self.initial_wait, max=self.max_wait, jitter=self.jitter
        )
        return backoff(retry_state)


# ------------------------------------------------------------------------------------- client


@dataclass(frozen=True)
class Response:
    """A parsed JSON response and what we keep of its headers."""

    body: Any
    status: int
    request_id: str | None
    observed_at: pendulum.DateTime  # the server's clock (HTTP Date header), else ours
    content: bytes | None = None  # the body as received, where it was not parsed (`body` None)


@dataclass(frozen=True)
class Page:
    records: list[dict[str, Any]]
    number: int
    request_id: str | None
    observed_at: pendulum.DateTime
    total_count: int | None = None
    next_token: str | None = None  # where the listing continues (None: this was the last page)


@dataclass
class RequestStats:
    """Counters for the run report; updated from many threads, so behind a lock."""

    requests: int = 0
    retries: int = 0
    rate_limited: int = 0  # 429 answers: the limiter should keep this at 0
    waited_seconds: float = 0.0  # time spent waiting for the rate limiter
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(
        self, requests: int = 0, retries: int = 0, rate_limited: int = 0, waited: float = 0.0
    ) -> None:
        with self._lock:
            self.requests += requests
            self.retries += retries
            self.rate_limited += rate_limited
            self.waited_seconds += waited


def parse_json(content: bytes) -> Any:
    """JSON with every non-integer number as an exact Decimal (money must not drift)."""
    return json.loads(content, parse_float=decimal.Decimal)


def server_time(date_header: str | None) -> pendulum.DateTime:
    """The response's `Date` header as UTC (the simulator sends its simulated clock there)."""
    if date_header:
        try:
            parsed = email.utils.parsedate_to_datetime(date_header)
            return pendulum.instance(parsed).in_timezone("UTC")
        except (TypeError, ValueError):
            pass
    return pendulum.now("UTC")


def _error_text(response: httpx.Response) -> str:
    try:
        body = parse_json(response.content)
    except ValueError:
        return response.text[:200] or response.reason_phrase
    if isinstance(body, dict):
        text = str(body.get("error") or body.get("detail") or body)
        origin = body.get("origin")
        return f"{text} (origin {origin})" if origin else text
    return str(body)[:200]


def _unexpected(
    message: str, response: Response, path: str, connection_id: str | None
) -> UnexpectedResponse:
    """A list answer that cannot be paged, naming its request."""
    return UnexpectedResponse(
        message,
        connection_id=connection_id,
        endpoint=path,
        status=response.status,
        request_id=response.request_id,
    )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, when.timestamp() - time.time())
        except (TypeError, ValueError):
            return None


class TrackstarClient:
    """Thread-safe client for one organisation (API key) and any number of access tokens."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        api_key: str = "",
        *,
        rate_per_second: int | None = GET_RATE_PER_SECOND,
        retry: RetryPolicy | None = None,
        timeout: float = 60.0,
        page_size: int = PAGE_SIZE,
        transport: httpx.BaseTransport | None = None,
        max_connections: int = 64,
    ) -> None:
        if not api_key:
            raise ValueError("a Trackstar API key is required")
        self.base_url = base_url.rstrip("/")
        self.page_size = page_size
        self.retry = retry or RetryPolicy()
        self.limiters = RateLimiters(rate_per_second)
        self.stats = RequestStats()
        self._clock: tuple[pendulum.DateTime, float] | None = None  # last server Date seen
        self._secrets: set[str] = {api_key}
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={API_KEY_HEADER: api_key, "accept": "application/json"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            transport=transport,
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            follow_redirects=False,
        )
        # the next page of a listing is fetched while the caller works on the current one
        self._prefetch = ThreadPoolExecutor(max_connections, thread_name_prefix="trackstar-page")
        # pages read ahead for a listing's next step (`read_ahead`), by (listing, page token)
        self._parked: dict[tuple[Any, ...], Future[Response]] = {}
        # of the listings read ahead, the pages a reader asked for itself: never asked twice
        self._ahead: set[tuple[Any, ...]] = set()
        self._claimed: set[tuple[Any, ...]] = set()
        self._parked_lock = threading.Lock()
        self._closed = False

    def __repr__(self) -> str:  # no key in reprs, logs or tracebacks
        return f"TrackstarClient(base_url={self.base_url!r})"

    def close(self) -> None:
        with self._parked_lock:
            self._closed = True
            self._parked.clear()
            self._claimed.clear()
        self._prefetch.shutdown(wait=True, cancel_futures=True)
        self._http.close()

    def __enter__(self) -> TrackstarClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def server_now(self) -> pendulum.DateTime:
        """The server's clock, from the last `Date` header seen (ours before any response)."""
        if self._clock is None:
            return pendulum.now("UTC")
        seen, at = self._clock
        return seen.add(seconds=int(time.monotonic() - at))

    def redact(self, text: str) -> str:
        """Remove any secret this client knows from a text (server messages may echo them)."""
        for secret in self._secrets:
            if secret and len(secret) >= 4:
                text = text.replace(secret, "***")
        return text

    # -- single request -------------------------------------------------------------------

    def get(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        access_token: str | None = None,
        connection_id: str | None = None,
        retry: RetryPolicy | None = None,
        parse: bool = True,
    ) -> Response:
        """GET with rate limiting and retries (`retry`, else the client's policy); raises a
        TrackstarError subclass on failure. `parse=False`: a 200's body is kept as received,
        unparsed (and unchecked)."""
        policy = retry or self.retry
        if access_token:
            self._secrets.add(access_token)
        limiter = self.limiters.for_token(access_token) if access_token else None
        attempts = 0

        def once() -> Response:
            nonlocal attempts
            attempts += 1
            if attempts > 1:
                self.stats.add(retries=1)
            waited = limiter.acquire() if limiter else 0.0
            self.stats.add(requests=1, waited=waited)
            try:
                return self._request(path, params, access_token, connection_id, parse)
            except TransientError as exc:
                if exc.status == 429:
                    self.stats.add(rate_limited=1)
                    if limiter:
                        limiter.pause(exc.retry_after if exc.retry_after is not None else 1.0)
                log.info("retrying after transient error: %s", exc)
                raise
            finally:
                if limiter:
                    limiter.release()

        retrying = Retrying(
            retry=retry_if_exception_type(TransientError),
            stop=policy.stop(),
            wait=policy.wait,
            reraise=True,
        )
        started = time.monotonic()
        try:
            return retrying(once)
        except TransientError as exc:
            seconds = time.monotonic() - started
            exc.detail = f"{exc.detail}; gave up after {attempts} attempts in {seconds:.1f}s"
            exc.args = (exc._format(),)
            raise

    def _request(
        self,
        path: str,
        params: Mapping[str, Any] | None,
        access_token: str | None,
        connection_id: str | None,
        parse: bool = True,
    ) -> Response:
        headers = {ACCESS_TOKEN_HEADER: access_token} if access_token else None
        where = {"connection_id": connection_id, "endpoint": path}
        failure: TrackstarError | None = None
        try:
            response = self._http.get(path, params=dict(params or {}), headers=headers)
        except httpx.TimeoutException:
            failure = TransientError("timed out", **where)
        except httpx.TransportError as exc:  # refused, reset, dropped mid-body, protocol errors
            failure = TransientError(f"connection error: {type(exc).__name__}", **where)
        if failure is not None:
            # raised outside the except block: no __context__ pointing at the httpx request,
            # whose headers hold the key and the token
            raise failure
        request_id = response.headers.get("x-request-id")
        where["request_id"] = request_id
        status = response.status_code
        if status == 200:
            body, content = None, response.content
            if parse:
                try:
                    body, content = parse_json(response.content), None
                except ValueError:  # truncated or malformed JSON
                    body = _MALFORMED
            if body is _MALFORMED:
                raise TransientError(
                    f"malformed JSON body ({len(response.content)} bytes)", status=status, **where
                )
            observed_at = server_time(response.headers.get("date"))
            self._clock = (observed_at, time.monotonic())
            return Response(body, status, request_id, observed_at, content=content)

        text = self.redact(_error_text(response))
        if status == 429:
            raise TransientError(
                f"rate limited: {text}", retry_after=_retry_after(response), status=status, **where
            )
        if status >= 500 and status != 501:
            raise TransientError(text, status=status, **where)
        if status == 401:
            raise ConnectionFailed(text, status=status, **where)
        if status in (403, 501):
            raise CapabilityGap(text, status=status, **where)
        if status == 422:
            sent = ", ".join(sorted(k for k in (params or {}) if k != "page_token")) or "none"
            raise RequestInvalid(
                f"{text}; parameters sent: {sent}", server_message=text, status=status, **where
            )
        raise UnexpectedResponse(text, status=status, **where)

    # -- lists ----------------------------------------------------------------------------

    def paginate(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        access_token: str | None = None,
        connection_id: str | None = None,
        page_token: str | None = None,
        retry: RetryPolicy | None = None,
        max_pages: int | None = None,
    ) -> Iterator[Page]:
        """Every page of a list endpoint (from `page_token`: where an earlier read stopped), or
        the first `max_pages` of them. Filters are sent again with every page token.

        The first page is requested at once (several listings started one after another are
        in flight together), and each next page as soon as the one before arrived, while the
        caller works on it: the server and the network work meanwhile, each request paced by
        its token's rate limiter. Never beyond `max_pages`; an error of a page requested ahead
        is raised when the caller asks for that page, as without it. A page `read_ahead` asked
        for already is taken, not asked for again."""
        listing, fetch = self._listing(
            path, params, access_token=access_token, connection_id=connection_id, retry=retry
        )

        def request(token: str | None) -> Future[Response]:
            return self._take_parked(listing, token) or self._prefetch.submit(fetch, token)

        first = request(page_token)  # now, not when the caller first asks
        return self._pages(path, connection_id, fetch, request, (page_token, first), max_pages)

    def read_ahead(
        self,
        path: str,
        params: Mapping[str, Any] | None,
        page_token: str | None,
        pages: int,
        *,
        access_token: str | None = None,
        connection_id: str | None = None,
    ) -> None:
        """Ask now for the next `pages` pages of a listing that stops at `page_token` and goes
        on in the next step (load package): they arrive while this step is normalized and
        loaded, when the token would otherwise be idle, and the `paginate` that continues from
        `page_token` takes them. Kept as received (a page of 1000 orders is 3 MB as bytes,
        12 MB parsed) and parsed when taken; pages never taken (a run that stops) cost only
        their requests."""
        listing, fetch = self._listing(
            path, params, access_token=access_token, connection_id=connection_id, parse=False
        )

        def park(token: str | None, left: int) -> None:
            with self._parked_lock:
                key = (listing, token)
                if self._closed or key in self._parked or key in self._claimed:
                    return  # a reader got there first: it reads on itself
                self._ahead.add(listing)
                future = self._prefetch.submit(fetch, token)
                self._parked[key] = future
            if left > 1:
                future.add_done_callback(lambda done: then(done, left - 1))

        def then(done: Future[Response], left: int) -> None:
            if done.cancelled() or done.exception() is not None:
                return  # raised to the reader that takes this page, as without reading ahead
            token = _next_token_of(done.result().content or b"")
            if token is not None:
                park(token, left)

        if pages > 0:
            park(page_token, pages)

    def _listing(
        self, path: str, params: Mapping[str, Any] | None, **call: Any
    ) -> tuple[tuple[Any, ...], Callable[[str | None], Response]]:
        """What tells a listing from another (path, filters, token), and how to get one of its
        pages by page token: every filter sent again with the token."""
        filters = {**(params or {}), "limit": self.page_size}
        key = (
            path,
            call.get("access_token"),
            tuple(sorted((k, str(v)) for k, v in filters.items())),
        )

        def fetch(token: str | None) -> Response:
            return self.get(path, {**filters, "page_token": token} if token else filters, **call)

        return key, fetch

    def _take_parked(self, listing: tuple[Any, ...], token: str | None) -> Future[Response] | None:
        """The page read ahead for this listing and token, if any; else the page is the
        reader's to ask for, and a read ahead still going will not ask for it too."""
        with self._parked_lock:
            future = self._parked.pop((listing, token), None)
            if future is None and listing in self._ahead:
                self._claimed.add((listing, token))
            return future

    def _pages(
        self,
        path: str,
        connection_id: str | None,
        fetch: Callable[[str | None], Response],
        request: Callable[[str | None], Future[Response]],
        first: tuple[str | None, Future[Response]],
        max_pages: int | None,
    ) -> Iterator[Page]:
        seen_tokens: set[str] = set()
        number = 0
        asked: str | None = first[0]  # the page token asked for, and its answer to come
        ahead: Future[Response] | None = first[1]
        try:
            while ahead is not None:
                response = ahead.result()
                ahead = None
                if response.body is None and response.content is not None:  # read ahead
                    response = _parsed(response) or fetch(asked)
                body = response.body
                if not isinstance(body, dict) or not isinstance(body.get("data"), list):
                    raise _unexpected(
                        "list response without a `data` list", response, path, connection_id
                    )
                number += 1
                token = body.get("next_token") or None
                more = max_pages is None or number < max_pages
                repeated = token is not None and token in seen_tokens
                if token is not None and not repeated and more:
                    seen_tokens.add(token)
                    asked, ahead = token, request(token)
                yield Page(
                    records=body["data"],
                    number=number,
                    request_id=response.request_id,
                    observed_at=response.observed_at,
                    total_count=body.get("total_count"),
                    next_token=token,
                )
                if repeated and more:
                    raise _unexpected(REPEATED_TOKEN, response, path, connection_id)
        finally:
            if ahead is not None:  # the caller stopped early: the page ahead is not wanted
                ahead.cancel()


def _parsed(response: Response) -> Response | None:
    """A page read ahead, parsed; None where its body is not JSON (it is asked for again)."""
    try:
        body = parse_json(response.content or b"")
    except ValueError:
        return None
    return replace(response, body=body, content=None)


def _next_token_of(content: bytes) -> str | None:
    """The `next_token` of a page body as received, without parsing the 3 MB around it: the
    last `"next_token": "..."` in it (Trackstar puts it after `data`). A wrong guess costs
    requests for pages nobody takes, never a wrong page: the reader asks by the token it
    parsed."""
    at = content.rfind(_NEXT_TOKEN_KEY)
    if at < 0:
        return None
    match = _NEXT_TOKEN_VALUE.match(content, at + len(_NEXT_TOKEN_KEY))
    if match is None:
        return None
    try:
        token = json.loads(match.group(1))
    except ValueError:
        return None
    return token if isinstance(token, str) and token else None
