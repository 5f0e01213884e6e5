"""One test per rule of the HTTP client (pipelines/trackstar/client.py)."""

from __future__ import annotations

import dataclasses
import decimal
import threading
import time
import traceback

import httpx
import pendulum
import pytest
from trackstar_fakes import API_KEY, FAST_RETRY, TOKEN, Reply, Seen

from pipelines.trackstar.client import (
    ACCESS_TOKEN_HEADER,
    API_KEY_HEADER,
    CapabilityGap,
    ConnectionFailed,
    RateLimiter,
    RequestInvalid,
    RetryPolicy,
    TrackstarClient,
    TrackstarError,
    TransientError,
    _next_token_of,
)


def page(data: list, next_token: str | None = None) -> dict:
    return {"data": data, "next_token": next_token, "total_count": len(data)}


def make_client(base_url: str, **kwargs) -> TrackstarClient:
    kwargs.setdefault("retry", FAST_RETRY)
    return TrackstarClient(base_url, API_KEY, **kwargs)


def get(client: TrackstarClient, path: str = "/wms/orders", **params):
    return client.get(path, params, access_token=TOKEN, connection_id="conn_1")


def all_strings(exc: BaseException) -> str:
    """Everything an exception could leak: message, repr, traceback, chained exceptions."""
    parts = [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    seen = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        parts += [repr(vars(current)), repr(current.args)]
        request = getattr(current, "request", None)
        if request is not None:
            parts.append(repr(dict(request.headers)))
        current = current.__cause__ or current.__context__
    return "\n".join(parts)


# ---------------------------------------------------------------------- headers and pagination


def test_sends_api_key_and_access_token_headers(scripted):
    server = scripted(lambda seen: Reply(body=page([])))
    with make_client(server.base_url) as client:
        get(client)
        client.get("/connections")  # management endpoint: API key only
    data, management = server.seen
    assert data.headers[API_KEY_HEADER] == API_KEY
    assert data.headers[ACCESS_TOKEN_HEADER] == TOKEN
    assert management.headers[API_KEY_HEADER] == API_KEY
    assert ACCESS_TOKEN_HEADER not in management.headers


def test_pagination_repeats_every_filter_on_every_page(scripted):
    def respond(seen: Seen) -> Reply:
        number = int(seen.params.get("page_token", "p1")[1:])
        token = f"p{number + 1}" if number < 3 else None
        return Reply(body=page([{"id": f"r{number}"}], token))

    server = scripted(respond)
    filters = {"trackstar_updated_date[gte]": "2025-01-01T00:00:00Z", "status": "open"}
    with make_client(server.base_url) as client:
        pages = list(client.paginate("/wms/orders", filters, access_token=TOKEN))
    assert [p.records[0]["id"] for p in pages] == ["r1", "r2", "r3"]
    assert [s.params.get("page_token") for s in server.seen] == [None, "p2", "p3"]
    for seen in server.seen:
        assert seen.params["limit"] == "1000"
        for key, value in filters.items():
            assert seen.params[key] == value


def _numbered_pages(last: int):
    def respond(seen: Seen) -> Reply:
        number = int(seen.params.get("page_token", "p1")[1:])
        token = f"p{number + 1}" if number < last else None
        return Reply(body=page([{"id": f"r{number}"}], token))

    return respond


def test_the_next_page_is_requested_while_the_caller_works_on_this_one(scripted):
    server = scripted(_numbered_pages(3))
    with make_client(server.base_url) as client:
        pages = client.paginate("/wms/orders", access_token=TOKEN)
        first = next(pages)
        deadline = time.monotonic() + 5
        while len(server.seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert first.records == [{"id": "r1"}]
        # page 2 was asked for before the caller asked for it; page 3 not yet
        assert [s.params.get("page_token") for s in server.seen] == [None, "p2"]
        assert [p.records[0]["id"] for p in pages] == ["r2", "r3"]
    assert len(server.seen) == 3


def test_max_pages_requests_no_page_beyond_it(scripted):
    server = scripted(_numbered_pages(5))
    with make_client(server.base_url) as client:
        pages = list(client.paginate("/wms/orders", access_token=TOKEN, max_pages=2))
        time.sleep(0.2)  # a page ahead would have been asked for by now
    assert [p.records[0]["id"] for p in pages] == ["r1", "r2"]
    assert pages[-1].next_token == "p3"  # where the next read continues
    assert [s.params.get("page_token") for s in server.seen] == [None, "p2"]


def _wait_for(server, count: int) -> None:
    deadline = time.monotonic() + 5
    while len(server.seen) < count and time.monotonic() < deadline:
        time.sleep(0.01)


def test_pages_read_ahead_for_the_next_step_are_taken_then_not_asked_for_again(scripted):
    server = scripted(_numbered_pages(6))
    with make_client(server.base_url) as client:
        step = list(
            client.paginate("/wms/orders", {"status": "open"}, access_token=TOKEN, max_pages=2)
        )
        client.read_ahead(
            "/wms/orders", {"status": "open"}, step[-1].next_token, 2, access_token=TOKEN
        )
        _wait_for(server, 4)
        time.sleep(0.2)  # a third page ahead would have been asked for by now
        # the next step's two pages arrived before it started, and no more
        assert [s.params.get("page_token") for s in server.seen] == [None, "p2", "p3", "p4"]
        rest = client.paginate(
            "/wms/orders", {"status": "open"}, access_token=TOKEN, page_token="p3"
        )
        assert [p.records[0]["id"] for p in rest] == ["r3", "r4", "r5", "r6"]
    assert [s.params.get("page_token") for s in server.seen] == [None, "p2", "p3", "p4", "p5", "p6"]
    assert all(s.params["status"] == "open" for s in server.seen)


def test_a_page_the_reader_asked_for_itself_is_not_asked_for_again_by_the_read_ahead(scripted):
    """The reader gets ahead of a read ahead still waiting for its page (here: it starts at
    p3 while p2 is slow to come): the read ahead stops where the reader took over."""
    numbered = _numbered_pages(5)
    server = scripted(
        lambda seen: dataclasses.replace(
            numbered(seen), delay=0.3 if seen.params.get("page_token") == "p2" else 0.0
        )
    )
    with make_client(server.base_url) as client:
        client.read_ahead("/wms/orders", {}, "p2", 4, access_token=TOKEN)
        pages = client.paginate("/wms/orders", access_token=TOKEN, page_token="p3")
        assert [p.records[0]["id"] for p in pages] == ["r3", "r4", "r5"]
        time.sleep(0.6)  # p2 came at 0.3 s: the read ahead would have asked for p3 next
    assert sorted(s.params.get("page_token") for s in server.seen) == ["p2", "p3", "p4", "p5"]


def test_a_page_read_ahead_for_another_listing_is_not_taken(scripted):
    server = scripted(_numbered_pages(4))
    with make_client(server.base_url) as client:
        client.read_ahead("/wms/orders", {"status": "open"}, "p3", 1, access_token=TOKEN)
        _wait_for(server, 1)
        # other filters: another listing, whose page p3 is asked for itself
        rest = client.paginate(
            "/wms/orders", {"status": "closed"}, access_token=TOKEN, page_token="p3"
        )
        assert [p.records[0]["id"] for p in rest] == ["r3", "r4"]
    assert [(s.params["status"], s.params.get("page_token")) for s in server.seen] == [
        ("open", "p3"),
        ("closed", "p3"),
        ("closed", "p4"),
    ]


def test_a_page_read_ahead_that_is_not_json_is_asked_for_again_when_taken(scripted):
    calls = {"p2": 0}

    def respond(seen: Seen) -> Reply:
        if seen.params.get("page_token") == "p2":
            calls["p2"] += 1
            if calls["p2"] == 1:
                return Reply(raw=b'{"data": [{"id": "r2"}], "next_tok')
        return _numbered_pages(3)(seen)

    server = scripted(respond)
    with make_client(server.base_url) as client:
        client.read_ahead("/wms/orders", {}, "p2", 3, access_token=TOKEN)
        _wait_for(server, 1)
        time.sleep(0.1)  # no next token can be read off a broken body: nothing more ahead
        assert len(server.seen) == 1
        pages = list(client.paginate("/wms/orders", access_token=TOKEN, page_token="p2"))
    assert [p.records[0]["id"] for p in pages] == ["r2", "r3"]
    assert [s.params.get("page_token") for s in server.seen] == ["p2", "p2", "p3"]


def test_an_error_of_a_page_read_ahead_is_raised_when_that_page_is_asked_for(scripted):
    server = scripted(lambda seen: Reply(status=401, body={"error": "bad token"}))
    with make_client(server.base_url) as client:
        client.read_ahead("/wms/orders", {}, "p2", 2, access_token=TOKEN, connection_id="conn_1")
        _wait_for(server, 1)
        with pytest.raises(ConnectionFailed):
            list(client.paginate("/wms/orders", access_token=TOKEN, page_token="p2"))
    assert len(server.seen) == 1  # asked for once, by the read ahead


@pytest.mark.parametrize(
    ("content", "token"),
    [
        (b'{"data": [{"next_token": "inner"}], "next_token": "t\\"2", "total_count": 1}', 't"2'),
        (b'{"data": [], "next_token" : "abc"}', "abc"),
        (b'{"data": [], "next_token": null}', None),
        (b'{"data": []}', None),
        (b'{"data": [], "next_token": ""}', None),
    ],
)
def test_the_next_token_is_read_off_a_body_as_received(content, token):
    assert _next_token_of(content) == token


def test_an_error_of_the_page_ahead_is_raised_when_that_page_is_asked_for(scripted):
    def respond(seen: Seen) -> Reply:
        if seen.params.get("page_token") == "p2":
            return Reply(status=401, body={"error": "bad token"})
        return Reply(body=page([{"id": "r1"}], "p2"))

    server = scripted(respond)
    with make_client(server.base_url) as client:
        pages = client.paginate("/wms/orders", access_token=TOKEN, connection_id="conn_1")
        assert next(pages).records == [{"id": "r1"}]  # page 2 failed meanwhile, unseen so far
        with pytest.raises(ConnectionFailed):
            next(pages)


def test_a_repeated_next_token_fails_after_its_page(scripted):
    server = scripted(lambda seen: Reply(body=page([{"id": "r"}], "same")))
    with make_client(server.base_url) as client:
        pages = client.paginate("/wms/orders", access_token=TOKEN)
        assert len(next(pages).records) == 1
        assert len(next(pages).records) == 1  # the page that repeats the token still lands
        with pytest.raises(TrackstarError, match="same next_token twice"):
            next(pages)
    assert len(server.seen) == 2


def test_money_is_parsed_as_exact_decimal_and_observed_at_is_the_server_date(scripted):
    server = scripted(
        lambda seen: Reply(
            raw=b'{"data": [{"id": "o1", "total_price": 0.1, "qty": 3}], "next_token": null}',
            headers={"date": "Wed, 04 Mar 2026 10:15:00 GMT"},
        )
    )
    with make_client(server.base_url) as client:
        (only,) = client.paginate("/wms/orders", access_token=TOKEN)
    record = only.records[0]
    assert record["total_price"] == decimal.Decimal("0.1")
    assert isinstance(record["qty"], int)
    assert only.observed_at == pendulum.datetime(2026, 3, 4, 10, 15, tz="UTC")
    assert only.request_id == "req-1"


# ------------------------------------------------------------------------------- rate limiting


def test_rate_limiter_counts_a_slot_until_period_after_the_answer():
    limiter = RateLimiter(5, period=0.2, margin=0.0)
    starts, answers = [], []

    def request(latency: float) -> None:
        limiter.acquire()
        starts.append(time.monotonic())
        time.sleep(latency)
        answers.append(time.monotonic())
        limiter.release()

    threads = [threading.Thread(target=request, args=(0.05,)) for _ in range(15)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    starts.sort()
    answers.sort()
    # the 6th request starts only `period` after the first ANSWER, however slow the server
    for i in range(len(starts) - 5):
        assert starts[i + 5] >= answers[i] + 0.2 - 1e-3

    limiter.pause(0.3)
    before = time.monotonic()
    limiter.acquire()
    limiter.release()
    assert time.monotonic() - before >= 0.29


def test_one_token_stays_at_or_under_10_gets_per_second_across_threads(scripted):
    server = scripted(lambda seen: Reply(body=page([])))
    with make_client(server.base_url) as client:

        def worker() -> None:
            for _ in range(8):
                get(client)

        threads = [threading.Thread(target=worker) for _ in range(4)]  # 32 requests
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    arrivals = sorted(s.at for s in server.seen)
    assert len(arrivals) == 32
    for i in range(len(arrivals) - 10):
        assert arrivals[i + 10] - arrivals[i] >= 1.0, "11 requests inside one second"
    assert elapsed >= 3.0  # 32 requests at <= 10/s: three full windows of waiting


def test_tokens_have_independent_budgets(scripted):
    server = scripted(lambda seen: Reply(body=page([])))
    with make_client(server.base_url) as client:
        started = time.monotonic()
        for n in range(5):
            for _ in range(10):
                client.get("/wms/orders", access_token=f"token-{n}", connection_id=f"c{n}")
        elapsed = time.monotonic() - started
    assert elapsed < 1.0  # 50 requests, 10 per token: nobody waited


# ---------------------------------------------------------------------------------- retries


def test_429_is_retried_after_retry_after_seconds(scripted):
    def respond(seen: Seen) -> Reply:
        if len(server.seen) == 1:
            return Reply(429, {"error": "Too many requests"}, headers={"retry-after": "1"})
        return Reply(body=page([{"id": "o1"}]))

    server = scripted(respond)
    with make_client(server.base_url) as client:
        response = get(client)
    assert response.body["data"] == [{"id": "o1"}]
    first, second = server.seen
    assert second.at - first.at >= 1.0


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_is_retried_with_backoff(scripted, status):
    def respond(seen: Seen) -> Reply:
        if len(server.seen) <= 2:
            return Reply(status, {"error": "upstream", "origin": "integration"})
        return Reply(body=page([{"id": "o1"}]))

    server = scripted(respond)
    with make_client(server.base_url) as client:
        assert get(client).body["data"] == [{"id": "o1"}]
    assert len(server.seen) == 3


def test_exhausted_retries_raise_a_transient_error_naming_the_request(scripted):
    server = scripted(lambda seen: Reply(503, {"error": "down"}))
    with make_client(server.base_url) as client, pytest.raises(TransientError) as info:
        get(client)
    assert len(server.seen) == FAST_RETRY.attempts
    message = str(info.value)
    assert "conn_1" in message and "/wms/orders" in message
    assert f"req-{FAST_RETRY.attempts}" in message and "4 attempts" in message


def test_a_deadline_bounds_the_retries_in_time_whatever_the_attempts(scripted):
    server = scripted(lambda seen: Reply(503, {"error": "down"}))
    policy = RetryPolicy(attempts=1000, initial_wait=0.1, max_wait=0.1, jitter=0.0, deadline=0.5)
    started = time.monotonic()
    with make_client(server.base_url) as client, pytest.raises(TransientError) as info:
        client.get("/connections", retry=policy)
    assert time.monotonic() - started < 1.0
    assert 3 <= len(server.seen) <= 7
    assert f"gave up after {len(server.seen)} attempts" in str(info.value)


def test_discovery_has_its_own_longer_budget_than_a_page():
    policy = RetryPolicy(attempts=6, discovery_attempts=10, discovery_deadline=180.0)
    discovery = policy.for_discovery()
    assert (discovery.attempts, discovery.deadline) == (10, 180.0)
    assert (discovery.initial_wait, discovery.max_wait) == (policy.initial_wait, policy.max_wait)
    assert policy.deadline is None  # a page: attempts alone


def test_timeout_is_retried(scripted):
    def respond(seen: Seen) -> Reply:
        return Reply(body=page([]), delay=1.0 if len(server.seen) == 1 else 0.0)

    server = scripted(respond)
    with make_client(server.base_url, timeout=0.3) as client:
        assert get(client).body["data"] == []
    assert len(server.seen) == 2


def test_timeouts_exhausted_name_connection_and_endpoint():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    client = TrackstarClient(
        "http://trackstar.test", API_KEY, transport=httpx.MockTransport(handler), retry=FAST_RETRY
    )
    with pytest.raises(TransientError, match=r"connection conn_1: GET /wms/orders: timed out"):
        get(client)


@pytest.mark.parametrize(
    "broken",
    [
        Reply(truncate=True, body=page([{"id": "o1"}] * 50)),
        Reply(raw=b'{"data": [{"id": "o1"'),
        Reply(raw=b"<html>bad gateway</html>"),
    ],
    ids=["dropped-mid-body", "truncated-json", "not-json"],
)
def test_dropped_connections_and_malformed_bodies_are_retried(scripted, broken):
    def respond(seen: Seen) -> Reply:
        return broken if len(server.seen) == 1 else Reply(body=page([{"id": "o1"}]))

    server = scripted(respond)
    with make_client(server.base_url) as client:
        assert get(client).body["data"] == [{"id": "o1"}]
    assert len(server.seen) == 2


def test_connection_refused_is_retried_then_reported():
    client = TrackstarClient("http://127.0.0.1:9", API_KEY, retry=FAST_RETRY, timeout=1)
    with pytest.raises(TransientError, match="connection error"):
        get(client)


# ------------------------------------------------------------------------- non-retried errors


def test_401_fails_the_connection_without_retrying(scripted):
    server = scripted(
        lambda seen: Reply(401, {"error": "Invalid access token", "origin": "trackstar"})
    )
    with make_client(server.base_url) as client, pytest.raises(ConnectionFailed) as info:
        get(client)
    assert len(server.seen) == 1
    assert info.value.status == 401 and info.value.request_id == "req-1"


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (403, "Endpoint disabled for this organization"),
        (501, "Endpoint get_returns is not implemented for Cool WMS"),
    ],
)
def test_403_and_501_are_capability_gaps_not_retried(scripted, status, error):
    server = scripted(lambda seen: Reply(status, {"error": error, "origin": "trackstar"}))
    with make_client(server.base_url) as client, pytest.raises(CapabilityGap) as info:
        get(client, "/wms/returns")
    assert len(server.seen) == 1
    assert error in str(info.value) and "/wms/returns" in str(info.value)


def test_422_is_a_loud_bug_naming_the_parameter(scripted):
    server = scripted(
        lambda seen: Reply(
            422, {"error": "Unknown filter field 'trackstar_updtaed_date'", "origin": "trackstar"}
        )
    )
    with make_client(server.base_url) as client, pytest.raises(RequestInvalid) as info:
        get(client, **{"trackstar_updtaed_date[gte]": "2025-01-01T00:00:00Z"})
    assert len(server.seen) == 1
    message = str(info.value)
    assert "trackstar_updtaed_date" in message and "conn_1" in message and "req-1" in message


# -------------------------------------------------------------------------------- no secrets


@pytest.mark.parametrize("status", [401, 403, 422, 503, 404])
def test_errors_name_connection_endpoint_request_id_never_a_secret(scripted, status):
    # a server that echoes the credentials back in its error message
    server = scripted(
        lambda seen: Reply(
            status,
            {
                "error": f"bad token {seen.headers[ACCESS_TOKEN_HEADER]} "
                f"for key {seen.headers[API_KEY_HEADER]}"
            },
        )
    )
    with make_client(server.base_url) as client, pytest.raises(TrackstarError) as info:
        get(client)
    text = all_strings(info.value)
    assert "conn_1" in text and "/wms/orders" in text and "X-Request-Id req-" in text
    assert TOKEN not in text and API_KEY not in text
    assert API_KEY not in repr(client)


def test_transport_errors_do_not_chain_the_httpx_request_with_its_headers():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = TrackstarClient(
        "http://trackstar.test",
        API_KEY,
        transport=httpx.MockTransport(handler),
        retry=RetryPolicy(attempts=1),
    )
    with pytest.raises(TransientError) as info:
        get(client)
    assert info.value.__cause__ is None and info.value.__context__ is None
    text = all_strings(info.value)
    assert TOKEN not in text and API_KEY not in text
