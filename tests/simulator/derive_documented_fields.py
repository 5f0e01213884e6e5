"""Derive `pipelines/trackstar/documented_fields.json` from Trackstar's OpenAPI specification.

    .venv/bin/python tests/simulator/derive_documented_fields.py \
        ../shared/trackstar-docs/trackstar-openapi-2025-10.json

The committed JSON is the contract the simulator is held to (`test_documented_fields.py`): for
every list endpoint (and the per-order packs), every documented field path with its documented
type, and the paths the spec marks required. Most of it comes from the spec's response schemas;
what the spec leaves out comes from Trackstar's other documentation pages and is listed in
`ADDITIONS` below with where it is documented. Not collected by pytest (no test_ prefix).

Paths: `shipments[].packages[].tracking_number` (a list's items are `[]`, an object keyed by
data is `*`). Types: `string`, `date-time`, `number`, `integer`, `boolean`, `object`, `array`,
`free-form` (an object or value whose keys are the integration's, never checked below), each
with `|null` when the spec allows null.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "pipelines" / "trackstar" / "documented_fields.json"

# raw table -> (GET path, where its record schema is)
ENDPOINTS: dict[str, str] = {
    "wms_orders": "/wms/orders",
    "wms_inventory": "/wms/inventory",
    "wms_products": "/wms/products",
    "wms_inbound_shipments": "/wms/inbound-shipments",
    "wms_returns": "/wms/returns",
    "wms_bills": "/wms/billing",
    "wms_inventory_ledger": "/wms/inventory/ledger",
    "wms_shipping_methods": "/wms/shipping-methods",
    "wms_warehouses": "/wms/warehouses",
    "wms_warehouse_locations": "/wms/warehouses/{warehouse_id}/locations",
    "wms_warehouse_customers": "/wms/warehouse-customers",
    "wms_order_channels": "/wms/orders/channels",
    "wms_inbound_shipment_suppliers": "/wms/inbound-shipments/suppliers",
    "wms_labor_activities": "/wms/labor-activities",
    "wms_order_packs": "/wms/orders/{order_id}/packs",
    "cart_orders": "/cart/orders",
    "cart_products": "/cart/products",
    "cart_warehouses": "/cart/warehouses",
    "freight_shipments": "/freight/shipments",
    "connections": "/connections",
    # integration info (API key only): per integration, the fields each list operation fills
    "integrations": "/integrations/{integration_type}",
}

TRACKSTAR_DATES = {"trackstar_created_date": "date-time", "trackstar_updated_date": "date-time"}
SYNC_GUIDANCE = (
    "Trackstar's sync guidance (API_NOTES.md, Records): every record carries "
    "trackstar_created_date and trackstar_updated_date, which the cursor uses"
)

# What the spec does not have, with the page that documents it.
ADDITIONS: dict[str, dict[str, Any]] = {
    "carrier_invoice_line_items": {
        "path": "/carrier/invoice-line-items",
        "source": (
            "carrier API pages (invoice-line-items/info.mdx, use-cases/carrier-invoice-data) and "
            "API_NOTES.md; trackstar_tags: how-to-guides/trackstar-tags (carrier line items take "
            "tags); the carrier endpoints are not in the October 2025 spec"
        ),
        "fields": {
            "id": "string",
            "created_date": "date-time",
            "updated_date": "date-time",
            **TRACKSTAR_DATES,
            "transaction_date": "date-time",
            "account_id": "string|null",
            "invoice_id": "string",
            "tracking_number": "string|null",
            "charge_description": "string|null",
            "gross_cost": "number|null",
            "net_cost": "number|null",
            "raw": "free-form",
            "trackstar_tags": "array|null",
            "trackstar_tags[]": "free-form",
        },
        "required": ["id", "invoice_id", "transaction_date"],
    },
    "carrier_files": {
        "path": "/carrier/files",
        "source": (
            "carrier API page files/info.mdx: file_name, generated_time, file_type, download_url, "
            "download_url_expires_at; no id and no Trackstar dates"
        ),
        "fields": {
            "file_name": "string",
            "generated_time": "date-time",
            "file_type": "string|null",
            "download_url": "string",
            "download_url_expires_at": "date-time",
        },
        "required": [
            "file_name",
            "generated_time",
            "file_type",
            "download_url",
            "download_url_expires_at",
        ],
    },
}

# Fields of the spec's records that other pages add (the spec is from October 2025).
EXTRA_FIELDS: dict[str, dict[str, str]] = {
    "connections": {
        # API_NOTES.md (Connections): the newer guidance serves the token and the completion of
        # the initial sync per function; integration_display_name is on the connections page
        "access_token": "string|null",
        "historical_sync_completed": "object",
        "historical_sync_completed.*": "boolean",
        "integration_display_name": "string|null",
    },
}

# The record identity this pipeline needs, beyond what the spec marks required: a record without
# an id cannot be merged, one without trackstar_updated_date cannot be windowed.
IDENTITY = ("id", "trackstar_updated_date")


class Spec:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.schemas = spec["components"]["schemas"]

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = self.schemas[node["$ref"].rsplit("/", 1)[-1]]
        return node

    def variants(self, node: dict[str, Any]) -> list[dict[str, Any]]:
        node = self.resolve(node)
        for key in ("anyOf", "oneOf", "allOf"):
            if key in node:
                return [v for option in node[key] for v in self.variants(option)]
        return [node]

    def type_of(self, node: dict[str, Any]) -> str:
        kinds: list[str] = []
        nullable = False
        for variant in self.variants(node):
            nullable = nullable or bool(variant.get("nullable"))
            kind = variant.get("type")
            if kind is None:
                kind = "object" if "properties" in variant else "free-form"
            if kind == "string" and variant.get("format") == "date-time":
                kind = "date-time"
            if kind == "object" and "properties" not in variant:
                extra = variant.get("additionalProperties")
                if not (isinstance(extra, dict) and self.resolve(extra).get("type")):
                    kind = "free-form"
            if kind not in kinds:
                kinds.append(kind)
        if "object" in kinds and "free-form" in kinds:  # `{} | OrderChannel`: the object
            kinds.remove("free-form")
        return "|".join(kinds + (["null"] if nullable else []))

    def walk(
        self,
        node: dict[str, Any],
        prefix: str,
        fields: dict[str, str],
        required: list[str],
        parent_required: bool,
    ) -> None:
        for variant in self.variants(node):
            if variant.get("type") == "array" or "items" in variant:
                items = variant.get("items") or {}
                item_type = self.type_of(items) if items else "free-form"
                fields[prefix + "[]"] = item_type
                self.walk(items, prefix + "[]", fields, required, parent_required)
                continue
            properties = variant.get("properties")
            if properties:
                marked = set(variant.get("required", ()))
                for name, child in properties.items():
                    path = f"{prefix}.{name}" if prefix else name
                    fields[path] = self.type_of(child)
                    is_required = parent_required and name in marked
                    if is_required:
                        required.append(path)
                    if fields[path].split("|")[0] != "free-form":
                        self.walk(child, path, fields, required, is_required)
            extra = variant.get("additionalProperties")
            if isinstance(extra, dict) and self.resolve(extra).get("type"):
                path = f"{prefix}.*"
                fields[path] = self.type_of(extra)
                self.walk(extra, path, fields, required, False)

    def endpoint(self, path: str) -> tuple[str, dict[str, str], list[str]]:
        body = self.spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        envelope = self.resolve(body["schema"])
        data = envelope["properties"]["data"]
        record = self.resolve(data.get("items", data))
        fields: dict[str, str] = {}
        required: list[str] = []
        self.walk(record, "", fields, required, parent_required=True)
        fields = {k: v for k, v in fields.items() if k and not k.startswith("[]")}
        return record.get("title", "?"), fields, required


def derive(spec_path: Path) -> dict[str, Any]:
    spec = Spec(json.loads(spec_path.read_text()))
    out: dict[str, Any] = {}
    for table, path in ENDPOINTS.items():
        title, fields, required = spec.endpoint(path)
        source = f"openapi 2025-10: {title}"
        if (
            table not in ("connections", "integrations") and "id" in fields
        ):  # a Trackstar record: the cursor's dates
            after = list(fields).index("updated_date") + 1 if "updated_date" in fields else 1
            items = list(fields.items())
            fields = dict(items[:after] + list(TRACKSTAR_DATES.items()) + items[after:])
            source += "; " + SYNC_GUIDANCE
            required += [f for f in IDENTITY if f not in required]
        if table in EXTRA_FIELDS:
            fields.update(EXTRA_FIELDS[table])
            source += "; API_NOTES.md (Connections): access_token, historical_sync_completed"
        out[table] = {"path": path, "source": source, "fields": fields, "required": required}
    out.update(ADDITIONS)
    return dict(sorted(out.items()))


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(__doc__)
    documented = derive(Path(argv[1]))
    OUT.write_text(json.dumps(documented, indent=2) + "\n")
    print(
        f"wrote {OUT.relative_to(ROOT)}: "
        + ", ".join(f"{k} {len(v['fields'])}" for k, v in documented.items())
    )


if __name__ == "__main__":
    main(sys.argv)
