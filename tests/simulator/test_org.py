"""The organisation: customers, a 3PL, carriers billing the same customer's packages, gaps."""

from __future__ import annotations

import collections

import pendulum
import pytest
from sim_http import client, get_all

from pipelines.simulator import Simulator


def test_customers_each_have_wms_cart_and_carrier(shared):
    by_customer = collections.defaultdict(set)
    for conn in shared.sim.connections:
        by_customer[conn["customer_id"]].add(conn["integration_type"])
    assert len(by_customer) >= 2
    assert all({"wms", "cart", "carrier"} <= types for types in by_customer.values())
    assert any("freight" in types for types in by_customer.values())


def test_an_organisation_of_n_customers_has_a_token_per_connection():
    """`customers=N`: N customers, each its own WMS, cart and carrier (its own access tokens),
    the WMS orders split evenly; for load tests of many tokens."""
    sim = Simulator(seed=7, customers=3, wms_orders=301, cart_orders_per_connection=10)
    by_customer = collections.defaultdict(list)
    for conn in sim.connections:
        by_customer[conn["customer_id"]].append(conn["integration_type"])
    assert sorted(by_customer) == ["cust_001", "cust_002", "cust_003"]
    assert all(sorted(types) == ["carrier", "cart", "wms"] for types in by_customer.values())
    assert len({c["access_token"] for c in sim.connections}) == 9
    orders = collections.defaultdict(list)
    for c in sim.connections:
        if c["integration_type"] != "carrier":
            orders[c["integration_type"]].append(sim.world.history_orders[c["connection_id"]])
    assert orders == {"wms": [101, 100, 100], "cart": [10, 10, 10]}
    with pytest.raises(ValueError, match="customers must be at least 1"):
        Simulator(seed=7, customers=0)


def test_a_customer_ships_with_its_carrier_and_orders_name_their_method(shared):
    """Order-level carrier and method agree with the packages, the shipping methods list and
    the customer's carrier connection (whose invoices bill those tracking numbers)."""
    for conn in shared.sim.connections:
        if conn["integration_type"] != "wms":
            continue
        carrier = shared.sim.connection("carrier", conn["customer_id"])
        with client(shared, conn) as c:
            methods = {m["id"]: m for m in get_all(c, "/wms/shipping-methods")}
            orders = get_all(c, "/wms/orders")
        assert {o["carrier_id"] for o in orders} == {carrier["integration_name"]}
        for o in orders:
            method = methods[o["shipping_method_id"]]
            assert o["carrier_name"] == method["carrier_name"] and o["scac"] == method["scac"]
            for s in o["shipments"]:
                assert s["shipping_method"] == o["shipping_method_id"]
                for p in s["packages"]:
                    assert p["shipping_method_id"] == o["shipping_method_id"]
                    assert p["carrier_id"] == o["carrier_id"]
            assert o["channel"] == o["channel_object"]["channel_name"]


def test_a_3pl_wms_serves_several_warehouse_customers_and_warehouses(shared):
    best = 0
    for conn in shared.sim.connections:
        if conn["integration_type"] != "wms":
            continue
        with client(shared, conn) as c:
            wcs = {r["id"] for r in get_all(c, "/wms/warehouse-customers")}
            warehouses = {r["id"] for r in get_all(c, "/wms/warehouses")}
            orders = get_all(c, "/wms/orders")
        if len(wcs) > 1:
            best = max(best, len(wcs))
            assert len(warehouses) >= 2
            assert {o["warehouse_customer_id"] for o in orders} == wcs
    assert best >= 2


def _packages(shared, customer):
    """Tracking number -> shipped_date over the customer's WMS packages and cart shipments."""
    out = {}
    for conn in shared.sim.connections:
        if conn["customer_id"] != customer or conn["integration_type"] not in ("wms", "cart"):
            continue
        with client(shared, conn) as c:
            orders = get_all(c, f"/{conn['integration_type']}/orders")
        for o in orders:
            for s in o["shipments"]:
                shipped = s.get("shipped_date") or s["created_date"]  # cart: the label's time
                for p in s.get("packages", [s]):
                    out[p["tracking_number"]] = pendulum.parse(shipped)
    return out


def test_carrier_charges_join_the_same_customers_packages(small):
    shared = small
    customers = {c["customer_id"] for c in shared.sim.connections}
    for customer in customers:
        packages = _packages(shared, customer)
        carrier = shared.sim.connection("carrier", customer)
        with client(shared, carrier) as c:
            rows = get_all(c, "/carrier/invoice-line-items")
        per_trk = collections.defaultdict(list)
        for row in rows:
            per_trk[row["tracking_number"]].append(row)
        matched = [t for t in per_trk if t in packages]
        assert len(matched) >= 0.8 * len(per_trk)  # mostly the customer's own packages
        assert all(2 <= len(v) <= 5 for v in per_trk.values())
        for trk in matched:  # billed days after shipping
            billed = min(pendulum.parse(r["trackstar_created_date"]) for r in per_trk[trk])
            assert billed.diff(packages[trk]).in_days() >= 1
        shipped_long_ago = [t for t, at in packages.items() if at < shared.sim.now.subtract(days=7)]
        unbilled = [t for t in shipped_long_ago if t not in per_trk]
        assert unbilled, "some shipped orders are never billed"
    # charges that match no order arrive as the clock moves (labels bought elsewhere)


def test_orphan_charges_match_no_order(make_simulator):
    running = make_simulator(rate_limit=False)
    running.sim.advance(hours=72)
    costs = running.sim.truth.shipment_costs()
    assert any(row["order"] is None for row in costs.values())
    assert sum(row["order"] is not None for row in costs.values()) > 0.8 * len(costs)


def test_capability_gaps_answer_501_and_403_and_agree_with_available_actions(shared):
    action_of = {
        "/wms/returns": "get_returns",
        "/wms/billing": "get_bills",
        "/wms/inventory/ledger": "get_inventory_ledger",
    }
    seen = set()
    for conn in shared.sim.connections:
        if conn["integration_type"] != "wms":
            continue
        with client(shared, conn) as c:
            for path, action in action_of.items():
                r = c.get(path)
                if action in conn["available_actions"]:
                    assert r.status_code == 200
                else:
                    assert r.status_code in (403, 501)
                    assert set(r.json()) == {"error", "origin"}
                    seen.add((path, r.status_code))
                    if r.status_code == 403:
                        assert any(
                            a["endpoint"] == path and a["preventing_sync"]
                            for e in conn["errors"]
                            for a in e["affected_endpoints"]
                        )
    assert ("/wms/returns", 501) in seen
    assert ("/wms/billing", 403) in seen and ("/wms/inventory/ledger", 403) in seen


def test_another_verticals_endpoint_is_not_implemented(shared):
    with client(shared, shared.sim.connection("cart")) as c:
        assert c.get("/wms/orders").status_code == 501
