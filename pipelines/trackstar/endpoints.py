"""Every Trackstar list endpoint this pipeline reads, described as data.

`source.py` turns each entry into one dlt resource per connection; nothing about a particular
endpoint is hand-written anywhere else. To add an endpoint, add an `Endpoint` here.

Table names, reshaping and history tables follow docs/architecture.md (the contract the dbt
models are written against).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

VERTICALS = ("wms", "cart", "carrier")
CURSOR_FIELD = "trackstar_updated_date"


class Mode(StrEnum):
    """How an endpoint is read on every run."""

    INCREMENTAL = "incremental"  # trackstar_updated_date[gte]=cursor, merge
    SNAPSHOT = "snapshot"  # the whole list every run (Trackstar keeps no history), merge
    FULL = "full"  # small lookup list without trackstar_updated_date: the whole list, merge


@dataclass(frozen=True)
class KeyedToRows:
    """An object keyed by data (`{warehouse_id: ...}`) becomes a list of rows.

    `value_column` set: the values are scalars and land in that column (cart products:
    warehouse id -> integer -> `quantity`); unset: the values are objects whose fields are
    kept (WMS inventory: warehouse id -> {onhand, committed, ...}).
    """

    source: str
    target: str
    key_column: str = "warehouse_id"
    value_column: str | None = None

    def apply(self, record: dict[str, Any]) -> None:
        keyed = record.pop(self.source, None)
        if not isinstance(keyed, dict):
            if keyed is not None:  # an unexpected shape is kept, never dropped
                record[self.source] = keyed
            return
        rows = []
        for key, value in keyed.items():
            if self.value_column is None and isinstance(value, dict):
                rows.append({self.key_column: key, **value})
            else:
                rows.append({self.key_column: key, self.value_column or "value": value})
        record[self.target] = rows


@dataclass(frozen=True)
class History:
    """A derived table keeping every version of part of a record (one row per version).

    `columns` are (history column, record field); a field `each.<name>` is read from every
    element of the list `each` (one history row per element). `connection_id` comes first and
    `observed_at` (the server time of the response) last. Merged on `key`, so reruns never
    duplicate a version.
    """

    table: str
    key: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]
    each: str | None = None

    def rows(
        self, records: list[dict[str, Any]], connection_id: str, observed_at: Any
    ) -> Iterator[dict[str, Any]]:
        for record in records:
            elements = (record.get(self.each) or []) if self.each else [None]
            for element in elements:
                row: dict[str, Any] = {"connection_id": connection_id}
                for column, source in self.columns:
                    if source.startswith("each."):
                        row[column] = element.get(source[5:]) if element else None
                    else:
                        row[column] = record.get(source)
                row["observed_at"] = observed_at
                yield row


@dataclass(frozen=True)
class Endpoint:
    """One list endpoint of one vertical, and how its rows land in the warehouse."""

    table: str
    path: str
    action: str  # the name in a connection's available_actions / historical_sync_completed
    mode: Mode = Mode.INCREMENTAL
    primary_key: tuple[str, ...] = ("connection_id", "id")
    # `{warehouse_id}` in path: the ids come from listing this parent endpoint in full
    parent: str | None = None
    parent_key: str | None = None
    # carrier files: without a window Trackstar returns only the last 24 h
    window: tuple[str, str] | None = None
    reshape: tuple[KeyedToRows, ...] = ()
    history: tuple[History, ...] = ()
    json_columns: tuple[str, ...] = ()
    timestamp_columns: tuple[str, ...] = ()

    @property
    def vertical(self) -> str:
        return self.table.split("_", 1)[0]

    @property
    def incremental(self) -> bool:
        return self.mode is Mode.INCREMENTAL

    def shape(self, record: dict[str, Any], connection_id: str, **extra: Any) -> dict[str, Any]:
        """The record as it lands: connection_id first, reshaped, tagged with `extra`."""
        row = {"connection_id": connection_id, **extra, **record}
        row["connection_id"] = connection_id  # a record never overrides whose it is
        for rule in self.reshape:
            rule.apply(row)
        return row

    def columns(self) -> dict[str, dict[str, Any]]:
        """dlt column hints for the root table (timestamps and JSON fields are typed by the
        source schema's preferred types, in every table)."""
        hints: dict[str, dict[str, Any]] = {
            name: {"data_type": "text", "nullable": False} for name in self.primary_key
        }
        for name in self.json_columns:
            hints[name] = {"data_type": "json"}
        for name in self.timestamp_columns:
            hints[name] = {"data_type": "timestamp", "timezone": True}
        if self.mode is not Mode.FULL:
            # two versions of one record in one load (it changed between two page requests):
            # the merge keeps the newest
            hints[CURSOR_FIELD] = {"data_type": "timestamp", "timezone": True, "dedup_sort": "desc"}
        return hints


STANDARD_TIMESTAMPS = ("created_date", "updated_date", "trackstar_created_date", CURSOR_FIELD)

# Objects that are data, not schema: kept as one JSON value wherever they appear (any table).
JSON_FIELDS = ("additional_fields", "trackstar_tags", "raw")

WMS_QUANTITIES = (
    "onhand",
    "committed",
    "unfulfillable",
    "fulfillable",
    "unsellable",
    "sellable",
    "awaiting",
)


def order_status_history(table: str) -> History:
    return History(
        table=table,
        key=("connection_id", "order_id", CURSOR_FIELD),
        columns=(
            ("order_id", "id"),
            ("status", "status"),
            ("raw_status", "raw_status"),
            ("updated_date", "updated_date"),
            (CURSOR_FIELD, CURSOR_FIELD),
        ),
    )


INVENTORY_HISTORY = History(
    table="wms_inventory_history",
    key=("connection_id", "inventory_item_id", "warehouse_id", CURSOR_FIELD),
    columns=(
        ("inventory_item_id", "id"),
        ("sku", "sku"),
        ("warehouse_id", "each.warehouse_id"),
        *((name, f"each.{name}") for name in WMS_QUANTITIES),
        (CURSOR_FIELD, CURSOR_FIELD),
    ),
    each="inventory_by_warehouse",
)

ENDPOINTS: tuple[Endpoint, ...] = (
    # --- WMS
    Endpoint(
        "wms_orders",
        "/wms/orders",
        "get_orders",
        history=(order_status_history("wms_order_status_history"),),
    ),
    Endpoint(
        "wms_inventory",
        "/wms/inventory",
        "get_inventory",
        mode=Mode.SNAPSHOT,
        reshape=(KeyedToRows("inventory_by_warehouse_id", "inventory_by_warehouse"),),
        history=(INVENTORY_HISTORY,),
    ),
    Endpoint("wms_products", "/wms/products", "get_products"),
    Endpoint("wms_inbound_shipments", "/wms/inbound-shipments", "get_inbound_shipments"),
    Endpoint("wms_returns", "/wms/returns", "get_returns"),
    Endpoint("wms_bills", "/wms/billing", "get_bills"),
    Endpoint("wms_inventory_ledger", "/wms/inventory/ledger", "get_inventory_ledger"),
    Endpoint("wms_shipping_methods", "/wms/shipping-methods", "get_shipping_methods"),
    Endpoint("wms_warehouses", "/wms/warehouses", "get_warehouses"),
    Endpoint(
        "wms_warehouse_locations",
        "/wms/warehouses/{warehouse_id}/locations",
        "get_warehouse_locations",
        # location ids are only unique within their warehouse
        primary_key=("connection_id", "warehouse_id", "id"),
        parent="wms_warehouses",
        parent_key="warehouse_id",
    ),
    Endpoint("wms_warehouse_customers", "/wms/warehouse-customers", "get_warehouse_customers"),
    Endpoint("wms_order_channels", "/wms/orders/channels", "get_order_channels", mode=Mode.FULL),
    Endpoint(
        "wms_inbound_shipment_suppliers",
        "/wms/inbound-shipments/suppliers",
        "get_inbound_shipment_suppliers",
        mode=Mode.FULL,
    ),
    # --- cart
    Endpoint(
        "cart_orders",
        "/cart/orders",
        "get_orders",
        history=(order_status_history("cart_order_status_history"),),
    ),
    Endpoint(
        "cart_products",
        "/cart/products",
        "get_products",
        reshape=(
            KeyedToRows(
                "inventory_by_warehouse_id", "inventory_by_warehouse", value_column="quantity"
            ),
        ),
    ),
    Endpoint("cart_warehouses", "/cart/warehouses", "get_warehouses"),
    # --- carrier
    Endpoint("carrier_invoice_line_items", "/carrier/invoice-line-items", "get_invoice_line_items"),
    Endpoint(
        "carrier_files",
        "/carrier/files",
        "get_files",
        window=("start_time", "end_time"),
    ),
)

BY_TABLE: dict[str, Endpoint] = {e.table: e for e in ENDPOINTS}
HISTORY_TABLES: tuple[str, ...] = tuple(h.table for e in ENDPOINTS for h in e.history)


def for_vertical(vertical: str | None) -> list[Endpoint]:
    """The endpoints of one vertical (all of them when the vertical is unknown)."""
    return [e for e in ENDPOINTS if vertical is None or e.vertical == vertical]
