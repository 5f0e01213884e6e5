"""Resources beyond plain lists: packs per order, carrier files' window, freight, money, faults
that make records documented-minimal, poisoned or refuse a date filter."""

from __future__ import annotations

import pendulum
from sim_http import client, get_all, iso

from pipelines.trackstar import documented


def test_packs_follow_the_order_through_packing(small):
    wms = small.sim.connection("wms", "cust_acme")
    truth = small.sim.truth.pack_counts(wms["connection_id"])
    with client(small, wms) as c:
        orders = get_all(c, "/wms/orders")
        packed = next(o for o in orders if o["status"] == "fulfilled")
        waiting = next(o for o in orders if o["status"] in ("open", "confirmed"))
        body = c.get(f"/wms/orders/{packed['id']}/packs").json()["data"]
        assert len(body["packs"]) == truth[packed["id"]] == len(packed["shipments"][0]["packages"])
        assert body["carrier_id"] == packed["carrier_id"]
        assert body["shipping_method_id"] == packed["shipping_method_id"]
        assert body["ship_to_address"] == packed["ship_to_address"]
        assert sum(li["quantity"] for li in body["order_line_items"]) == sum(
            li["quantity"] for li in packed["line_items"]
        )
        assert c.get(f"/wms/orders/{waiting['id']}/packs").json()["data"]["packs"] == []
        assert waiting["id"] not in truth
        assert c.get("/wms/orders/ord_nope/packs").status_code == 404
    gaps = small.sim.connection("wms", "cust_globex")
    with client(small, gaps) as c:
        orders = get_all(c, "/wms/orders", limit=1)
        r = c.get(f"/wms/orders/{orders[0]['id']}/packs")
        assert r.status_code == 501 and "get_order_packs" in r.json()["error"]


def test_carrier_files_are_windowed_on_generated_time(small):
    carrier = small.sim.connection("carrier", "cust_acme")
    now = small.sim.now
    with client(small, carrier) as c:
        recent = get_all(c, "/carrier/files")
        since = iso(now.subtract(days=10))
        windowed = get_all(c, "/carrier/files", start_time=since, end_time=iso(now))
        assert (
            c.get("/carrier/files", params={"trackstar_updated_date[gte]": since}).status_code
            == 422
        )
    day_ago = now.subtract(hours=24)
    assert recent and all(pendulum.parse(f["generated_time"]) >= day_ago for f in recent)
    assert len(windowed) > len(recent)
    assert all(pendulum.parse(f["generated_time"]) >= now.subtract(days=10) for f in windowed)
    for f in windowed:  # a presigned URL, valid 20 minutes from when it was served
        assert pendulum.parse(f["download_url_expires_at"]) == now.add(minutes=20)


def test_freight_shipments_move_through_their_statuses(make_simulator):
    running = make_simulator(rate_limit=False, wms_orders=200, cart_orders_per_connection=20)
    sim = running.sim
    freight = sim.connection("freight")
    with client(running, freight) as c:
        before = {s["id"]: s for s in get_all(c, "/freight/shipments")}
    assert {s["status"] for s in before.values()} >= {"final_destination", "in_transit"}
    costs = sim.truth.freight_costs()
    for s in before.values():
        assert float(costs[(freight["connection_id"], s["id"])][1]) == s["cost"]
        if s["status"] == "final_destination":
            assert s["arrival_date"] and s["shipment_date"] <= s["arrival_date"]
        else:
            assert s["arrival_date"] is None
    sim.advance(hours=24 * 7)
    with client(running, freight) as c:
        after = {s["id"]: s for s in get_all(c, "/freight/shipments")}
    flow = (
        "pre_transit",
        "in_transit",
        "arrival_port",
        "en_route_to_destination",
        "final_destination",
    )
    moved = [i for i in before if flow.index(after[i]["status"]) > flow.index(before[i]["status"])]
    assert moved and len(after) >= len(before)


def test_bills_are_one_row_per_charge_and_carts_have_their_currency(shared):
    wms = shared.sim.connection("wms", "cust_acme")
    with client(shared, wms) as c:
        bills = get_all(c, "/wms/billing")
    assert {b["charge_type"] for b in bills} >= {"fulfillment", "storage", "receiving"}
    assert {b["currency_code"] for b in bills} == {"USD"}
    assert any(b["object_type"] == "inbound_shipment" and b["object_id"] for b in bills)
    for customer, currency in (("cust_acme", "USD"), ("cust_globex", "CAD")):
        with client(shared, shared.sim.connection("cart", customer)) as c:
            orders = get_all(c, "/cart/orders")
        assert {o["invoice_currency_code"] for o in orders} == {currency}


def test_switches_make_records_minimal_poisoned_or_refuse_a_filter(make_simulator):
    running = make_simulator(rate_limit=False, wms_orders=200, cart_orders_per_connection=20)
    sim, faults = running.sim, running.sim.faults
    wms = sim.connection("wms", "cust_acme")
    since = {"trackstar_updated_date[gte]": iso(sim.now.subtract(days=40))}
    with client(running, wms) as c:
        faults.update(minimal_records=True)
        order = c.get("/wms/orders", params={"limit": 1}).json()["data"][0]
        assert set(order) == {p for p in documented.required("wms_orders") if "." not in p}
        faults.update(minimal_records=False, poison_records={"/wms/orders": "missing_id"})
        page = c.get("/wms/orders", params={"limit": 3}).json()["data"]
        assert "id" not in page[0] and all("id" in o for o in page[1:])
        faults.update(poison_records={"/wms/orders": "bad_cursor"})
        assert (
            c.get("/wms/orders", params={"limit": 1}).json()["data"][0]["trackstar_updated_date"]
            == "not a date"
        )
        faults.update(poison_records={}, refuse_filters={"/wms/orders": ["trackstar_updated_date"]})
        r = c.get("/wms/orders", params=since)
        assert r.status_code == 422 and "trackstar_updated_date[gte]" in r.json()["error"]
        assert (
            c.get(
                "/wms/orders", params={"updated_date[gte]": since["trackstar_updated_date[gte]"]}
            ).status_code
            == 200
        )
        assert c.get("/wms/inventory", params=since).status_code == 200
        faults.update(refuse_filters={"/wms/orders": ["trackstar_updated_date[lt]"]})
        assert c.get("/wms/orders", params=since).status_code == 200  # [gte] still works
        until = {"trackstar_updated_date[lt]": since["trackstar_updated_date[gte]"]}
        r = c.get("/wms/orders", params=until)
        assert r.status_code == 422 and "trackstar_updated_date[lt]" in r.json()["error"]
        faults.update(refuse_filters={"*": ["trackstar_updated_date"]})
        assert c.get("/wms/inventory", params=since).status_code == 422
    faults.update(refuse_filters={}, connections_without_tokens=[wms["connection_id"]])
    with client(running) as c:
        listed = {x["connection_id"]: x for x in c.get("/connections").json()["data"]}
    assert "access_token" not in listed[wms["connection_id"]]
    assert all("access_token" in x for cid, x in listed.items() if cid != wms["connection_id"])
