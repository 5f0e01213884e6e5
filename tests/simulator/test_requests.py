"""Auth, limits, pagination, filters, rate limits and headers."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime

import pytest
from sim_http import client, get_all, iso


def test_missing_or_wrong_credentials_answer_401(shared):
    wms = shared.sim.connection("wms")
    cases = [
        {},  # nothing
        {"x-trackstar-api-key": "wrong", "x-trackstar-access-token": wms["access_token"]},
        {"x-trackstar-api-key": shared.api_key},  # no token
        {"x-trackstar-api-key": shared.api_key, "x-trackstar-access-token": "tok_wrong"},
    ]
    import httpx

    with httpx.Client(base_url=shared.base_url) as c:
        for headers in cases:
            r = c.get("/wms/orders", headers=headers)
            assert r.status_code == 401, headers
            assert set(r.json()) == {"error", "origin"} and r.json()["origin"] == "trackstar"
            assert r.headers["x-request-id"]
        assert c.get("/connections").status_code == 401
        assert c.get("/connections", headers={"x-trackstar-api-key": "no"}).status_code == 401


def test_limit_defaults_to_and_caps_at_1000(shared):
    wms = shared.sim.connection("wms")
    with client(shared, wms) as c:
        assert len(c.get("/wms/orders").json()["data"]) == 1000
        assert len(c.get("/wms/orders", params={"limit": 5000}).json()["data"]) == 1000
        assert len(c.get("/wms/orders", params={"limit": 7}).json()["data"]) == 7
        assert c.get("/wms/orders", params={"limit": "x"}).status_code == 422


def test_pagination_visits_every_record_once(shared):
    wms = shared.sim.connection("wms")
    with client(shared, wms) as c:
        first = c.get("/wms/orders", params={"limit": 300}).json()
        rows = get_all(c, "/wms/orders", limit=300)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == first["total_count"]
    assert set(ids) == set(shared.sim.truth.order_ids(wms["connection_id"]))


def test_a_page_token_does_not_carry_the_filters(shared):
    wms = shared.sim.connection("wms")
    with client(shared, wms) as c:
        first = c.get("/wms/orders", params={"status[eq]": "cancelled", "limit": 5}).json()
        assert {r["status"] for r in first["data"]} == {"cancelled"} and first["next_token"]
        second = c.get(
            "/wms/orders", params={"page_token": first["next_token"], "limit": 50}
        ).json()
        assert {r["status"] for r in second["data"]} - {"cancelled"}, "unfiltered rows come back"
        repeated = c.get(
            "/wms/orders",
            params={"page_token": first["next_token"], "limit": 50, "status[eq]": "cancelled"},
        ).json()
        assert {r["status"] for r in repeated["data"]} == {"cancelled"}
        assert c.get("/wms/orders", params={"page_token": "garbage!"}).status_code == 422


OPS = {
    "eq": lambda v, t: v == t,
    "neq": lambda v, t: v != t,
    "gt": lambda v, t: v > t,
    "gte": lambda v, t: v >= t,
    "lt": lambda v, t: v < t,
    "lte": lambda v, t: v <= t,
}


@pytest.mark.parametrize(
    "field",
    [
        "created_date",
        "updated_date",
        "trackstar_created_date",
        "trackstar_updated_date",
        "status",
        "warehouse_customer_id",
    ],
)
def test_filters_on_every_field_and_operator(small, field):
    wms = next(
        c
        for c in small.sim.connections
        if c["integration_type"] == "wms" and c["integration_name"] == "shipfast"
    )
    with client(small, wms) as c:
        everything = get_all(c, "/wms/orders")
        values = sorted({r[field] for r in everything})
        pivot = values[len(values) // 2]
        some = values[:3]
        for op, test in OPS.items():
            got = get_all(c, "/wms/orders", **{f"{field}[{op}]": pivot})
            want = [r["id"] for r in everything if test(r[field], pivot)]
            assert sorted(r["id"] for r in got) == sorted(want), (field, op)
        got_in = get_all(c, "/wms/orders", **{f"{field}[in]": ",".join(some)})
        assert sorted(r["id"] for r in got_in) == sorted(
            r["id"] for r in everything if r[field] in some
        )
        got_nin = get_all(c, "/wms/orders", **{f"{field}[nin]": ",".join(some)})
        assert len(got_nin) + len(got_in) == len(everything)
        plain = get_all(c, "/wms/orders", **{field: pivot})  # no operator means eq
        assert sorted(r["id"] for r in plain) == sorted(
            r["id"] for r in everything if r[field] == pivot
        )


def test_filters_combine_and_ids_override_them(shared):
    wms = shared.sim.connection("wms")
    with client(shared, wms) as c:
        rows = c.get("/wms/orders", params={"limit": 150}).json()["data"]
        ids = [r["id"] for r in rows[:10]]
        got = c.get(
            "/wms/orders", params={"ids[in]": ",".join(ids), "status[eq]": "no_such_status"}
        ).json()
        assert sorted(r["id"] for r in got["data"]) == sorted(ids) and got["total_count"] == 10
        too_many = c.get("/wms/orders", params={"ids[in]": ",".join(r["id"] for r in rows[:101])})
        assert too_many.status_code == 422
        in_too_many = c.get(
            "/wms/orders", params={"status[in]": ",".join(f"s{i}" for i in range(101))}
        )
        assert in_too_many.status_code == 422
        both = get_all(
            c,
            "/wms/orders",
            **{
                "status[eq]": "fulfilled",
                "created_date[gte]": iso(shared.sim.now.subtract(days=10)),
            },
        )
        assert both and all(
            r["status"] == "fulfilled"
            and r["created_date"] >= iso(shared.sim.now.subtract(days=10))
            for r in both
        )


def test_unknown_filter_field_or_operator_is_422_naming_it(shared):
    with client(shared, shared.sim.connection("wms")) as c:
        for name in ("colour[eq]", "status[like]", "sku"):
            r = c.get("/wms/orders", params={name: "x"})
            assert r.status_code == 422 and name in r.json()["error"]
        bad_date = c.get("/wms/orders", params={"created_date[gte]": "yesterday"})
        assert bad_date.status_code == 422


def test_rate_limit_is_10_gets_per_second_per_token(make_simulator):
    running = make_simulator()
    wms, cart = running.sim.connection("wms"), running.sim.connection("cart")
    with client(running, wms) as a, client(running, cart) as b:
        codes = [a.get("/wms/warehouses") for _ in range(12)]
        limited = [r for r in codes if r.status_code == 429]
        assert limited, [r.status_code for r in codes]
        ok = codes[0]
        assert ok.headers["x-ratelimit-limit"] == "10"
        assert int(ok.headers["x-ratelimit-remaining"]) <= 9
        assert int(ok.headers["x-ratelimit-reset"]) >= int(time.time())
        r = limited[0]
        assert r.headers["x-ratelimit-remaining"] == "0" and int(r.headers["retry-after"]) >= 1
        assert "x-ratelimit-reset" in r.headers and set(r.json()) == {"error", "origin"}
        assert b.get("/cart/warehouses").status_code == 200  # another token's budget is its own
        time.sleep(1.1)
        assert a.get("/wms/warehouses").status_code == 200
    # what a load test reads: each token's requests, its 429s and its rate over its busy period
    with client(running) as c:
        served = c.get("/_sim/requests").json()["connections"]
    assert set(served) == {wms["connection_id"], cart["connection_id"]}
    mine = served[wms["connection_id"]]
    assert mine["requests"] == 13 and mine["rate_limited"] == len(limited)
    assert mine["by_status"] == {"200": 13 - len(limited), "429": len(limited)}
    assert mine["busy_seconds"] >= 1.1
    assert 0 < mine["requests_per_second"] <= 10
    assert mine["resources"]["wms_warehouses"]["requests"] == 13
    assert served[cart["connection_id"]]["requests"] == 1


def test_every_response_has_a_request_id_and_the_simulated_date(shared):
    with client(shared, shared.sim.connection("wms")) as c:
        responses = [
            c.get("/wms/orders", params={"limit": 1}),
            c.get("/nope"),
            c.get("/connections"),
            c.get("/wms/orders", params={"bad[eq]": 1}),
        ]
    ids = [r.headers["x-request-id"] for r in responses]
    assert all(ids) and len(set(ids)) == len(ids)
    for r in responses:
        assert parsedate_to_datetime(r.headers["date"]).timestamp() == shared.sim.now.timestamp()


def test_historical_sync_gates_the_data(make_simulator):
    running = make_simulator(rate_limit=False)
    late = next(
        c for c in running.sim.connections if not all(c["historical_sync_completed"].values())
    )
    action = next(a for a, done in late["historical_sync_completed"].items() if not done)
    assert action == "get_products"
    with client(running, late) as c:
        assert c.get("/cart/products").json() == {"data": [], "next_token": None, "total_count": 0}
        running.sim.advance(hours=25)
        conn = c.get(f"/connections/{late['connection_id']}").json()["data"]
        assert conn["historical_sync_completed"][action] is True
        assert c.get("/cart/products").json()["data"]
