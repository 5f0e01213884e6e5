"""Same seed, same organisation and data; another seed, other data."""

from __future__ import annotations

from pathlib import Path

from sim_http import client, get_all

ROOT = str(Path(__file__).resolve().parents[2])


def _snapshot(running):
    out = {"connections": running.sim.connections, "api_key": running.api_key}
    for conn in running.sim.connections:
        kind = conn["integration_type"]
        path = {
            "wms": "/wms/orders",
            "cart": "/cart/orders",
            "carrier": "/carrier/invoice-line-items",
            "freight": "/freight/shipments",
        }[kind]
        with client(
            running, conn
        ) as c:  # the newest changes: the build and the clock both show there
            since = running.sim.now.subtract(days=3).format("YYYY-MM-DDTHH:mm:ss") + "Z"
            out[conn["connection_id"]] = get_all(c, path, **{"trackstar_updated_date[gte]": since})
    return out


def test_same_seed_same_data_other_seed_other_data(make_simulator):
    options = {"rate_limit": False, "wms_orders": 300, "cart_orders_per_connection": 40}
    a, b, c = (
        make_simulator(seed=7, **options),
        make_simulator(seed=7, **options),
        make_simulator(seed=8, **options),
    )
    snap_a = _snapshot(a)
    assert snap_a == _snapshot(b)
    snap_c = _snapshot(c)
    assert snap_c["api_key"] != snap_a["api_key"]
    assert [x["access_token"] for x in snap_c["connections"]] != [
        x["access_token"] for x in snap_a["connections"]
    ]
    a.sim.advance(hours=5)
    b.sim.advance(hours=5)
    assert _snapshot(a) == _snapshot(b)


DIGEST = """
import hashlib, orjson
from pipelines.simulator import Simulator
sim = Simulator(seed=7, wms_orders=200, cart_orders_per_connection=20)
rows = [sim.truth.records(c["connection_id"], f"{c['integration_type']}_orders")
        for c in sim.connections if c["integration_type"] in ("wms", "cart")]
print(hashlib.sha256(orjson.dumps([rows, sim.truth.shipment_costs().keys().__len__()])).hexdigest())
"""


def test_data_does_not_depend_on_the_process_hash_seed():
    import os
    import subprocess
    import sys

    digests = {
        subprocess.run(
            [sys.executable, "-c", DIGEST],
            env={**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": ROOT},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for hash_seed in ("1", "2")
    }
    assert len(digests) == 1
