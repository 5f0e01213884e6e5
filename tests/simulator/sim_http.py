"""Small HTTP helpers shared by the simulator tests (real HTTP against a running simulator)."""

from __future__ import annotations

import re
from typing import Any

import httpx

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DATE_FIELDS = ("created_date", "updated_date", "trackstar_created_date", "trackstar_updated_date")

# every list endpoint of every vertical (the per-warehouse locations are tested separately)
LISTS = {
    "wms": [
        "/wms/orders",
        "/wms/inventory",
        "/wms/products",
        "/wms/inbound-shipments",
        "/wms/returns",
        "/wms/billing",
        "/wms/inventory/ledger",
        "/wms/shipping-methods",
        "/wms/warehouses",
        "/wms/warehouse-customers",
        "/wms/orders/channels",
        "/wms/inbound-shipments/suppliers",
        "/wms/labor-activities",
    ],
    "cart": ["/cart/orders", "/cart/products", "/cart/warehouses"],
    "carrier": ["/carrier/invoice-line-items", "/carrier/files"],
    "freight": ["/freight/shipments"],
}
# carrier files have no id and no Trackstar dates: keyed by file_name and generated_time
UNDATED = ("/carrier/files",)


def client(running: Any, conn: dict[str, Any] | None = None, **headers: str) -> httpx.Client:
    """A keep-alive client with the org's API key (and a connection's access token)."""
    base = {"x-trackstar-api-key": running.api_key}
    if conn is not None:
        base["x-trackstar-access-token"] = conn["access_token"]
    base.update(headers)
    return httpx.Client(base_url=running.base_url, headers=base, timeout=30)


def get_all(c: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every row of a list endpoint, repeating the filters on every page."""
    rows: list[dict[str, Any]] = []
    token = None
    while True:
        query = dict(params)
        if token:
            query["page_token"] = token
        r = c.get(path, params=query)
        assert r.status_code == 200, r.text
        body = r.json()
        rows += body["data"]
        token = body["next_token"]
        if token is None:
            return rows


def iso(dt: Any) -> str:
    return dt.in_timezone("UTC").format("YYYY-MM-DDTHH:mm:ss") + "Z"
