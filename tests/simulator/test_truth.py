"""Ground truth agrees with what the API serves."""

from __future__ import annotations

import collections
from decimal import Decimal

from sim_http import client, get_all


def test_served_charges_sum_to_the_truth_per_tracking_number(small):
    small.sim.advance(hours=30)  # (this module's own simulator: moving its clock is fine)
    truth = small.sim.truth.shipment_costs()
    served = collections.defaultdict(lambda: Decimal("0.00"))
    for conn in small.sim.connections:
        if conn["integration_type"] == "carrier":
            with client(small, conn) as c:
                for row in get_all(c, "/carrier/invoice-line-items"):
                    served[(conn["connection_id"], row["tracking_number"])] += Decimal(
                        str(row["net_cost"])
                    )
    assert served and set(served) == set(truth)
    for key, total in served.items():
        assert total == truth[key]["net_cost"], key


def test_status_history_ends_at_the_served_status(small):
    for conn in small.sim.connections:
        if conn["integration_type"] not in ("wms", "cart"):
            continue
        with client(small, conn) as c:
            orders = get_all(c, f"/{conn['integration_type']}/orders")
        for order in orders:
            history = small.sim.truth.status_history(conn["connection_id"], order["id"])
            assert history[-1]["status"] == order["status"], order["id"]
            assert (
                history[0]["status"] == "open"
                or order["created_date"] < order["trackstar_created_date"]
            )
            times = [h["changed_at"] for h in history]
            assert times == sorted(times)


def test_inventory_truth_at_now_is_what_is_served(small):
    truth = small.sim.truth.inventory_at(small.sim.now)
    served = {}
    for conn in small.sim.connections:
        if conn["integration_type"] == "wms":
            with client(small, conn) as c:
                for item in get_all(c, "/wms/inventory"):
                    for wid, levels in item["inventory_by_warehouse_id"].items():
                        served[(conn["connection_id"], item["id"], wid)] = levels
    assert served == truth


def test_truth_records_are_the_served_records(small):
    wms = small.sim.connection("wms")
    with client(small, wms) as c:
        served = {r["id"]: r for r in get_all(c, "/wms/orders")}
    truth = {r["id"]: r for r in small.sim.truth.records(wms["connection_id"], "wms_orders")}
    assert served == truth
