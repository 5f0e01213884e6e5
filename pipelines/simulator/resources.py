"""The one description of Trackstar's resources, used by the world (data) and the server (HTTP).

Each `Resource` says where it is served, which action name gates it in `available_actions`, and
how a record is rendered from its compact state. Records are NOT kept as JSON: the world keeps a
small `Rec` per record and `render` rebuilds the documented JSON from (seed, record, state) when
a page is served, so a million orders fit in memory. WMS orders, the million, are rendered a page
at a time (`render_page`) from bytes templates with the page's random draws made at once (see
`render.py`); the output is byte-for-byte what the dict renderer it replaced served.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import orjson

from pipelines.simulator.render import (
    DATE,
    HOLE,
    INT,
    ISO_HOUR_BYTES,
    ISO_REST_BYTES,
    Memo,
    Rng,
    below,
    columns,
    iso,
    json_bytes,
    strhash,
    template,
)

WMS_ORDER_FLOW = ("open", "confirmed", "processing", "picked", "packed", "fulfilled")
CART_ORDER_FLOW = ("open", "confirmed", "processing", "fulfilled")
INBOUND_FLOW = ("open", "in-transit", "receiving", "received")
QUANTITIES = (
    "onhand",
    "committed",
    "unfulfillable",
    "fulfillable",
    "unsellable",
    "sellable",
    "awaiting",
)
CARRIERS = (
    ("ups", "UPS", "UPSN", "1Z"),
    ("fedex", "FedEx", "FDXG", "7"),
    ("usps", "USPS", "USPS", "94"),
)
UPS_CHARGES = (
    "Transportation Charges",
    "Fuel Surcharges",
    "Residential Surcharge",
    "Taxes",
    "Delivery Area Surcharge",
)
FEDEX_CHARGES = (
    "Transportation Charge",
    "Fuel Surcharge",
    "Residential Delivery",
    "Address Correction",
    "Additional Handling",
    "Delivery Area Surcharge",
)


def money(cents: int) -> float:
    return cents / 100  # the correctly rounded division is the nearest float to the 2-decimal value


@dataclass(slots=True)
class Rec:
    """The compact state of one record; everything else is derived from (seed, key, state)."""

    id: str
    key: int  # stable per-record seed
    created: int
    updated: int  # the source system's clock
    tcreated: int  # when Trackstar first saw it
    tud: int  # trackstar_updated_date: when Trackstar's copy last changed
    status: str | None = None
    version: int = 0
    data: Any = None  # small mutable parts (levels, shipment times, refs; a Charge for invoices)
    pos: int = -1  # position of the record's live entry in its store's change log


class OrderState(NamedTuple):
    """An order's mutable part (its `Rec.data`), compact: there are a million orders."""

    step: int  # how far along its status plan
    shipped: int | None = None  # when it shipped


class Charge(NamedTuple):
    """One carrier charge (an invoice line item), compact: there are millions of them."""

    transaction: int
    account: str
    invoice: str
    tracking_number: str
    description: str
    gross: int  # cents
    net: int  # cents


@dataclass(frozen=True)
class Resource:
    """One list endpoint of one vertical."""

    name: str  # e.g. wms_orders
    vertical: str
    path: str  # URL path; `{warehouse_id}` for per-warehouse lists
    action: str  # the function name in available_actions / historical_sync_completed
    render: Callable[[Ctx, Rec], dict[str, Any]] | None  # a record as a dict, or:
    statuses: tuple[str, ...] = ()
    parent_param: str | None = None  # e.g. warehouse_id: records filtered by this path param
    has_dates: bool = True  # lookup lists (channels, suppliers) carry no timestamps
    render_page: Callable[[Ctx, Sequence[Rec]], list[bytes]] | None = None  # records as JSON

    @property
    def single_path(self) -> str:
        return self.path + "/{id}"

    def json(self, ctx: Ctx, recs: Sequence[Rec]) -> bytes:
        """Records as the API serves them, a JSON array; nothing re-serializes the parts."""
        if self.render_page:
            return b"[" + b",".join(self.render_page(ctx, recs)) + b"]"
        assert self.render is not None
        return orjson.dumps([self.render(ctx, rec) for rec in recs])


@dataclass
class Ctx:
    """What a renderer may read about the connection a record belongs to."""

    seed: int
    connection_id: str
    integration_name: str
    warehouses: list[str]
    warehouse_customers: list[str]
    drift_new_field: bool = False
    drift_type_change: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def rng(self, rec: Rec, salt: str = "") -> Rng:
        return Rng.of(self.seed, strhash(self.connection_id), rec.key, strhash(salt))


TAG_WORDS = ("high-priority", "gift", "fragile", "vip")
TAG_KEYS = ("customer_type", "category", "segment")
TAG_VALUES = ("premium", "fast-mover", "b2b")
TAGS = {  # every possible trackstar_tags, serialized once
    (word, pair): json_bytes(([word] if word else []) + ([{pair[0]: pair[1]}] if pair else []))
    for word in (None, *TAG_WORDS)
    for pair in (None, *((k, v) for k in TAG_KEYS for v in TAG_VALUES))
}
EXTRA_COOL = template({"cool_reference": "CR-%07d", "wave": INT})
EXTRA_SHIP = template({"notes": "%s", "priority": INT})
EXTRA_OTHER = template({"source_channel_ref": "S%d", "flags": {"gift_wrap": HOLE}})
NOTES = (b"Handle with care", b"", b"Leave at door")
BOOL = (b"false", b"true")
P50, P30, P10, P5 = below(0.5), below(0.3), below(0.1), below(0.05)
_TAGS_SALT = strhash("tags")


def _tags_and_extra(ctx: Ctx, recs: Sequence[Rec]) -> list[tuple[bytes, bytes]]:
    """Each record's trackstar_tags and additional_fields as JSON, from its "tags" stream.

    The draws are read in order, as `Rng.random() < p` (`z >> 11 < P`), `choice` and `randint`
    would read them: maybe a tag word, maybe a {key: value} tag, then the integration's fields.
    """
    conn = strhash(ctx.connection_id)
    seeds = [(ctx.seed, conn, rec.key, _TAGS_SALT) for rec in recs]
    kind = ctx.integration_name[:4]
    out = []
    for rec, z in zip(recs, zip(*columns(seeds, 7), strict=True), strict=True):  # 7: the most
        word, i = (TAG_WORDS[z[1] % 4], 2) if z[0] >> 11 < P50 else (None, 1)
        if z[i] >> 11 < P30:
            pair, i = (TAG_KEYS[z[i + 1] % 3], TAG_VALUES[z[i + 2] % 3]), i + 3
        else:
            pair, i = None, i + 1
        if kind == "cool":
            extra = EXTRA_COOL % (rec.key, 1 + z[i] % 40)
        elif kind == "ship":
            extra = EXTRA_SHIP % (NOTES[z[i] % 3], 1 + z[i + 1] % 3)
        else:
            extra = EXTRA_OTHER % (rec.key, BOOL[z[i] >> 11 < P10])
        out.append((TAGS[word, pair], extra))
    return out


def _common(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    """The fields every dated record starts with, as a dict (see `_common_values` for pages)."""
    ((tags, extra),) = _tags_and_extra(ctx, [rec])
    out = {
        "id": rec.id,
        "created_date": iso(rec.created),
        "updated_date": iso(rec.updated),
        "trackstar_created_date": iso(rec.tcreated),
        "trackstar_updated_date": iso(rec.tud),
        "trackstar_tags": orjson.Fragment(tags),
        "additional_fields": orjson.Fragment(extra),
    }
    if ctx.drift_new_field:
        out["sim_new_field"] = f"v{rec.version}"
    return out


def _common_shape(drift_new_field: bool) -> dict[str, Any]:
    shape = {
        "id": "%s",
        "created_date": DATE,
        "updated_date": DATE,
        "trackstar_created_date": DATE,
        "trackstar_updated_date": DATE,
        "trackstar_tags": HOLE,
        "additional_fields": HOLE,
    }
    return {**shape, "sim_new_field": "v%d"} if drift_new_field else shape


def _common_values(ctx: Ctx, recs: Sequence[Rec]) -> list[tuple[Any, ...]]:
    """The holes of `_common_shape` for a page of records (a template renderer's first values)."""
    hour, rest = ISO_HOUR_BYTES, ISO_REST_BYTES
    out = []
    for rec, (tags, extra) in zip(recs, _tags_and_extra(ctx, recs), strict=True):
        values = (
            rec.id.encode(),
            hour[rec.created // 3600],
            rest[rec.created % 3600],
            hour[rec.updated // 3600],
            rest[rec.updated % 3600],
            hour[rec.tcreated // 3600],
            rest[rec.tcreated % 3600],
            hour[rec.tud // 3600],
            rest[rec.tud % 3600],
            tags,
            extra,
        )
        out.append((*values, rec.version) if ctx.drift_new_field else values)
    return out


def _address(rng: Rng, name_key: str = "name", zip_key: str = "zip_code") -> dict[str, Any]:
    """One of 1024 generated addresses (rendering picks; it does not generate per record)."""
    return dict(_address_pool(name_key, zip_key)[rng.next() & 1023])


@functools.cache
def _address_json(name_key: str = "name", zip_key: str = "zip_code") -> tuple[bytes, ...]:
    """The address pool serialized once: orders embed an address as JSON, not as a dict."""
    return tuple(map(json_bytes, _address_pool(name_key, zip_key)))


@functools.cache
def _open_addresses() -> tuple[bytes, ...]:
    return tuple(address[:-1] for address in _address_json())


@functools.cache
def _address_pool(name_key: str, zip_key: str) -> tuple[dict[str, Any], ...]:
    rng = Rng("addresses")
    pool = []
    for _ in range(1024):
        first = rng.choice(["John", "Maria", "Wei", "Aisha", "Lucas", "Emma", "Noah", "Sofia"])
        last = rng.choice(["Doe", "Garcia", "Chen", "Khan", "Silva", "Smith", "Rossi", "Novak"])
        pool.append(
            {
                name_key: f"{first} {last}",
                "company": None,
                "address1": f"{rng.randint(1, 9999)} {rng.choice(['Main St', 'Oak Ave', 'Pine Rd', 'Elm Blvd'])}",
                "address2": None,
                "city": rng.choice(["Anytown", "Springfield", "Riverside", "Fairview"]),
                "state": rng.choice(["NY", "CA", "TX", "NJ", "FL"]),
                zip_key: f"{rng.randint(10000, 99999)}",
                "country": "US",
            }
        )
    return tuple(pool)


def _sku(ctx: Ctx, n: int) -> str:
    return f"SKU-{ctx.connection_id[-4:].upper()}-{n:04d}"


LINE_SETS = 1024  # distinct baskets per connection; an order picks one by its key


class LineSet(NamedTuple):
    """One basket in every shape the renderers need, as JSON built once per connection."""

    wms: tuple[bytes, bytes]  # (not picked, picked)
    package: bytes
    shipment: bytes
    cart: bytes
    cart_shipment: bytes
    total: int  # cents
    total_price: bytes  # money(total), as JSON
    total_tax: bytes


def _order_lines(ctx: Ctx, rec: Rec) -> LineSet:
    """The order's basket: rendering picks one of the connection's baskets, it builds none."""
    return _basket(
        ctx, Rng.of(ctx.seed, strhash(ctx.connection_id), rec.key, _LINES).next() % LINE_SETS
    )


def _basket(ctx: Ctx, n: int) -> LineSet:
    return _baskets(ctx)[n]


def _baskets(ctx: Ctx) -> Memo:
    """The connection's baskets by number, built on first use."""
    baskets = ctx.extra.get("baskets")
    if baskets is None:
        baskets = ctx.extra["baskets"] = Memo(functools.partial(_line_set, ctx))
    return baskets


def _line_set(ctx: Ctx, n: int) -> LineSet:
    rng = Rng("lines", ctx.seed, ctx.connection_id, n)
    n_items = ctx.extra.get("n_items", 20)
    lines = []
    for _ in range(rng.randint(1, 3)):
        item = rng.randrange(n_items)
        lines.append(
            {
                "product_id": f"prod_{ctx.connection_id[-4:]}_{item:04d}",
                "sku": _sku(ctx, item),
                "quantity": rng.randint(1, 4),
                "unit_price": money(rng.randint(500, 9000)),
                "is_picked": False,
                "discount_amount": money(rng.choice([0, 0, 150, 300])),
            }
        )
    total = sum(round(li["unit_price"] * 100) * li["quantity"] for li in lines)
    return LineSet(
        wms=(json_bytes(lines), json_bytes([{**li, "is_picked": True} for li in lines])),
        package=json_bytes(
            [
                {
                    "inventory_item_id": f"inv_{li['sku'].lower()}",
                    "sku": li["sku"],
                    "quantity": li["quantity"],
                    "lot_id": None,
                    "expiration_date": None,
                    "parent_product_id": None,
                }
                for li in lines
            ]
        ),
        shipment=json_bytes(
            [
                {
                    "inventory_item_id": f"inv_{li['sku'].lower()}",
                    "sku": li["sku"],
                    "quantity": li["quantity"],
                    "parent_product_id": None,
                }
                for li in lines
            ]
        ),
        cart=json_bytes(
            [
                {
                    "product_id": li["product_id"].replace("prod_", "var_"),
                    "sku": li["sku"],
                    "quantity": li["quantity"],
                    "unit_price": li["unit_price"],
                    "discount_amount": li["discount_amount"],
                }
                for li in lines
            ]
        ),
        cart_shipment=json_bytes([{"sku": li["sku"], "quantity": li["quantity"]} for li in lines]),
        total=total,
        total_price=json_bytes(money(total)),
        total_tax=json_bytes(money(total * 8 // 100)),
    )


_TRK, _PKG, _LINES = strhash("trk"), strhash("pkg"), strhash("lines")
_MAIN, _ADDR = strhash(""), strhash("addr")


def tracking_number(ctx_or_conn: Ctx | str, key: int, n: int) -> str:
    """Deterministic, carrier-looking tracking numbers (shared by orders and invoices)."""
    conn = ctx_or_conn.connection_id if isinstance(ctx_or_conn, Ctx) else ctx_or_conn
    return _tracking_number(Rng.of(_TRK, strhash(conn), key, n).next())


def _tracking_number(z: int) -> str:
    return _tracking_bytes(z).decode()


def _tracking_bytes(z: int) -> bytes:
    return b"%s%016d" % (TRACKING_PREFIXES[z % 3], z // 3 % 10**16)


TRACKING_PREFIXES = tuple(prefix.encode() for *_, prefix in CARRIERS)


def package_costs(conn: str, key: int) -> list[int]:
    """The shipping cost the WMS reports per package, in cents."""
    return _package_costs(Rng.of(_PKG, strhash(conn), key).next())


def _package_costs(z: int) -> list[int]:
    r0, r1, r2 = z & 0xFFFF, (z >> 16) & 0xFFFF, (z >> 32) & 0xFFFF
    return [600 + r1 % 1901, 600 + r2 % 1901] if r0 % 4 == 3 else [600 + r1 % 1901]


# constant parts of orders and packages, shared by every rendered record (rendering is the hot loop)
PACKAGE_BY_CARRIER = tuple(
    {
        "package_name": "12x9x4",
        "shipping_method": f"{cid}_ground",
        "carrier": name,
        "shipping_method_id": f"{cid}_ground",
        "shipping_method_name": f"{name} Ground",
        "carrier_id": cid,
        "carrier_name": name,
        "scac": scac,
    }
    for cid, name, scac, _ in CARRIERS
)
METHOD_BY_CARRIER = tuple(p["shipping_method"].encode() for p in PACKAGE_BY_CARRIER)
WMS_ORDER_CONSTANTS = {
    "channel_object": {"channel_id": "Online Store", "channel_name": "shopify"},
    "trading_partner": "Direct",
    "shipping_method": "ups_ground",
    "is_third_party_freight": False,
    "third_party_freight_account_number": None,
    "first_party_freight_account_number": None,
    "invoice_currency_code": "USD",
    "total_discount": 0.0,
    "saturday_delivery": False,
    "international_duty_paid_by": None,
}
SHIP_FROM = {
    "address1": "456 Warehouse Blvd",
    "address2": None,
    "address3": None,
    "city": "Distribution City",
    "state": "NJ",
    "postal_code": "07001",
    "country": "US",
}
WMS_RAW_STATUS = {"fulfilled": "shipped", "other": "custom_hold"}
WMS_PICKED = frozenset(("picked", "packed", "fulfilled"))
CHANNELS, ORDER_TYPES = (b"shopify", b"amazon", b"wholesale"), (b"d2c", b"d2c", b"b2b")
SHIPPING_COSTS = (0, 499, 599, 999)
RUSH = (b"[]", b'["rush_order"]')
# the order's address: one of the pool, left open (no closing brace) for the order's contact
SHIP_TO = orjson.Fragment(b'%s,"phone_number":"+15555550100","email":"c%d@example.com"}')
MONEY = Memo(lambda cents: json_bytes(money(cents)))
MONEY_AS_STRING = Memo(lambda cents: json_bytes(str(money(cents))))  # the type-change drift
MEASUREMENTS = Memo(
    lambda weight_tenths: json_bytes(
        {
            "length": 12.0,
            "width": 9.0,
            "height": 4.0,
            "unit": "in",
            "weight": weight_tenths / 10,
            "weight_unit": "lb",
        }
    )
)
ENCODED = Memo(str.encode)  # statuses, warehouse ids, ...


@functools.cache
def _wms_order_templates(drift_new_field: bool) -> tuple[bytes, bytes, tuple[bytes, ...]]:
    """(order, shipment, package per carrier) templates; the holes are filled in that order."""
    order = {
        **_common_shape(drift_new_field),
        **WMS_ORDER_CONSTANTS,
        "warehouse_customer_id": "%s",
        "warehouse_id": "%s",
        "reference_id": "ref_%d",
        "order_number": "ORD-%07d",
        "status": "%s",
        "raw_status": "%s",
        "channel": "%s",
        "type": "%s",
        "total_price": HOLE,
        "total_tax": HOLE,
        "total_shipping": HOLE,
        "ship_to_address": SHIP_TO,
        "line_items": HOLE,
        "tags": HOLE,
        "required_ship_date": DATE,
        "signature_required": HOLE,
        "shipments": HOLE,
        "external_system_url": "https://wms.example.com/orders/%s",
    }
    shipment = {
        "shipment_id": "shp_%d",
        "warehouse_id": "%s",
        "shipped_date": DATE,
        "raw_status": "shipped",
        "status": "shipped",
        "shipping_method": "%s",
        "line_items": HOLE,
        "ship_to_address": HOLE,
        "ship_from_address": SHIP_FROM,
        "packages": HOLE,
    }
    packages = tuple(
        template(
            {
                **carrier,
                "package_id": "pkg_%d_%d",
                "tracking_number": "%s",
                "tracking_url": "https://track.example.com/%s",
                "shipping_cost": HOLE,
                "measurements": HOLE,
                "line_items": HOLE,
            }
        )
        for carrier in PACKAGE_BY_CARRIER
    )
    return template(order), template(shipment), packages


def render_wms_orders(ctx: Ctx, recs: Sequence[Rec]) -> list[bytes]:
    """WMS orders a page at a time, the hot path (a million orders): the page's random draws
    come from `columns` and each order is a few templates filled with `%`.

    An order's main stream draws (carrier, weight) per package, then channel, type, shipping,
    rush tag and signature; its other streams pick the address, the basket, the package costs
    and each package's tracking number.
    """
    order, shipment, package_by_carrier = _wms_order_templates(ctx.drift_new_field)
    conn = strhash(ctx.connection_id)
    keys = [rec.key for rec in recs]
    main = zip(*columns([(ctx.seed, conn, key, _MAIN) for key in keys], 9), strict=True)
    addresses = columns([(ctx.seed, conn, key, _ADDR) for key in keys], 1)[0]
    baskets = columns([(ctx.seed, conn, key, _LINES) for key in keys], 1)[0]
    shipped = [i for i, rec in enumerate(recs) if rec.data.shipped]
    pkg_draws = columns([(_PKG, conn, keys[i]) for i in shipped], 1)[0]
    costs = dict(zip(shipped, map(_package_costs, pkg_draws), strict=True))
    trk_seeds = [(_TRK, conn, keys[i], n) for i in shipped for n in range(len(costs[i]))]
    tracking = iter(list(map(_tracking_bytes, columns(trk_seeds, 1)[0])))
    basket_by_number = _baskets(ctx)
    ship_to_open, ship_to_full = _open_addresses(), _address_json("full_name", "postal_code")
    warehouses, customers = (
        [w.encode() for w in ctx.warehouses],
        [c.encode() for c in ctx.warehouse_customers],
    )
    money_json = MONEY_AS_STRING if ctx.drift_type_change else MONEY
    hour, rest = ISO_HOUR_BYTES, ISO_REST_BYTES
    out = []
    for i, (rec, common, z) in enumerate(zip(recs, _common_values(ctx, recs), main, strict=True)):
        key = rec.key
        basket = basket_by_number[baskets[i] % LINE_SETS]
        address = addresses[i] & 1023
        warehouse = warehouses[key % len(warehouses)]
        shipments, p = b"[]", 0
        if i in costs:
            packages = [
                package_by_carrier[z[2 * n] % 3]
                % (
                    key,
                    n,
                    trk := next(tracking),
                    trk,
                    money_json[cost],
                    MEASUREMENTS[3 + z[2 * n + 1] % 198],
                    basket.package,
                )
                for n, cost in enumerate(costs[i])
            ]
            p, shipped_at = 2 * len(packages), rec.data.shipped
            shipments = b"[%s]" % (
                shipment
                % (
                    key,
                    warehouse,
                    hour[shipped_at // 3600],
                    rest[shipped_at % 3600],
                    METHOD_BY_CARRIER[z[0] % 3],
                    basket.shipment,
                    ship_to_full[address],
                    b"[%s]" % b",".join(packages),
                )
            )
        due = rec.created + 2 * 86400
        out.append(
            order
            % (
                *common,
                customers[key % len(customers)],
                warehouse,
                key,
                key,
                ENCODED[rec.status],
                ENCODED[WMS_RAW_STATUS.get(rec.status, rec.status)],  # type: ignore[arg-type]
                CHANNELS[z[p] % 3],
                ORDER_TYPES[z[p + 1] % 3],
                basket.total_price,
                basket.total_tax,
                MONEY[SHIPPING_COSTS[z[p + 2] % 4]],
                ship_to_open[address],
                key,
                basket.wms[rec.status in WMS_PICKED],
                RUSH[z[p + 3] >> 11 < P10],
                hour[due // 3600],
                rest[due % 3600],
                BOOL[z[p + 4] >> 11 < P5],
                shipments,
                common[0],
            )
        )
    return out


def render_cart_order(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    rng = ctx.rng(rec)
    shipped = rec.data.shipped
    basket = _order_lines(ctx, rec)
    lines = orjson.Fragment(basket.cart)
    shipments = []
    if shipped:
        for n, _cost in enumerate(package_costs(ctx.connection_id, rec.key)):
            trk = tracking_number(ctx, rec.key, n)
            shipments.append(
                {
                    "shipment_id": f"cshp_{rec.key}_{n}",
                    "shipped_date": iso(shipped),
                    "tracking_number": trk,
                    "tracking_url": f"https://track.example.com/{trk}",
                    "carrier": CARRIERS[rng.randrange(3)][1],
                    "line_items": orjson.Fragment(basket.cart_shipment),
                }
            )
    total = basket.total
    return {
        **_common(ctx, rec),
        "order_number": f"#{1000 + rec.key}",
        "reference_id": f"cart_ref_{rec.key}",
        "status": rec.status,
        "raw_status": {"fulfilled": "FULFILLED", "cancelled": "CANCELLED"}.get(
            rec.status or "", "UNFULFILLED"
        ),
        "channel": ctx.integration_name,
        "currency_code": "USD",
        "total_price": money(total),
        "total_tax": money(total * 8 // 100),
        "total_discount": 0.0,
        "total_shipping": money(rng.choice([0, 499, 599])),
        "customer": {"email": f"buyer{rec.key}@example.com", "name": _address(rng)["name"]},
        "ship_to_address": _address(ctx.rng(rec, "addr")),
        "line_items": lines,
        "shipments": shipments,
        "external_system_url": f"https://shop.example.com/admin/orders/{rec.id}",
    }


def render_inventory(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    levels: dict[str, dict[str, int]] = (rec.data or {})["levels"]
    totals = {q: sum(w[q] for w in levels.values()) for q in QUANTITIES}
    sku = _sku(ctx, rec.key)
    return {
        **_common(ctx, rec),
        "warehouse_customer_id": ctx.warehouse_customers[rec.key % len(ctx.warehouse_customers)],
        "name": f"Product {rec.key}",
        "sku": sku,
        "unit_cost": money(500 + 37 * rec.key % 4000),
        "active": True,
        **totals,
        "substitute_skus": [],
        "inventory_by_warehouse_id": {w: dict(v) for w, v in levels.items()},
        "lots": [
            {
                "lot_id": f"LOT-{rec.key}-A",
                "onhand": totals["onhand"] // 2,
                "expiration_date": "2027-06-30",
            }
        ],
        "locations": [
            {
                "location_id": f"{w[-2:].upper()}-{rec.key % 20:02d}-01",
                "warehouse_id": w,
                "quantity": v["onhand"],
            }
            for w, v in levels.items()
        ],
        "external_system_url": f"https://wms.example.com/inventory/{rec.id}",
        "measurements": {
            "length": 10.0,
            "width": 6.0,
            "height": 4.0,
            "unit": "in",
            "weight": 1.5,
            "weight_unit": "lb",
        },
    }


def render_wms_product(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    sku = _sku(ctx, rec.key)
    return {
        **_common(ctx, rec),
        "warehouse_customer_id": ctx.warehouse_customers[rec.key % len(ctx.warehouse_customers)],
        "name": f"Product {rec.key}",
        "sku": sku,
        "gtin": f"0{700000000000 + rec.key}",
        "unit_price": money(1000 + 53 * rec.key % 6000),
        "is_kit": False,
        "active": True,
        "inventory_items": [
            {"inventory_item_id": f"inv_{sku.lower()}", "sku": sku, "unit_quantity": 1}
        ],
        "country_of_origin": "US",
        "harmonized_code": "6109.10",
        "supplier_products": [
            {"supplier_id": "sup_1", "supplier_name": "Acme Supply", "cost": money(500)}
        ],
        "external_system_url": f"https://wms.example.com/products/{rec.id}",
    }


def render_cart_product(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    parent = rec.key - rec.key % 3  # every third record is a parent, the next two its variants
    rng = ctx.rng(rec)
    return {
        **_common(ctx, rec),
        "parent_product_id": f"cprod_{parent}",
        "name": f"Cart product {parent}"
        + ("" if parent == rec.key else f" / variant {rec.key % 3}"),
        "sku": _sku(ctx, rec.key),
        "price": money(1500 + 10 * rec.key),
        "inventory_by_warehouse_id": (
            {} if parent == rec.key else {w: rng.randint(0, 200) for w in ctx.warehouses}
        ),
        "external_system_url": f"https://shop.example.com/products/{rec.id}",
    }


def render_warehouse(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    return {
        **_common(ctx, rec),
        "name": f"Warehouse {rec.id}",
        "code": rec.id[-3:].upper(),
        "address": _address(ctx.rng(rec, "addr"), "full_name", "postal_code"),
        "external_system_url": f"https://wms.example.com/warehouses/{rec.id}",
    }


def render_location(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    d = rec.data or {}
    return {
        **_common(ctx, rec),
        "warehouse_id": d["warehouse_id"],
        "name": f"{rec.key % 10}-{rec.key % 7:02d}-{rec.key % 3:02d}",
        "barcode": f"LOC{rec.key:06d}",
        "pickable": rec.key % 5 != 0,
        "sellable": True,
    }


def render_simple(kind: str) -> Callable[[Ctx, Rec], dict[str, Any]]:
    """Small reference lists (shipping methods, warehouse customers, cart warehouses, ...)."""

    def render(ctx: Ctx, rec: Rec) -> dict[str, Any]:
        out = {**_common(ctx, rec), "name": f"{kind.replace('_', ' ').title()} {rec.key}"}
        if kind == "shipping_method":
            carrier_id, carrier_name, scac, _ = CARRIERS[rec.key % 3]
            out.update(
                carrier_id=carrier_id,
                carrier_name=carrier_name,
                scac=scac,
                service_level=["ground", "2day", "overnight"][rec.key % 3],
            )
        return out

    return render


def render_lookup(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    """Order channels and inbound-shipment suppliers: ids and names only."""
    return {"id": rec.id, "name": (rec.data or {}).get("name", rec.id)}


def render_inbound(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    rng = ctx.rng(rec)
    return {
        **_common(ctx, rec),
        "warehouse_customer_id": ctx.warehouse_customers[rec.key % len(ctx.warehouse_customers)],
        "warehouse_id": ctx.warehouses[rec.key % len(ctx.warehouses)],
        "purchase_order_number": f"PO-{rec.key:05d}",
        "status": rec.status,
        "raw_status": rec.status,
        "supplier": "Acme Supply",
        "expected_arrival_date": iso(rec.created + 5 * 86400),
        "line_items": [
            {
                "sku": _sku(ctx, rng.randrange(20)),
                "expected_quantity": 100,
                "received_quantity": 100 if rec.status == "received" else 0,
            }
            for _ in range(rng.randint(1, 3))
        ],
        "receipts": [],
    }


def render_return(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    return {
        **_common(ctx, rec),
        "warehouse_customer_id": ctx.warehouse_customers[rec.key % len(ctx.warehouse_customers)],
        "warehouse_id": ctx.warehouses[rec.key % len(ctx.warehouses)],
        "order_id": f"ord_{rec.key}",
        "status": rec.status,
        "raw_status": rec.status,
        "line_items": [{"sku": _sku(ctx, rec.key % 20), "quantity": 1, "disposition": "restock"}],
    }


def render_bill(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    return {
        **_common(ctx, rec),
        "warehouse_customer_id": ctx.warehouse_customers[rec.key % len(ctx.warehouse_customers)],
        "bill_number": f"B-{rec.key:05d}",
        "total": money(10000 + 313 * rec.key % 90000),
        "currency": "USD",
        "line_items": [
            {"description": "Storage", "amount": money(5000)},
            {"description": "Pick and pack", "amount": money(5000 + 313 * rec.key % 90000)},
        ],
    }


def render_ledger(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    d = rec.data or {}
    return {
        **_common(ctx, rec),
        "inventory_item_id": d.get("inventory_item_id"),
        "warehouse_id": d.get("warehouse_id"),
        "quantity_change": d.get("delta", 0),
        "reason": "adjustment",
    }


def render_invoice_line(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    d: Charge = rec.data
    gross, net = d.gross, d.net
    return {
        **{k: v for k, v in _common(ctx, rec).items() if k != "additional_fields"},
        "transaction_date": iso(d.transaction),
        "account_id": d.account,
        "invoice_id": d.invoice,
        "tracking_number": d.tracking_number,
        "charge_description": d.description,
        "gross_cost": money(gross),
        "net_cost": money(net),
        "raw": {
            "Invoice Number": d.invoice,
            "Tracking Number": d.tracking_number,
            "Charge Description": d.description,
            "Basis Value": f"{gross / 100:.2f}",
            "Incentive Amount": f"{(gross - net) / 100:.2f}",
            "Net Amount": f"{net / 100:.2f}",
            "Zone": str(rec.key % 8 + 2),
        },
    }


def render_carrier_file(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    d = rec.data or {}
    return {
        **{
            k: v
            for k, v in _common(ctx, rec).items()
            if k not in ("additional_fields", "trackstar_tags")
        },
        "file_name": f"invoice_{d.get('invoice', rec.id)}.csv",
        "invoice_id": d.get("invoice"),
        "file_type": "csv",
        "download_url": f"https://files.example.com/{rec.id}?expires=1200",
    }


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "wms_orders",
        "wms",
        "/wms/orders",
        "get_orders",
        None,
        render_page=render_wms_orders,
        statuses=(
            *WMS_ORDER_FLOW,
            "partially_fulfilled",
            "backordered",
            "exception",
            "cancelled",
            "other",
        ),
    ),
    Resource("wms_inventory", "wms", "/wms/inventory", "get_inventory", render_inventory),
    Resource("wms_products", "wms", "/wms/products", "get_products", render_wms_product),
    Resource(
        "wms_inbound_shipments",
        "wms",
        "/wms/inbound-shipments",
        "get_inbound_shipments",
        render_inbound,
        statuses=(*INBOUND_FLOW, "cancelled", "other"),
    ),
    Resource(
        "wms_returns",
        "wms",
        "/wms/returns",
        "get_returns",
        render_return,
        statuses=(*INBOUND_FLOW, "cancelled", "other"),
    ),
    Resource("wms_bills", "wms", "/wms/billing", "get_bills", render_bill),
    Resource(
        "wms_inventory_ledger",
        "wms",
        "/wms/inventory/ledger",
        "get_inventory_ledger",
        render_ledger,
    ),
    Resource(
        "wms_shipping_methods",
        "wms",
        "/wms/shipping-methods",
        "get_shipping_methods",
        render_simple("shipping_method"),
    ),
    Resource("wms_warehouses", "wms", "/wms/warehouses", "get_warehouses", render_warehouse),
    Resource(
        "wms_warehouse_locations",
        "wms",
        "/wms/warehouses/{warehouse_id}/locations",
        "get_warehouse_locations",
        render_location,
        parent_param="warehouse_id",
    ),
    Resource(
        "wms_warehouse_customers",
        "wms",
        "/wms/warehouse-customers",
        "get_warehouse_customers",
        render_simple("warehouse_customer"),
    ),
    Resource(
        "wms_order_channels",
        "wms",
        "/wms/orders/channels",
        "get_order_channels",
        render_lookup,
        has_dates=False,
    ),
    Resource(
        "wms_inbound_shipment_suppliers",
        "wms",
        "/wms/inbound-shipments/suppliers",
        "get_inbound_shipment_suppliers",
        render_lookup,
        has_dates=False,
    ),
    Resource(
        "cart_orders",
        "cart",
        "/cart/orders",
        "get_orders",
        render_cart_order,
        statuses=(
            *CART_ORDER_FLOW,
            "partially_fulfilled",
            "backordered",
            "exception",
            "cancelled",
            "other",
        ),
    ),
    Resource("cart_products", "cart", "/cart/products", "get_products", render_cart_product),
    Resource(
        "cart_warehouses",
        "cart",
        "/cart/warehouses",
        "get_warehouses",
        render_simple("cart_warehouse"),
    ),
    Resource(
        "carrier_invoice_line_items",
        "carrier",
        "/carrier/invoice-line-items",
        "get_invoice_line_items",
        render_invoice_line,
    ),
    Resource("carrier_files", "carrier", "/carrier/files", "get_files", render_carrier_file),
)

BY_NAME = {r.name: r for r in RESOURCES}
