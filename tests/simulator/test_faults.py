"""Every fault switch, in process and over HTTP."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from sim_http import client


@pytest.fixture
def running(make_simulator):
    return make_simulator(rate_limit=False, wms_orders=200, cart_orders_per_connection=30)


def _put(running, **faults):
    with httpx.Client(
        base_url=running.base_url, headers={"x-trackstar-api-key": running.api_key}
    ) as c:
        r = c.put("/_sim/faults", json=faults)
        assert r.status_code == 200, r.text
        return r.json()


def test_error_rate_answers_5xx(running):
    running.sim.faults.update(error_rate=1.0)
    with client(running, running.sim.connection("wms")) as c:
        codes = {c.get("/wms/warehouses").status_code for _ in range(6)}
        assert codes <= {500, 502, 503} and codes
        r = c.get("/wms/warehouses")
        assert set(r.json()) == {"error", "origin"} and r.headers["x-request-id"]
        running.sim.faults.update(error_rate=0.0)
        assert c.get("/wms/warehouses").status_code == 200


def test_burst_429_then_recovers(running):
    _put(running, burst_429=2)
    with client(running, running.sim.connection("wms")) as c:
        first, second, third = (c.get("/wms/warehouses") for _ in range(3))
    assert first.status_code == second.status_code == 429 and third.status_code == 200
    assert int(first.headers["retry-after"]) >= 1 and first.headers["x-ratelimit-remaining"] == "0"


def test_latency(running):
    running.sim.faults.update(latency_ms=300)
    with client(running, running.sim.connection("wms")) as c:
        started = time.monotonic()
        assert c.get("/wms/warehouses").status_code == 200
        assert time.monotonic() - started >= 0.3


def test_invalid_connection_is_401_for_that_token_only(running):
    wms, cart = running.sim.connection("wms"), running.sim.connection("cart")
    _put(running, invalid_connections=[wms["connection_id"]])
    with client(running, wms) as a, client(running, cart) as b:
        r = a.get("/wms/orders", params={"limit": 1})
        assert r.status_code == 401 and set(r.json()) == {"error", "origin"}
        assert b.get("/cart/orders", params={"limit": 1}).status_code == 200


def test_truncated_and_malformed_pages(running):
    running.sim.faults.update(truncate_pages=1, malformed_pages=1)
    with client(running, running.sim.connection("wms")) as c:
        truncated = c.get("/wms/warehouses")
        malformed = c.get("/wms/warehouses")
        fine = c.get("/wms/warehouses")
    for r in (truncated, malformed):
        assert r.status_code == 200
        with pytest.raises(json.JSONDecodeError):
            json.loads(r.content)
    assert fine.json()["data"]


def test_schema_drift(running):
    _put(running, drift_new_field=True, drift_type_change=True)
    with client(running, running.sim.connection("wms")) as c:
        orders = c.get("/wms/orders").json()["data"]
    assert all("sim_new_field" in o for o in orders)
    costs = [p["shipping_cost"] for o in orders for s in o["shipments"] for p in s["packages"]]
    assert costs and all(isinstance(x, str) for x in costs)
    truth = running.sim.truth.records(running.sim.connection("wms")["connection_id"], "wms_orders")
    assert all("sim_new_field" not in o for o in truth), (
        "faults change what is served, not the truth"
    )


def test_reset_and_unknown_faults(running):
    faults = running.sim.faults
    faults.update(
        error_rate=1.0,
        burst_429=3,
        latency_ms=5,
        invalid_connections=["x"],
        truncate_pages=2,
        malformed_pages=2,
        drift_new_field=True,
        drift_type_change=True,
    )
    faults.reset()
    with httpx.Client(
        base_url=running.base_url, headers={"x-trackstar-api-key": running.api_key}
    ) as c:
        state = c.get("/_sim/faults").json()
        assert c.put("/_sim/faults", json={"no_such_fault": 1}).status_code == 422
    assert state == {
        "error_rate": 0.0,
        "burst_429": 0,
        "latency_ms": 0,
        "invalid_connections": [],
        "truncate_pages": 0,
        "malformed_pages": 0,
        "drift_new_field": False,
        "drift_type_change": False,
        "refuse_filters": {},
        "minimal_records": False,
        "poison_records": {},
        "connections_without_tokens": [],
        "sync_problems": {},
        "connections_errors": 0,
        "failing_paths": {},
        "seed": state["seed"],
    }
    with client(running, running.sim.connection("wms")) as c:
        r = c.get("/wms/orders", params={"limit": 5})
        assert r.status_code == 200 and all("sim_new_field" not in o for o in r.json()["data"])
