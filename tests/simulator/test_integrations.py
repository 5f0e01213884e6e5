"""`GET /integrations/{integration_type}` says what each integration fills, and it is true."""

from __future__ import annotations

from sim_http import client, get_all

from pipelines.simulator.integrations import INTEGRATION_TYPES


def test_a_field_an_integration_does_not_provide_is_never_filled_in_its_records(small):
    with client(small) as c:
        info = {
            (t, i["integration_name"]): i
            for t in INTEGRATION_TYPES
            for i in c.get(f"/integrations/{t}").json()["data"]
        }
        assert c.get("/integrations/carrier").status_code == 422  # not a documented type
    names = {(conn["integration_type"], conn["integration_name"]) for conn in small.sim.connections}
    assert set(info) == names - {(t, n) for t, n in names if t == "carrier"}
    not_provided = 0
    for conn in small.sim.connections:
        key = (conn["integration_type"], conn["integration_name"])
        if key not in info:
            continue
        for operation in info[key]["list_operations"]:
            missing = [f for f, given in operation["implemented_fields"].items() if not given]
            if not missing:
                continue
            not_provided += len(missing)
            path = operation["url"].removeprefix("GET ")
            with client(small, conn) as c:
                records = get_all(c, path)
            assert records, path
            filled = {f for r in records for f in missing if r.get(f) is not None}
            assert not filled, f"{key} {path}: fills what it does not provide: {filled}"
    assert not_provided == 9  # Cool WMS (orders 3, inventory 3, products 2), BigCommerce orders 1
    # an operation the integration does not implement (501) is not listed: Cool WMS has no returns
    cool = info[("wms", "cool_wms")]
    assert "get_returns" not in cool["available_actions"]
    assert "get_returns" in info[("wms", "shipfast")]["available_actions"]


def test_one_call_a_minute(make_simulator):
    running = make_simulator(wms_orders=50, cart_orders_per_connection=5, history_days=3)
    with client(running) as c:
        assert c.get("/integrations/wms").status_code == 200
        refused = c.get("/integrations/cart")
        assert refused.status_code == 429 and refused.headers["retry-after"] == "60"
        running.sim.advance(minutes=1)
        assert c.get("/integrations/cart").status_code == 200
