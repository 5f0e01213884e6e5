"""The clock: new orders, status moves, inventory changes, late invoices and late records."""

from __future__ import annotations

import httpx
import pendulum
from sim_http import client, get_all, iso


def _changes(running, conn, path, since):
    with client(running, conn) as c:
        return get_all(c, path, **{"trackstar_updated_date[gt]": iso(since)})


def test_advancing_the_clock_changes_records_inside_the_interval(make_simulator):
    running = make_simulator(rate_limit=False)
    sim = running.sim
    wms = next(c for c in sim.connections if c["integration_name"] == "shipfast")
    carrier = sim.connection("carrier", wms["customer_id"])
    with client(running, wms) as c:
        before = {o["id"]: o for o in get_all(c, "/wms/orders")}
        inventory_before = {i["id"]: i for i in get_all(c, "/wms/inventory")}
    with client(running, carrier) as c:
        charges_before = {r["id"] for r in get_all(c, "/carrier/invoice-line-items")}
    t0 = sim.now
    t1 = sim.advance(hours=6)
    assert t1 == t0.add(hours=6)
    changed = _changes(running, wms, "/wms/orders", t0)
    assert changed
    for row in changed:  # every change lies in (t0, t1]
        assert iso(t0) < row["trackstar_updated_date"] <= iso(t1)
    new = [o for o in changed if o["id"] not in before]
    moved = [o for o in changed if o["id"] in before and o["status"] != before[o["id"]]["status"]]
    assert new and moved
    newly_shipped = [o for o in moved if o["status"] == "fulfilled"]
    assert newly_shipped and all(o["shipments"][0]["packages"] for o in newly_shipped)
    assert all(not before[o["id"]]["shipments"] for o in newly_shipped)

    inventory = _changes(running, wms, "/wms/inventory", t0)
    assert inventory and any(
        i["inventory_by_warehouse_id"] != inventory_before[i["id"]]["inventory_by_warehouse_id"]
        for i in inventory
    )
    charges = _changes(running, carrier, "/carrier/invoice-line-items", t0)
    assert {r["id"] for r in charges} - charges_before
    for row in charges:
        assert iso(t0) < row["trackstar_created_date"] <= iso(t1)


def test_invoices_follow_shipping_by_days(make_simulator):
    running = make_simulator(rate_limit=False, wms_orders=600, cart_orders_per_connection=60)
    sim = running.sim
    wms = next(c for c in sim.connections if c["integration_name"] == "shipfast")
    t0 = sim.now
    sim.advance(hours=48)
    shipped = {}
    for o in _changes(running, wms, "/wms/orders", t0):
        for s in o["shipments"]:
            if s["shipped_date"] > iso(t0):  # not an old order surfaced late
                for p in s["packages"]:
                    shipped[p["tracking_number"]] = s["shipped_date"]
    assert shipped
    carrier = sim.connection("carrier", wms["customer_id"])
    with client(running, carrier) as c:
        billed = {r["tracking_number"] for r in get_all(c, "/carrier/invoice-line-items")}
    assert not billed & set(shipped), "nothing shipped in the last 2 days is billed yet (2-6 days)"
    sim.advance(hours=24 * 6)
    with client(running, carrier) as c:
        billed = {r["tracking_number"] for r in get_all(c, "/carrier/invoice-line-items")}
    assert len(billed & set(shipped)) >= 0.6 * len(shipped)


def test_old_records_surface_late(make_simulator):
    running = make_simulator(rate_limit=False, wms_orders=600, cart_orders_per_connection=60)
    sim = running.sim
    t0 = sim.now
    sim.advance(hours=48)
    late = []
    for conn in sim.connections:
        if conn["integration_type"] not in ("wms", "cart"):
            continue
        late_ids = {rid for rid, _ in sim.truth.late_surfaced(conn["connection_id"])}
        kind = conn["integration_type"]
        for row in _changes(running, conn, f"/{kind}/orders", t0):
            if pendulum.parse(row["updated_date"]) < t0:  # the source's clock is in the past
                late.append(row)
                assert pendulum.parse(row["trackstar_updated_date"]) > t0
                assert row["id"] in late_ids or pendulum.parse(row["created_date"]) < t0
    assert late


def test_the_clock_moves_over_http(simulator):
    with httpx.Client(
        base_url=simulator.base_url, headers={"x-trackstar-api-key": simulator.api_key}
    ) as c:
        before = simulator.sim.now
        r = c.post("/_sim/advance", json={"hours": 1})
        assert r.status_code == 200
        assert pendulum.parse(r.json()["now"]) == before.add(hours=1) == simulator.sim.now
        assert c.get("/_sim/clock").json() == r.json()
        assert c.post("/_sim/advance", json={"hours": 0}).status_code == 422
        assert c.post("/_sim/advance", content=b"not json").status_code == 422
        assert (
            c.post(
                "/_sim/advance", json={"hours": 1}, headers={"x-trackstar-api-key": "x"}
            ).status_code
            == 401
        )
