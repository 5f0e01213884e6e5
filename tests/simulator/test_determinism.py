"""Same seed, same organisation and data; another seed, other data."""

from __future__ import annotations

from sim_http import client, get_all


def _snapshot(running):
    out = {"connections": running.sim.connections, "api_key": running.api_key}
    for conn in running.sim.connections:
        kind = conn["integration_type"]
        path = {"wms": "/wms/orders", "cart": "/cart/orders", "carrier": "/carrier/invoice-line-items"}[kind]
        with client(running, conn) as c:
            out[conn["connection_id"]] = get_all(c, path)
    return out


def test_same_seed_same_data_other_seed_other_data(make_simulator):
    options = {"rate_limit": False, "wms_orders": 300, "cart_orders_per_connection": 40}
    a, b, c = make_simulator(seed=7, **options), make_simulator(seed=7, **options), make_simulator(seed=8, **options)
    snap_a = _snapshot(a)
    assert snap_a == _snapshot(b)
    snap_c = _snapshot(c)
    assert snap_c["api_key"] != snap_a["api_key"]
    assert [x["access_token"] for x in snap_c["connections"]] != [x["access_token"] for x in snap_a["connections"]]
    a.sim.advance(hours=5)
    b.sim.advance(hours=5)
    assert _snapshot(a) == _snapshot(b)
