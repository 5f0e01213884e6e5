"""The documented HTTP contract: envelopes, fields, single records, connections, locations."""

from __future__ import annotations

from sim_http import DATE_FIELDS, DATE_RE, LISTS, UNDATED, client, get_all


def test_every_list_endpoint_answers_the_documented_envelope(shared):
    for conn in shared.sim.connections:
        with client(shared, conn) as c:
            for path in LISTS[conn["integration_type"]]:
                r = c.get(path, params={"limit": 50})
                if r.status_code in (403, 501):  # capability gaps are checked elsewhere
                    continue
                assert r.status_code == 200, (path, r.text)
                body = r.json()
                assert set(body) == {"data", "next_token", "total_count"}, path
                assert isinstance(body["data"], list) and isinstance(body["total_count"], int)
                assert body["total_count"] >= len(body["data"])
                if (
                    path == "/cart/products"
                    and not conn["historical_sync_completed"]["get_products"]
                ):
                    assert body["data"] == []
                    continue
                if path != "/wms/inventory/ledger":  # the ledger fills as inventory changes
                    assert body["data"], (conn["integration_name"], path)
                for row in body["data"]:
                    if path in UNDATED:
                        assert DATE_RE.match(row["generated_time"]) and row["file_name"]
                        continue
                    assert isinstance(row["id"], str)
                    for f in DATE_FIELDS:
                        assert DATE_RE.match(row[f]), (path, f, row[f])


def test_single_record_gets_match_the_list(shared):
    for conn in shared.sim.connections:
        with client(shared, conn) as c:
            for path in LISTS[conn["integration_type"]]:
                if path in UNDATED:
                    assert c.get(f"{path}/anything").status_code == 404  # no single-record path
                    continue
                r = c.get(path, params={"limit": 2})
                if r.status_code != 200 or not r.json()["data"]:
                    continue
                row = r.json()["data"][0]
                single = c.get(f"{path}/{row['id']}")
                assert single.status_code == 200, (path, single.text)
                assert single.json() == {"data": row}
                missing = c.get(f"{path}/no_such_record")
                assert missing.status_code == 404
                assert set(missing.json()) == {"error", "origin"}


def test_wms_orders_carry_lines_shipments_packages_tags_and_integration_fields(shared):
    extras = {}
    for conn in [c for c in shared.sim.connections if c["integration_type"] == "wms"]:
        with client(shared, conn) as c:
            orders = get_all(c, "/wms/orders")
        assert all(o["line_items"] for o in orders)
        shipped = [o for o in orders if o["shipments"]]
        assert shipped and all(o["status"] == "fulfilled" for o in shipped)
        for o in shipped:
            for pkg in (p for s in o["shipments"] for p in s["packages"]):
                assert isinstance(pkg["tracking_number"], str) and pkg["tracking_number"]
                assert isinstance(pkg["shipping_cost"], float)
        tags = [t for o in orders for t in o["trackstar_tags"]]
        assert any(isinstance(t, str) for t in tags)
        objects = [t for t in tags if isinstance(t, dict)]
        assert objects and all(len(t) == 1 for t in objects)
        extras[conn["integration_name"]] = set(orders[0]["additional_fields"])
    assert len({frozenset(v) for v in extras.values()}) == len(extras)  # differ by integration


def test_inventory_is_keyed_by_warehouse_id(shared):
    for conn in shared.sim.connections:
        if conn["integration_type"] == "wms":
            with client(shared, conn) as c:
                warehouses = {w["id"] for w in get_all(c, "/wms/warehouses")}
                items = get_all(c, "/wms/inventory")
            for item in items:
                assert set(item["inventory_by_warehouse_id"]) == warehouses
                for levels in item["inventory_by_warehouse_id"].values():
                    assert {"onhand", "committed", "fulfillable"} <= set(levels)
                assert item["onhand"] == sum(
                    v["onhand"] for v in item["inventory_by_warehouse_id"].values()
                )
        if conn["integration_type"] == "cart" and conn["historical_sync_completed"]["get_products"]:
            with client(shared, conn) as c:
                products = get_all(c, "/cart/products")
            keyed = [
                p["inventory_by_warehouse_id"] for p in products if p["inventory_by_warehouse_id"]
            ]
            assert keyed and all(isinstance(v, int) for d in keyed for v in d.values())


def test_carrier_line_items_and_cart_shipments(shared):
    carrier = shared.sim.connection("carrier")
    with client(shared, carrier) as c:
        rows = get_all(c, "/carrier/invoice-line-items")
    for row in rows[:50]:
        assert {
            "transaction_date",
            "account_id",
            "invoice_id",
            "tracking_number",
            "charge_description",
            "gross_cost",
            "net_cost",
            "raw",
        } <= set(row)
        assert row["net_cost"] <= row["gross_cost"]
    cart = shared.sim.connection("cart")
    with client(shared, cart) as c:
        orders = get_all(c, "/cart/orders")
    assert any(s["tracking_number"] for o in orders for s in o["shipments"])


def test_connections_need_only_the_api_key(shared):
    with client(shared) as c:
        r = c.get("/connections")
        assert r.status_code == 200
        body = r.json()
        assert set(body) == {"data", "next_token", "total_count"}
        assert body["total_count"] == len(body["data"]) == 7
        for conn in body["data"]:
            assert {
                "connection_id",
                "customer_id",
                "integration_name",
                "integration_type",
                "available_actions",
                "historical_sync_completed",
                "errors",
                "access_token",
                "sync_schedules",
            } <= set(conn)
            single = c.get(f"/connections/{conn['connection_id']}")
            assert single.json() == {"data": conn}
        paged = c.get("/connections", params={"limit": 4})
        assert len(paged.json()["data"]) == 4 and paged.json()["next_token"]
        rest = c.get("/connections", params={"limit": 4, "page_token": paged.json()["next_token"]})
        ids = [x["connection_id"] for x in paged.json()["data"] + rest.json()["data"]]
        assert ids == [x["connection_id"] for x in body["data"]]
        assert c.get("/connections/conn_nope").status_code == 404
        assert c.get("/connections", params={"limit": "x"}).status_code == 422
    assert body["data"] == shared.sim.connections


def test_warehouse_locations_are_per_warehouse(shared):
    wms = shared.sim.connection("wms")
    with client(shared, wms) as c:
        warehouses = [w["id"] for w in get_all(c, "/wms/warehouses")]
        seen = set()
        for wid in warehouses:
            rows = get_all(c, f"/wms/warehouses/{wid}/locations")
            assert rows and {r["warehouse_id"] for r in rows} == {wid}
            seen |= {r["id"] for r in rows}
            single = c.get(f"/wms/warehouses/{wid}/locations/{rows[0]['id']}")
            assert single.status_code == 200 and single.json()["data"] == rows[0]
        assert c.get("/wms/warehouses/wh_nope/locations").json()["data"] == []
        assert len(seen) >= len(warehouses)
