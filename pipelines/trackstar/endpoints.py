"""Every Trackstar list endpoint this pipeline reads, described as data.

`source.py` turns each entry into one dlt resource per connection; nothing about a particular
endpoint is hand-written anywhere else. To add an endpoint, add an `Endpoint` here.

Table names, reshaping and history tables follow docs/architecture.md (the contract the dbt
models are written against).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pipelines.trackstar import documented

VERTICALS = ("wms", "cart", "carrier", "freight")
# the cursor Trackstar's sync guidance recommends: when Trackstar's copy of a record changed
CURSOR_FIELD = "trackstar_updated_date"
# the fallback where an endpoint refuses CURSOR_FIELD (422): the source system's own clock
FALLBACK_CURSOR_FIELD = "updated_date"
# WMS order statuses at or after packing: such an order has packs (cartons) to read
PACKED_OR_LATER = ("packed", "partially_fulfilled", "fulfilled")


class Mode(StrEnum):
    """How an endpoint is read on every run."""

    INCREMENTAL = "incremental"  # <cursor>[gte]=cursor (or a window on it), merge
    SNAPSHOT = "snapshot"  # the whole list every run (Trackstar keeps no history), merge
    # small lookup list: the whole list, merge (a page or two: no dearer than a cursor read, and
    # every run's complete listing tells which records are gone)
    FULL = "full"
    PER_RECORD = "per_record"  # one request per record of another endpoint (`follows`)


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
                if all(row[k] is not None for k in self.key):  # no version without its key
                    yield row


@dataclass(frozen=True)
class Follow:
    """A per-record sub-resource: read for the records of `parent` that a run brings in.

    Packs: `GET /wms/orders/{order_id}/packs` for every order whose new version has a status in
    `statuses`. The row carries the parent's id in `key_column` and the version it was read for
    in `version_column`, so a later run can tell which records still need it.
    """

    parent: str
    path_param: str
    key_column: str
    version_column: str
    status_field: str
    statuses: tuple[str, ...]


@dataclass(frozen=True)
class Endpoint:
    """One list endpoint of one vertical, and how its rows land in the warehouse."""

    table: str
    path: str
    action: str  # the name in a connection's available_actions / historical_sync_completed
    mode: Mode = Mode.INCREMENTAL
    primary_key: tuple[str, ...] = ("connection_id", "id")
    # the field that orders the records: `<cursor>[gte]` on incremental reads, the merge keeps
    # the newest of two versions by it
    cursor: str | None = CURSOR_FIELD
    # where Trackstar refuses `cursor` as a filter (422 naming it): filter on this one instead
    fallback_cursor: str | None = FALLBACK_CURSOR_FIELD
    # `{warehouse_id}` in path: the ids come from listing this parent endpoint in full
    parent: str | None = None
    parent_key: str | None = None
    # carrier files: a window (start, end) on `cursor`; without one Trackstar gives the last 24 h
    window: tuple[str, str] | None = None
    follows: Follow | None = None
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

    @property
    def listed_in_full(self) -> bool:
        """Read whole every run: each complete read marks what is gone (see deletions.py)."""
        return self.mode in (Mode.SNAPSHOT, Mode.FULL)

    def shape(self, record: dict[str, Any], connection_id: str, **extra: Any) -> dict[str, Any]:
        """The record as it lands: connection_id first, reshaped, tagged with `extra`, its
        documented date-times as datetimes (dlt would parse each text again in its normalizer,
        with pendulum: 8 % of a large load, measured; a text that is not an aware ISO 8601
        date-time stays text, for dlt to type as before)."""
        row = {"connection_id": connection_id, **extra, **record}
        row["connection_id"] = connection_id  # a record never overrides whose it is
        _parse_date_times(row, self.date_time_paths)
        for rule in self.reshape:
            rule.apply(row)
        return row

    @functools.cached_property
    def date_time_paths(self) -> DateTimePaths:
        """Where the documentation types a field `date-time`, as nested paths (lists and objects
        alike: `shipments[].shipped_date` -> {"shipments": {"shipped_date": None}})."""
        documented_paths = (
            documented.fields(self.table) if self.table in documented.documented() else {}
        )
        tree: DateTimePaths = {}
        for path, kind in documented_paths.items():
            if kind.split("|")[0] != "date-time" or "*" in path:
                continue
            *parents, leaf = path.replace("[]", "").split(".")
            node = tree
            for name in parents:
                if not isinstance(node.get(name), dict):
                    node[name] = {}
                node = node[name]
            node.setdefault(leaf, None)
        return tree

    def problem(self, record: Any, cursor: str | None, provided: Iterable[str] = ()) -> str | None:
        """Why a record cannot land (then it is set aside), or None.

        A record must be an object with every primary key field a non-empty scalar (it is merged
        on them), a parsable `cursor` value where it has one (the cursor is computed from it) and,
        for each field the documentation types as a list or an object, a list or an object (its
        rows go to child tables). Other type changes land (dlt adds a variant column). Key
        fields in `provided` come from the request (a location's warehouse), not the record.
        """
        if not isinstance(record, dict):
            return f"the record is a {type(record).__name__}, not an object"
        for name in self.primary_key:
            if name == "connection_id" or name in provided:  # set by this pipeline, not read
                continue
            value = record.get(name)
            if value is None or value == "":
                return f"no {name} (part of the key {', '.join(self.primary_key)})"
            if isinstance(value, dict | list | bool):
                return f"{name} is a {type(value).__name__}, not a scalar key"
        value = record.get(cursor) if cursor is not None else None
        if value is not None and parse_timestamp(value) is None:
            return f"{cursor} is not a date-time: {str(value)[:40]!r}"
        for name, kind in self.container_fields.items():
            value = record.get(name)
            if value is not None and not isinstance(value, list if kind == "array" else dict):
                return f"{name} is a {type(value).__name__}, documented as an {kind}"
        return None

    @functools.cached_property
    def container_fields(self) -> dict[str, str]:
        """Top-level fields the documentation types as a list or an object (`array`/`object`);
        computed once, as `problem` asks for every record."""
        if self.table not in documented.documented():
            return {}
        out = {}
        for path, kind in documented.fields(self.table).items():
            base = kind.split("|")[0]
            if "." not in path and "[]" not in path and base in ("array", "object"):
                out[path] = base
        return out

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
        if self.cursor is not None and self.mode is not Mode.FULL:
            # two versions of one record in one load (it changed between two page requests):
            # the merge keeps the newest
            hints[self.cursor] = {
                **hints.get(self.cursor, {}),
                "data_type": "timestamp",
                "timezone": True,
                "dedup_sort": "desc",
            }
        if self.fallback_cursor is not None:
            hints[self.fallback_cursor] = {"data_type": "timestamp", "timezone": True}
        return hints


# field -> None (a date-time) or the date-time fields inside the object or list it holds
DateTimePaths = dict[str, "DateTimePaths | None"]


def _parse_date_times(value: dict[str, Any], paths: DateTimePaths) -> None:
    """The aware ISO 8601 texts at `paths` replaced by datetimes, in place."""
    for name, inner in paths.items():
        found = value.get(name)
        if inner is None:
            if isinstance(found, str) and (parsed := parse_timestamp(found)) is not None:
                value[name] = parsed
        elif isinstance(found, dict):
            _parse_date_times(found, inner)
        elif isinstance(found, list):
            for item in found:
                if isinstance(item, dict):
                    _parse_date_times(item, inner)


def parse_timestamp(value: Any) -> datetime | None:
    """An aware datetime from Trackstar's ISO 8601 text (or a datetime), else None."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else None
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


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
    Endpoint(
        "wms_shipping_methods", "/wms/shipping-methods", "get_shipping_methods", mode=Mode.FULL
    ),
    Endpoint("wms_warehouses", "/wms/warehouses", "get_warehouses", mode=Mode.FULL),
    Endpoint(
        "wms_warehouse_locations",
        "/wms/warehouses/{warehouse_id}/locations",
        "get_warehouse_locations",
        # location ids are only unique within their warehouse
        primary_key=("connection_id", "warehouse_id", "id"),
        parent="wms_warehouses",
        parent_key="warehouse_id",
        mode=Mode.FULL,
    ),
    Endpoint(
        "wms_warehouse_customers",
        "/wms/warehouse-customers",
        "get_warehouse_customers",
        mode=Mode.FULL,
    ),
    Endpoint("wms_order_channels", "/wms/orders/channels", "get_order_channels", mode=Mode.FULL),
    Endpoint(
        "wms_inbound_shipment_suppliers",
        "/wms/inbound-shipments/suppliers",
        "get_inbound_shipment_suppliers",
        mode=Mode.FULL,
    ),
    # the action name Trackstar Link lists for labor activities
    Endpoint("wms_labor_activities", "/wms/labor-activities", "get_labor_activities"),
    # packs (cartons) of an order: no list endpoint, one request per order that reached packing;
    # gated by get_orders (Trackstar names no action of its own; a 403/501 is a capability gap)
    Endpoint(
        "wms_order_packs",
        "/wms/orders/{order_id}/packs",
        "get_orders",
        mode=Mode.PER_RECORD,
        primary_key=("connection_id", "order_id"),
        cursor=None,
        fallback_cursor=None,
        follows=Follow(
            parent="wms_orders",
            path_param="order_id",
            key_column="order_id",
            version_column="order_trackstar_updated_date",
            status_field="status",
            statuses=PACKED_OR_LATER,
        ),
        timestamp_columns=("order_trackstar_updated_date", "observed_at"),
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
    Endpoint("cart_warehouses", "/cart/warehouses", "get_warehouses", mode=Mode.FULL),
    # --- carrier
    Endpoint("carrier_invoice_line_items", "/carrier/invoice-line-items", "get_invoice_line_items"),
    # files have no id and no Trackstar dates: keyed on the file and when it was generated,
    # windowed on generated_time (start_time/end_time; without them Trackstar gives the last 24 h)
    Endpoint(
        "carrier_files",
        "/carrier/files",
        "get_files",
        primary_key=("connection_id", "file_name", "generated_time"),
        cursor="generated_time",
        fallback_cursor=None,
        window=("start_time", "end_time"),
        timestamp_columns=("download_url_expires_at",),
    ),
    # --- freight (the function name Trackstar's sync endpoint lists for shipments)
    Endpoint("freight_shipments", "/freight/shipments", "get_shipments"),
)

BY_TABLE: dict[str, Endpoint] = {e.table: e for e in ENDPOINTS}
HISTORY_TABLES: tuple[str, ...] = tuple(h.table for e in ENDPOINTS for h in e.history)


def for_vertical(vertical: str | None) -> list[Endpoint]:
    """The list endpoints of one vertical (all of them when the vertical is unknown); endpoints
    read per record of another one come with their parent (`followers`)."""
    return [
        e
        for e in ENDPOINTS
        if (vertical is None or e.vertical == vertical) and e.mode is not Mode.PER_RECORD
    ]


def followers(table: str) -> list[Endpoint]:
    """The per-record endpoints read for the records of `table` (packs for wms_orders)."""
    return [e for e in ENDPOINTS if e.follows is not None and e.follows.parent == table]
