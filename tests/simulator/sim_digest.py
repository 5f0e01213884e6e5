"""A digest of everything the simulator serves, to prove an optimisation changed no data.

    .venv/bin/python tests/simulator/sim_digest.py [--quick]

For a few worlds it walks every page of every list endpoint over real HTTP (plain, filtered by
`trackstar_updated_date[gte]`, by status and by `ids[in]`, plus single records), before and after
advancing the clock, and digests the ground truth too. It prints one sha256 per world twice: of
the parsed JSON re-dumped with sorted keys (the data), and of the raw response bodies (the bytes).
Not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

import httpx
import orjson
import pendulum

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipelines.simulator import Simulator, SimulatorServer  # noqa: E402
from pipelines.simulator.resources import RESOURCES  # noqa: E402


class Digest:
    def __init__(self) -> None:
        self.data, self.raw = hashlib.sha256(), hashlib.sha256()

    def add(self, label: str, body: bytes) -> Any:
        self.raw.update(label.encode() + b"\0" + body + b"\0")
        parsed = orjson.loads(body)
        self.data.update(label.encode() + b"\0")
        self.data.update(orjson.dumps(parsed, option=orjson.OPT_SORT_KEYS, default=str) + b"\0")
        return parsed

    def add_value(self, label: str, value: Any) -> None:
        self.add(label, orjson.dumps(value, option=orjson.OPT_SORT_KEYS, default=str))


def walk(d: Digest, c: httpx.Client, path: str, limit: int, **params: Any) -> list[dict]:
    rows, token, n = [], None, 0
    while True:
        query = {"limit": limit, **params, **({"page_token": token} if token else {})}
        r = c.get(path, params=query)
        body = d.add(f"{path}?{sorted(params.items())}#{n}:{r.status_code}", r.content)
        if r.status_code != 200:
            return rows
        rows += body["data"]
        token, n = body["next_token"], n + 1
        if token is None:
            return rows


def snapshot(d: Digest, sim: Simulator, server: SimulatorServer, limit: int) -> None:
    now = sim.now
    for conn in sim.connections:
        d.add_value("conn", conn)
        headers = {
            "x-trackstar-api-key": sim.api_key,
            "x-trackstar-access-token": conn["access_token"],
        }
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as c:
            warehouses = (
                [r["id"] for r in walk(d, c, "/wms/warehouses", 1000)]
                if conn["integration_type"] == "wms"
                else []
            )
            for res in RESOURCES:
                if res.vertical != conn["integration_type"]:
                    continue
                paths = (
                    [res.path.replace("{warehouse_id}", w) for w in warehouses]
                    if res.parent_param
                    else [res.path]
                )
                for path in paths:
                    rows = walk(d, c, path, limit)
                    for days in (2, 20):
                        since = now.subtract(days=days).format("YYYY-MM-DDTHH:mm:ss") + "Z"
                        walk(d, c, path, limit, **{"trackstar_updated_date[gte]": since})
                        walk(d, c, path, limit, **{"updated_date[lt]": since})
                    if res.statuses:
                        walk(d, c, path, limit, **{"status[in]": ",".join(res.statuses[:3])})
                        walk(d, c, path, limit, status=res.statuses[-1])
                    ids = [r["id"] for r in rows[:: max(1, len(rows) // 50)]][:60]
                    if ids:
                        walk(d, c, path, limit, **{"ids[in]": ",".join(ids)})
                        for rid in ids[:5]:
                            r = c.get(f"{path}/{rid}")
                            d.add(f"{path}/{rid}:{r.status_code}", r.content)
    truth = sim.truth
    for conn in sim.connections:
        cid = conn["connection_id"]
        for res in RESOURCES:
            if res.vertical == conn["integration_type"]:
                d.add_value(f"truth {cid} {res.name}", truth.records(cid, res.name))
        if conn["integration_type"] != "carrier":
            order_ids = truth.order_ids(cid)
            d.add_value(f"order_ids {cid}", order_ids)
            for oid in order_ids[:: max(1, len(order_ids) // 40)]:
                d.add_value(f"history {cid} {oid}", truth.status_history(cid, oid))
        d.add_value(f"late {cid}", truth.late_surfaced(cid))
    d.add_value("shipment_costs", sorted(map(list, truth.shipment_costs().items()), key=str))
    d.add_value("order_costs", sorted(map(list, truth.order_costs().items()), key=str))
    d.add_value("inventory", sorted(map(list, truth.inventory_at(now).items()), key=str))
    day = now.subtract(days=1).date()
    d.add_value(
        "inventory_eod", sorted(map(list, truth.inventory_end_of_day(day).items()), key=str)
    )


def world_digest(limit: int, **options: Any) -> tuple[str, str]:
    d = Digest()
    sim = Simulator(**options)
    with SimulatorServer(sim, rate_limit=False) as server:
        snapshot(d, sim, server, limit)
        for hours in (1, 5):
            sim.advance(hours=hours)
            snapshot(d, sim, server, limit)
        with httpx.Client(base_url=server.base_url, timeout=60) as c:  # the HTTP clock too
            r = c.post(
                "/_sim/advance", json={"hours": 2}, headers={"x-trackstar-api-key": sim.api_key}
            )
            r.raise_for_status()
        snapshot(d, sim, server, limit)
        sim.faults.update(drift_new_field=True, drift_type_change=True)
        snapshot(d, sim, server, limit)
    assert pendulum.instance(sim.now)
    return d.data.hexdigest(), d.raw.hexdigest()


WORLDS: list[tuple[int, dict[str, Any]]] = [
    (1000, {"seed": 7}),
    (137, {"seed": 7, "wms_orders": 300, "cart_orders_per_connection": 60}),
    (1000, {"seed": 3, "wms_orders": 20000}),
]

if __name__ == "__main__":
    worlds = WORLDS[:2] if "--quick" in sys.argv else WORLDS
    for limit, options in worlds:
        data, raw = world_digest(limit, **options)
        print(f"{options} limit={limit}: data {data} raw {raw}", flush=True)
