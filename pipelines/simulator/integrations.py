"""What each integration of the simulator implements: `GET /integrations/{integration_type}`.

Trackstar lists, per integration and list operation, the fields the integration implements
(`implemented_fields`, spec schema `ListOperation`). The simulator's integrations mostly fill
every documented field; the ones in `NOT_PROVIDED` never fill the fields named there, in any of
their records (`drop_not_provided`, applied where records are rendered, for the API and the
ground truth alike), and their integration info says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from pipelines.trackstar import documented

if TYPE_CHECKING:
    from pipelines.simulator.world import World

# the integration types the spec's enum documents for this endpoint (no carrier)
INTEGRATION_TYPES = ("wms", "cart", "freight")
# integration name -> action -> top-level fields it never fills (all optional in the docs)
NOT_PROVIDED: dict[str, dict[str, tuple[str, ...]]] = {
    "cool_wms": {
        "get_orders": ("trading_partner", "saturday_delivery", "signature_required"),
        "get_inventory": ("measurements", "unit_cost", "external_system_url"),
        "get_products": ("harmonized_code", "country_of_origin"),
    },
    "bigcommerce": {"get_orders": ("earliest_ship_date",)},
}


def drop_not_provided(raw: bytes, integration_name: str, action: str) -> bytes:
    """A page's JSON array without the fields the integration does not provide."""
    missing = NOT_PROVIDED.get(integration_name, {}).get(action)
    if not missing:
        return raw
    records = orjson.loads(raw)
    for record in records:
        for name in missing:
            record.pop(name, None)
    return orjson.dumps(records)


def implemented_fields(table: str, integration_name: str, action: str) -> dict[str, bool]:
    """Every top-level documented field of the resource: whether the integration fills it."""
    missing = set(NOT_PROVIDED.get(integration_name, {}).get(action, ()))
    top = [path for path in documented.fields(table) if "." not in path and "[" not in path]
    return {name: name not in missing for name in sorted(top)}


def _write_operations(integration_type: str) -> list[dict[str, Any]]:
    """Creating an order (WMS and carts; the simulator serves no writes, it only describes)."""
    if integration_type == "freight":
        return []
    return [
        {
            "action": "create_order",
            "url": f"POST /{integration_type}/orders",
            "required_base_schema_fields": ["line_items.sku", "line_items.quantity"],
            "optional_base_schema_fields": ["order_number", "ship_to_address", "line_items"],
            "integration_specific_fields": {
                "properties": {
                    "warehouse_id": {
                        "title": "warehouse_id",
                        "type": "string",
                        "description": "The warehouse this order ships from.",
                    }
                },
                "type": "object",
                "required_fields": ["warehouse_id"],
            },
        }
    ]


def integrations_json(world: World, integration_type: str) -> dict[str, Any]:
    """The `IntegrationsResponseSchema` body: one `IntegrationInfo` per integration of the type
    that the simulated organisation uses."""
    from pipelines.simulator.resources import RESOURCES

    resources = [r for r in RESOURCES if r.vertical == integration_type]
    seen: dict[str, Any] = {}
    for conn in world.connections:
        if conn.integration_type == integration_type and conn.integration_name not in seen:
            seen[conn.integration_name] = conn
    data = []
    for name, conn in sorted(seen.items()):
        # 501: the integration does not implement it (403 is the organisation's, not its)
        implemented = [r for r in resources if conn.unsupported.get(r.action) != 501]
        data.append(
            {
                "integration_name": name,
                "display_name": conn.integration_display_name,
                "install_method": "input",
                "description": f"{conn.integration_display_name} ({integration_type})",
                "logo_url": f"https://example.com/logos/{name}.png",
                "write_operations": _write_operations(integration_type),
                "list_operations": [
                    {
                        "action": r.action,
                        "url": f"GET {r.path}",
                        "implemented_fields": implemented_fields(r.name, name, r.action),
                    }
                    for r in implemented
                ],
                "available_actions": sorted({r.action for r in implemented}),
            }
        )
    return {"data": data}
