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

from pipelines.simulator.integrations import drop_not_provided
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
PACKED_OR_LATER = frozenset(("packed", "partially_fulfilled", "fulfilled"))
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
CARRIERS = (  # (carrier_id, name, scac, tracking-number prefix); a customer ships with one
    ("ups", "UPS", "UPSN", "1Z"),
    ("fedex", "FedEx", "FDXG", "7"),
    ("usps", "USPS", "USPS", "94"),
)
LEVELS = (
    ("ground", "Ground", "Standard"),
    ("2day", "2Day", "Express"),
    ("overnight", "Overnight", "Overnight"),
)
LEVEL_OF_DRAW = (0, 0, 0, 1, 1, 2)  # most orders ship ground
FREIGHT_FLOW = (
    "pre_transit",
    "in_transit",
    "arrival_port",
    "en_route_to_destination",
    "final_destination",
)
SUPPLIERS = ("Acme Supply", "Globex Materials", "Initech Parts", "Umbrella Goods")
CHANNEL_NAMES = ("shopify", "amazon", "wholesale")
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
    render_page: Callable[[Ctx, Sequence[Rec]], list[bytes]] | None = None  # records as JSON

    @property
    def single_path(self) -> str:
        return self.path + "/{id}"

    def json(self, ctx: Ctx, recs: Sequence[Rec]) -> bytes:
        """Records as the API serves them, a JSON array; nothing re-serializes the parts."""
        if self.render_page:
            raw = b"[" + b",".join(self.render_page(ctx, recs)) + b"]"
        else:
            assert self.render is not None
            raw = orjson.dumps([self.render(ctx, rec) for rec in recs])
        return drop_not_provided(raw, ctx.integration_name, self.action)


@dataclass
class Ctx:
    """What a renderer may read about the connection a record belongs to."""

    seed: int
    connection_id: str
    integration_name: str
    warehouses: list[str]
    warehouse_customers: list[str]
    carrier: int = 0  # the customer's parcel carrier (index into CARRIERS)
    currency: str = "USD"
    now: int = 0  # the server's clock when a page is rendered (presigned URLs expire from it)
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


def _common(ctx: Ctx, rec: Rec, tags: bool = False, extra: bool = True) -> dict[str, Any]:
    """The fields every dated record starts with, as a dict (see `_common_values` for pages).

    `trackstar_tags` only where the docs have them (orders, inventory, products, inbound
    shipments, returns, warehouses, carrier charges); `additional_fields` almost everywhere.
    """
    ((tags_json, extra_json),) = _tags_and_extra(ctx, [rec])
    out = {
        "id": rec.id,
        "created_date": iso(rec.created),
        "updated_date": iso(rec.updated),
        "trackstar_created_date": iso(rec.tcreated),
        "trackstar_updated_date": iso(rec.tud),
    }
    if tags:
        out["trackstar_tags"] = orjson.Fragment(tags_json)
    if extra:
        out["additional_fields"] = orjson.Fragment(extra_json)
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


COMPANIES = ("Northwind Traders", "Contoso Ltd", "Fabrikam Inc", "Tailspin Toys")
ADDRESS_KEYS = ("address1", "address2", "address3", "city", "state", "postal_code", "country")


@functools.cache
def _address_pool() -> tuple[dict[str, Any], ...]:
    """1024 generated addresses with the documented keys (rendering picks one, it builds none)."""
    rng = Rng("addresses")
    pool = []
    for i in range(1024):
        first = rng.choice(["John", "Maria", "Wei", "Aisha", "Lucas", "Emma", "Noah", "Sofia"])
        last = rng.choice(["Doe", "Garcia", "Chen", "Khan", "Silva", "Smith", "Rossi", "Novak"])
        street = rng.choice(["Main St", "Oak Ave", "Pine Rd", "Elm Blvd"])
        pool.append(
            {
                "full_name": f"{first} {last}",
                "company": COMPANIES[i // 8 % 4] if i % 8 == 0 else None,
                "address1": f"{rng.randint(1, 9999)} {street}",
                "address2": f"Apt {rng.randint(1, 40)}" if i % 4 == 1 else None,
                "address3": "c/o Front Desk" if i % 16 == 3 else None,
                "city": rng.choice(["Anytown", "Springfield", "Riverside", "Fairview"]),
                "state": rng.choice(["NY", "CA", "TX", "NJ", "FL"]),
                "postal_code": f"{rng.randint(10000, 99999)}",
                "country": "US",
            }
        )
    return tuple(pool)


def _address(rng: Rng) -> dict[str, Any]:
    return dict(_address_pool()[rng.next() & 1023])


def _contact(address: dict[str, Any], key: int) -> dict[str, Any]:
    """A ship-to address: the pool's address with the buyer's phone and email."""
    return {
        **address,
        "phone_number": f"+1555555{key % 10000:04d}",
        "email_address": f"c{key}@example.com",
    }


@functools.cache
def _open_addresses() -> tuple[bytes, ...]:
    """The pool serialized once, left open (no closing brace) for the order's contact fields."""
    return tuple(json_bytes(address)[:-1] for address in _address_pool())


def _site_address(ctx: Ctx, key: int) -> dict[str, Any]:
    """A warehouse's (or supplier's) address: no person, no contact (the documented keys)."""
    pool = _address_pool()
    address = pool[Rng.of(ctx.seed, strhash(ctx.connection_id), key, _ADDR).next() & 1023]
    return {
        **{k: address[k] for k in ADDRESS_KEYS},
        "address2": f"Suite {100 + key % 900}",
        "address3": "Dock entrance B" if key % 2 == 0 else None,
    }


def _warehouse_addresses(ctx: Ctx) -> list[bytes]:
    """Each warehouse's address as JSON: the ship-from address of its shipments."""
    out = ctx.extra.get("warehouse_addresses")
    if out is None:
        out = ctx.extra["warehouse_addresses"] = [
            json_bytes(_site_address(ctx, i)) for i in range(len(ctx.warehouses))
        ]
    return out


def shipping_method(carrier: int, level: int) -> dict[str, Any]:
    """A parcel shipping method as orders, packages and packs name it."""
    cid, name, scac, _ = CARRIERS[carrier]
    lid, lname, _ = LEVELS[level]
    return {
        "shipping_method": f"{cid}_{lid}",
        "shipping_method_id": f"{cid}_{lid}",
        "shipping_method_name": f"{name} {lname}",
        "carrier": name,
        "carrier_id": cid,
        "carrier_name": name,
        "scac": scac,
        "service_level": lid,
    }


def _sku(ctx: Ctx, n: int) -> str:
    return f"SKU-{ctx.connection_id[-4:].upper()}-{n:04d}"


def _item_id(sku: str) -> str:
    return f"inv_{sku.lower()}"


def _order_id(ctx: Ctx, key: int) -> str:
    return f"ord_{ctx.connection_id[-4:]}_{key:07d}"


LINE_SETS = 1024  # distinct baskets per connection; an order picks one by its key
LOT_TRACKED = 5  # every fifth item is lot-tracked: its packed units carry a lot and an expiry
KIT = 7  # items with key % KIT == 3 are kits: what ships names the kit as its parent product


def _kit_parent(ctx: Ctx, item: int) -> str | None:
    return f"prod_{ctx.connection_id[-4:]}_{item:04d}" if item % KIT == 3 else None


class LineSet(NamedTuple):
    """One basket in every shape the renderers need, as JSON built once per connection."""

    wms: tuple[bytes, bytes]  # (not picked, picked)
    package: bytes
    shipment: bytes
    packs_order: bytes  # the packs endpoint's order_line_items
    pack: bytes  # a pack's line items
    lines: tuple[tuple[int, int, int, int], ...]  # (item, quantity, unit price, discount) cents
    total: int  # cents
    total_price: bytes  # money(total), as JSON
    total_tax: bytes
    total_discount: bytes


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
            (item, rng.randint(1, 4), rng.randint(500, 9000), rng.choice([0, 0, 150, 300]))
        )
    wms = [
        {
            "product_id": f"prod_{ctx.connection_id[-4:]}_{item:04d}",
            "sku": _sku(ctx, item),
            "quantity": qty,
            "unit_price": money(price),
            "is_picked": False,
            "discount_amount": money(discount),
        }
        for item, qty, price, discount in lines
    ]
    lot = {
        item: (f"LOT-{item:04d}-A", "2027-06-30T00:00:00Z")
        if item % LOT_TRACKED == 0
        else (None, None)
        for item, *_ in lines
    }
    total = sum(price * qty for _, qty, price, _ in lines)
    return LineSet(
        wms=(json_bytes(wms), json_bytes([{**li, "is_picked": True} for li in wms])),
        package=json_bytes(
            [
                {
                    "inventory_item_id": _item_id(_sku(ctx, item)),
                    "sku": _sku(ctx, item),
                    "quantity": qty,
                    "lot_id": lot[item][0],
                    "expiration_date": lot[item][1],
                    "parent_product_id": _kit_parent(ctx, item),
                }
                for item, qty, *_ in lines
            ]
        ),
        shipment=json_bytes(
            [
                {
                    "inventory_item_id": _item_id(_sku(ctx, item)),
                    "sku": _sku(ctx, item),
                    "quantity": qty,
                    "parent_product_id": _kit_parent(ctx, item),
                }
                for item, qty, *_ in lines
            ]
        ),
        packs_order=json_bytes(
            [
                {"product_id": li["product_id"], "sku": li["sku"], "quantity": li["quantity"]}
                for li in wms
            ]
        ),
        pack=json_bytes(
            [
                {
                    "inventory_item_id": _item_id(_sku(ctx, item)),
                    "sku": _sku(ctx, item),
                    "quantity": qty,
                }
                for item, qty, *_ in lines
            ]
        ),
        lines=tuple(lines),
        total=total,
        total_price=json_bytes(money(total)),
        total_tax=json_bytes(money(total * 8 // 100)),
        total_discount=json_bytes(money(sum(d * q for _, q, _, d in lines))),
    )


_TRK, _PKG, _LINES = strhash("trk"), strhash("pkg"), strhash("lines")
_MAIN, _ADDR = strhash(""), strhash("addr")


def tracking_number(ctx: Ctx, key: int, n: int) -> str:
    """Deterministic tracking numbers of the customer's carrier (shared by orders and invoices)."""
    return _tracking_number(Rng.of(_TRK, strhash(ctx.connection_id), key, n).next(), ctx.carrier)


def _tracking_number(z: int, carrier: int) -> str:
    return _tracking_bytes(z, carrier).decode()


def _tracking_bytes(z: int, carrier: int) -> bytes:
    return b"%s%016d" % (TRACKING_PREFIXES[carrier], z // 3 % 10**16)


TRACKING_PREFIXES = tuple(prefix.encode() for *_, prefix in CARRIERS)


def package_costs(conn: str, key: int) -> list[int]:
    """The shipping cost the WMS reports per package (one per carton), in cents."""
    return _package_costs(Rng.of(_PKG, strhash(conn), key).next())


def _package_costs(z: int) -> list[int]:
    r0, r1, r2 = z & 0xFFFF, (z >> 16) & 0xFFFF, (z >> 32) & 0xFFFF
    return [600 + r1 % 1901, 600 + r2 % 1901] if r0 % 4 == 3 else [600 + r1 % 1901]


# An order's main stream, 9 draws: its service level, two package weights, channel, type,
# shipping charge, rush tag, signature, freight terms. Positions, not order of use:
LEVEL, WEIGHT, CHANNEL, TYPE, SHIPPING, RUSH_TAG, SIGNATURE, TERMS = 0, 1, 3, 4, 5, 6, 7, 8
WMS_ORDER_CONSTANTS = {
    "trading_partner": "Direct",
    "saturday_delivery": False,
}
WMS_RAW_STATUS = {"fulfilled": "shipped", "other": "custom_hold"}
WMS_PICKED = frozenset(("picked", "packed", "fulfilled"))
ORDER_TYPES = (b"d2c", b"d2c", b"b2b")
SHIPPING_COSTS = (0, 499, 599, 999)
RUSH = (b"[]", b'["rush_order"]')
# the order's address: one of the pool, left open (no closing brace) for the order's contact
SHIP_TO = b'%s,"phone_number":"+1555555%04d","email_address":"c%d@example.com"}'
CHANNEL_JSON = tuple(
    (json_bytes(name), json_bytes({"channel_id": f"chan_{i + 1}", "channel_name": name}))
    for i, name in enumerate(CHANNEL_NAMES)
)
# freight terms by order type: d2c ships on the 3PL's account, b2b often on the buyer's
TERMS_D2C = b'"is_third_party_freight":false,"third_party_freight_account_number":null,"first_party_freight_account_number":"FP-%d","international_duty_paid_by":null'
TERMS_B2B = b'"is_third_party_freight":true,"third_party_freight_account_number":"TP-%d","first_party_freight_account_number":null,"international_duty_paid_by":"recipient"'
MONEY = Memo(lambda cents: json_bytes(money(cents)))
MONEY_AS_STRING = Memo(lambda cents: json_bytes(str(money(cents))))  # the type-change drift
PACKAGE_MEASUREMENTS = {
    "length": 12.0,
    "width": 9.0,
    "height": 4.0,
    "unit": "in",
    "weight_unit": "lb",
}
MEASUREMENTS = Memo(
    lambda weight_tenths: json_bytes({**PACKAGE_MEASUREMENTS, "weight": weight_tenths / 10})
)
ENCODED = Memo(str.encode)  # statuses, warehouse ids, ...


def _weight_tenths(z: int) -> int:
    return 3 + z % 198


@functools.cache
def _wms_order_templates(
    drift_new_field: bool, carrier: int, level: int
) -> tuple[bytes, bytes, bytes]:
    """(order, shipment, package) templates of one shipping method; holes filled in order.

    The `TERMS` hole is raw JSON members, so the order's shape stays one `%` away.
    """
    method = shipping_method(carrier, level)
    order = {
        **_common_shape(drift_new_field),
        **WMS_ORDER_CONSTANTS,
        **{k: v for k, v in method.items() if k != "carrier"},  # carrier: packages only
        "warehouse_customer_id": "%s",
        "warehouse_id": "%s",
        "reference_id": "ref_%d",
        "order_number": "ORD-%07d",
        "status": "%s",
        "raw_status": "%s",
        "channel": HOLE,
        "channel_object": HOLE,
        "type": "%s",
        "invoice_currency_code": "%s",
        "total_price": HOLE,
        "total_tax": HOLE,
        "total_discount": HOLE,
        "total_shipping": HOLE,
        "ship_to_address": HOLE,
        "line_items": HOLE,
        "tags": HOLE,
        "required_ship_date": DATE,
        "signature_required": HOLE,
        "shipments": HOLE,
        "external_system_url": "https://wms.example.com/orders/%s",
    }
    order_bytes = template(order)
    # the freight terms: raw members spliced in before the closing brace
    order_bytes = order_bytes[:-1] + b",%s}"
    shipment = {
        "shipment_id": "shp_%d",
        "warehouse_id": "%s",
        "shipped_date": DATE,
        "raw_status": "shipped",
        "status": "shipped",
        "shipping_method": method["shipping_method"],
        "line_items": HOLE,
        "ship_to_address": HOLE,
        "ship_from_address": HOLE,
        "packages": HOLE,
    }
    package = {
        "package_name": "12x9x4",
        **{k: v for k, v in method.items() if k != "service_level"},
        "package_id": "pkg_%d_%d",
        "tracking_number": "%s",
        "tracking_url": "https://track.example.com/%s",
        "shipping_cost": HOLE,
        "measurements": HOLE,
        "line_items": HOLE,
    }
    return order_bytes, template(shipment), template(package)


def render_wms_orders(ctx: Ctx, recs: Sequence[Rec]) -> list[bytes]:
    """WMS orders a page at a time, the hot path (a million orders): the page's random draws
    come from `columns` and each order is a few templates filled with `%`.

    An order's main stream draws its service level, package weights, channel, type, shipping
    charge, rush tag, signature and freight terms (see LEVEL..TERMS); its other streams pick the
    address, the basket, the package costs and each package's tracking number.
    """
    conn = strhash(ctx.connection_id)
    keys = [rec.key for rec in recs]
    main = zip(*columns([(ctx.seed, conn, key, _MAIN) for key in keys], 9), strict=True)
    addresses = columns([(ctx.seed, conn, key, _ADDR) for key in keys], 1)[0]
    baskets = columns([(ctx.seed, conn, key, _LINES) for key in keys], 1)[0]
    shipped = [i for i, rec in enumerate(recs) if rec.data.shipped]
    pkg_draws = columns([(_PKG, conn, keys[i]) for i in shipped], 1)[0]
    costs = dict(zip(shipped, map(_package_costs, pkg_draws), strict=True))
    trk_seeds = [(_TRK, conn, keys[i], n) for i in shipped for n in range(len(costs[i]))]
    carrier = ctx.carrier
    tracking = iter([_tracking_bytes(z, carrier) for z in columns(trk_seeds, 1)[0]])
    basket_by_number = _baskets(ctx)
    ship_to_open = _open_addresses()
    ship_from = _warehouse_addresses(ctx)
    warehouses, customers = (
        [w.encode() for w in ctx.warehouses],
        [c.encode() for c in ctx.warehouse_customers],
    )
    currency = ctx.currency.encode()
    money_json = MONEY_AS_STRING if ctx.drift_type_change else MONEY
    hour, rest = ISO_HOUR_BYTES, ISO_REST_BYTES
    out = []
    for i, (rec, common, z) in enumerate(zip(recs, _common_values(ctx, recs), main, strict=True)):
        key = rec.key
        order, shipment, package = _wms_order_templates(
            ctx.drift_new_field, carrier, LEVEL_OF_DRAW[z[LEVEL] % 6]
        )
        basket = basket_by_number[baskets[i] % LINE_SETS]
        ship_to = SHIP_TO % (ship_to_open[addresses[i] & 1023], key % 10000, key)
        w = key % len(warehouses)
        shipments = b"[]"
        if i in costs:
            packages = [
                package
                % (
                    key,
                    n,
                    trk := next(tracking),
                    trk,
                    money_json[cost],
                    MEASUREMENTS[_weight_tenths(z[WEIGHT + n])],
                    basket.package,
                )
                for n, cost in enumerate(costs[i])
            ]
            shipped_at = rec.data.shipped
            shipments = b"[%s]" % (
                shipment
                % (
                    key,
                    warehouses[w],
                    hour[shipped_at // 3600],
                    rest[shipped_at % 3600],
                    basket.shipment,
                    ship_to,
                    ship_from[w],
                    b"[%s]" % b",".join(packages),
                )
            )
        due = rec.created + 2 * 86400
        channel, channel_object = CHANNEL_JSON[z[CHANNEL] % 3]
        order_type = ORDER_TYPES[z[TYPE] % 3]
        out.append(
            order
            % (
                *common,
                customers[key % len(customers)],
                warehouses[w],
                key,
                key,
                ENCODED[rec.status],
                ENCODED[WMS_RAW_STATUS.get(rec.status, rec.status)],  # type: ignore[arg-type]
                channel,
                channel_object,
                order_type,
                currency,
                basket.total_price,
                basket.total_tax,
                basket.total_discount,
                MONEY[SHIPPING_COSTS[z[SHIPPING] % 4]],
                ship_to,
                basket.wms[rec.status in WMS_PICKED],
                RUSH[z[RUSH_TAG] >> 11 < P10],
                hour[due // 3600],
                rest[due % 3600],
                BOOL[z[SIGNATURE] >> 11 < P5],
                shipments,
                common[0],
                (TERMS_B2B if order_type == b"b2b" else TERMS_D2C) % (z[TERMS] % 10**6),
            )
        )
    return out


def render_order_packs(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    """`GET /wms/orders/{id}/packs`: its cartons once packed (one per package it ships in)."""
    conn = strhash(ctx.connection_id)
    z = [col[0] for col in columns([(ctx.seed, conn, rec.key, _MAIN)], 9)]
    address = columns([(ctx.seed, conn, rec.key, _ADDR)], 1)[0][0] & 1023
    basket = _order_lines(ctx, rec)
    method = shipping_method(ctx.carrier, LEVEL_OF_DRAW[z[LEVEL] % 6])
    packs = []
    if rec.status in PACKED_OR_LATER:
        for n in range(len(package_costs(ctx.connection_id, rec.key))):
            packs.append(
                {
                    "pack_id": f"pack_{rec.key}_{n}",
                    "measurements": orjson.Fragment(MEASUREMENTS[_weight_tenths(z[WEIGHT + n])]),
                    "line_items": orjson.Fragment(basket.pack),
                }
            )
    ship_to = _contact(_address_pool()[address], rec.key)
    return {
        "packs": packs,
        **{k: v for k, v in method.items() if k != "service_level"},
        "ship_to_address": ship_to,
        "order_line_items": orjson.Fragment(basket.packs_order),
        "additional_fields": {"packed_by": f"station_{rec.key % 7 + 1}"} if packs else {},
    }


def _cart_product(ctx: Ctx, item: int) -> tuple[str, str, str, str]:
    """(product id, sku, parent id, parent sku) of the cart variant a basket item is."""
    parent = 3 * (item // 2)
    variant = parent + 1 + item % 2
    return f"cprod_{variant}", _sku(ctx, variant), f"cprod_{parent}", _sku(ctx, parent)


CART_RAW_STATUS = {"fulfilled": "FULFILLED", "cancelled": "CANCELLED"}
GROUP_STATUS = {"fulfilled": "shipped", "cancelled": "cancelled"}


def render_cart_order(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    rng = ctx.rng(rec)
    shipped = rec.data.shipped
    basket = _order_lines(ctx, rec)
    level = LEVEL_OF_DRAW[rng.next() % 6]
    method = shipping_method(ctx.carrier, level)
    warehouse = ctx.warehouses[rec.key % len(ctx.warehouses)]
    group = f"sg_{rec.key}"
    lines, group_lines, shipment_lines = [], [], []
    for n, (item, qty, price, discount) in enumerate(basket.lines):
        pid, sku, parent, parent_sku = _cart_product(ctx, item)
        line_id = f"cli_{rec.key}_{n}"
        lines.append(
            {
                "line_item_id": line_id,
                "product_id": pid,
                "product_sku": sku,
                "parent_product_id": parent,
                "parent_product_sku": parent_sku,
                "quantity": qty,
                "unit_price": money(price),
                "discount": money(discount * qty),
                "tax": money(price * qty * 8 // 100),
            }
        )
        group_lines.append(
            {
                "line_item_id": line_id,
                "product_id": pid,
                "product_sku": sku,
                "parent_product_id": parent,
                "quantity": qty,
            }
        )
        shipment_lines.append((n, pid, sku, parent, parent_sku, qty))
    shipments = []
    if shipped:
        for n in range(len(package_costs(ctx.connection_id, rec.key))):
            trk = tracking_number(ctx, rec.key, n)
            shipments.append(
                {
                    "shipment_id": f"cshp_{rec.key}_{n}",
                    "raw_status": "success",
                    "status": "shipped",
                    "warehouse_id": warehouse,
                    "shipping_method_id": method["shipping_method_id"],
                    "shipping_method_name": method["shipping_method_name"],
                    "carrier_id": method["carrier_id"],
                    "carrier_name": method["carrier_name"],
                    "tracking_number": trk,
                    "tracking_url": f"https://track.example.com/{trk}",
                    "line_items": [
                        {
                            "shipment_line_item_id": f"csli_{rec.key}_{n}_{m}",
                            "product_id": pid,
                            "product_sku": sku,
                            "parent_product_id": parent,
                            "parent_product_sku": parent_sku,
                            "quantity": qty,
                        }
                        for m, pid, sku, parent, parent_sku, qty in shipment_lines
                    ],
                    "shipping_groups": [group],
                    "created_date": iso(shipped),  # when the label was bought: the ship time
                    "updated_date": iso(shipped),
                }
            )
    status = rec.status or "open"
    address = _address(ctx.rng(rec, "addr"))
    return {
        **_common(ctx, rec),
        "order_number": f"#{1000 + rec.key}",
        "status": status,
        "raw_status": CART_RAW_STATUS.get(status, "UNFULFILLED"),
        "requested_shipping_method": LEVELS[level][2],
        "shipping_method_id": method["shipping_method_id"],
        "shipping_method_name": method["shipping_method_name"],
        "carrier_id": method["carrier_id"],
        "carrier_name": method["carrier_name"],
        "invoice_currency_code": ctx.currency,
        "total_price": money(basket.total),
        "total_tax": money(basket.total * 8 // 100),
        "total_discount": orjson.Fragment(basket.total_discount),
        "total_shipping": money(rng.choice([0, 499, 599])),
        "ship_to_address": _contact(address, rec.key),
        "bill_to_address": {k: address[k] for k in ("full_name", *ADDRESS_KEYS)},
        "earliest_ship_date": iso(rec.created),
        "latest_ship_date": iso(rec.created + 2 * 86400),
        "line_items": lines,
        "shipping_groups": [
            {
                "shipping_group_id": group,
                "created_date": iso(rec.created),
                "updated_date": iso(rec.updated),
                "raw_status": CART_RAW_STATUS.get(status, "UNFULFILLED"),
                "status": GROUP_STATUS.get(status, "open"),
                "warehouse_id": warehouse,
                "line_items": group_lines,
            }
        ],
        "shipments": shipments,
        "external_system_url": f"https://shop.example.com/admin/orders/{rec.id}",
    }


ITEM_MEASUREMENTS = {
    "length": 10.0,
    "width": 6.0,
    "height": 4.0,
    "unit": "in",
    "weight": 1.5,
    "weight_unit": "lb",
}


def _location_id(ctx: Ctx, warehouse: int, n: int) -> str:
    """The id of a warehouse's n-th location (the world builds six per warehouse)."""
    wid = ctx.warehouses[warehouse]
    return f"loc_{wid}_{warehouse + len(ctx.warehouses) * (n % 6)}"


def render_inventory(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    levels: dict[str, dict[str, int]] = (rec.data or {})["levels"]
    totals = {q: sum(w[q] for w in levels.values()) for q in QUANTITIES}
    sku = _sku(ctx, rec.key)
    return {
        **_common(ctx, rec, tags=True),
        "warehouse_customer_id": ctx.warehouse_customers[rec.key % len(ctx.warehouse_customers)],
        "name": f"Product {rec.key}",
        "sku": sku,
        "unit_cost": money(500 + 37 * rec.key % 4000),
        "active": True,
        **totals,
        "substitute_skus": [_sku(ctx, rec.key + 1)] if rec.key % 4 == 0 else [],
        "inventory_by_warehouse_id": {w: dict(v) for w, v in levels.items()},
        "lots": [
            {
                "lot_id": f"LOT-{rec.key:04d}-A",
                "onhand": v["onhand"],
                "expiration_date": "2027-06-30T00:00:00Z",
                "warehouse_id": w,
            }
            for w, v in levels.items()
        ]
        if rec.key % LOT_TRACKED == 0
        else [],
        "locations": [
            {
                "location_id": _location_id(ctx, i, rec.key),
                "warehouse_id": w,
                "quantity": v["onhand"],
            }
            for i, (w, v) in enumerate(levels.items())
        ],
        "external_system_url": f"https://wms.example.com/inventory/{rec.id}",
        "measurements": ITEM_MEASUREMENTS,
    }


def render_wms_product(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    sku = _sku(ctx, rec.key)
    supplier = rec.key % len(SUPPLIERS)
    cost = 500 + 37 * rec.key % 4000
    return {
        **_common(ctx, rec, tags=True),
        "warehouse_customer_id": ctx.warehouse_customers[rec.key % len(ctx.warehouse_customers)],
        "name": f"Product {rec.key}",
        "sku": sku,
        "gtin": f"0{700000000000 + rec.key}",
        "unit_price": money(1000 + 53 * rec.key % 6000),
        "is_kit": rec.key % KIT == 3,
        "active": True,
        "inventory_items": [{"inventory_item_id": _item_id(sku), "sku": sku, "unit_quantity": 1}],
        "supplier": SUPPLIERS[supplier],
        "supplier_object": {
            "supplier_id": f"sup_{supplier + 1}",
            "supplier_name": SUPPLIERS[supplier],
        },
        "country_of_origin": "US",
        "harmonized_code": "6109.10",
        "supplier_products": [
            {
                "supplier_id": f"sup_{supplier + 1}",
                "supplier_name": SUPPLIERS[supplier],
                "external_id": f"SP-{rec.key:05d}",
                "unit_cost": f"{cost / 100:.2f}",  # the spec types it as a string
            }
        ],
        "external_system_url": f"https://wms.example.com/products/{rec.id}",
    }


def render_cart_product(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    parent = rec.key - rec.key % 3  # every third record is a parent, the next two its variants
    rng = ctx.rng(rec)
    by_warehouse = {} if parent == rec.key else {w: rng.randint(0, 200) for w in ctx.warehouses}
    price = 1500 + 10 * rec.key
    return {
        **_common(ctx, rec),
        "parent_product_id": f"cprod_{parent}",
        "name": f"Cart product {parent}"
        + ("" if parent == rec.key else f" / variant {rec.key % 3}"),
        "sku": _sku(ctx, rec.key),
        "is_kit": rec.key % 9 == 6,
        "active": rec.key % 10 != 9,
        "price": money(price),
        "unit_cost": money(price * 2 // 5),
        "inventory": sum(by_warehouse.values()) if by_warehouse else None,
        "inventory_by_warehouse_id": by_warehouse,
        "tags": ["bestseller"] if rec.key % 5 == 1 else [],
        "external_system_url": f"https://shop.example.com/products/{rec.id}",
    }


def render_warehouse(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    return {
        **_common(ctx, rec, tags=True),
        "name": f"Warehouse {rec.id}",
        "code": rec.id[-3:].upper(),
        "address": _site_address(ctx, rec.key),
    }


def render_cart_warehouse(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    return {
        **_common(ctx, rec, extra=False),
        "name": f"Store location {rec.key + 1}",
        "code": f"LOC{rec.key + 1}",
        "address": _site_address(ctx, rec.key),
    }


LOCATION_TYPES = ("pick", "pick", "bulk", "pallet", "pick", "receiving")


def render_location(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    d = rec.data or {}
    kind = LOCATION_TYPES[rec.key // max(1, len(ctx.warehouses)) % 6]
    return {
        **_common(ctx, rec),
        "warehouse_id": d["warehouse_id"],
        "name": f"{rec.key % 10}-{rec.key % 7:02d}-{rec.key % 3:02d}",
        "type": kind,
        "measurements": {
            "length": 48.0,
            "width": 40.0 if kind != "pick" else 24.0,
            "height": 60.0 if kind in ("bulk", "pallet") else 18.0,
            "unit": "in",
            "weight": 2000.0 if kind == "pallet" else 150.0,
            "weight_unit": "lb",
        },
    }


def render_shipping_method(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    """The connection's parcel methods: its customer's carrier's levels, then USPS's."""
    carrier = ctx.carrier if rec.key < len(LEVELS) else 2
    method = shipping_method(carrier, rec.key % len(LEVELS))
    return {
        **_common(ctx, rec),
        "name": method["shipping_method_name"],
        "carrier": method["carrier"],
        "carrier_id": method["carrier_id"],
        "carrier_name": method["carrier_name"],
        "scac": method["scac"],
    }


def render_warehouse_customer(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    return {
        **_common(ctx, rec),
        "name": f"Brand {rec.key + 1}",
        "email": f"ops+{rec.id}@brand.example.com",
    }


def render_named(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    """Order channels and inbound-shipment suppliers: a name and the brand they belong to."""
    return {
        **_common(ctx, rec),
        "name": (rec.data or {}).get("name", rec.id),
        "warehouse_customer_id": ctx.warehouse_customers[rec.key % len(ctx.warehouse_customers)],
    }


INBOUND_RECEIVED = ("receiving", "received")


def render_inbound(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    rng = ctx.rng(rec)
    supplier = rec.key % len(SUPPLIERS)
    lines = []
    for n in range(rng.randint(1, 3)):
        sku = _sku(ctx, rng.randrange(ctx.extra.get("n_items", 20)))
        expected = 50 * rng.randint(1, 4)
        received = (
            expected
            if rec.status == "received"
            else expected // 2
            if rec.status == "receiving"
            else 0
        )
        lines.append(
            {
                "inventory_item_id": _item_id(sku),
                "sku": sku,
                "expected_quantity": expected,
                "received_quantity": received,
                "unit_cost": money(rng.randint(200, 3000)),
                "external_id": f"POL-{rec.key:05d}-{n + 1}",
            }
        )
    receipts = []
    if rec.status in INBOUND_RECEIVED:
        receipts.append(
            {
                "id": f"rcpt_{rec.key}_1",
                "arrived_date": iso(rec.updated),
                "line_items": [
                    {
                        "inventory_item_id": li["inventory_item_id"],
                        "sku": li["sku"],
                        "quantity": li["received_quantity"],
                    }
                    for li in lines
                ],
            }
        )
    return {
        **_common(ctx, rec, tags=True),
        "warehouse_customer_id": ctx.warehouse_customers[rec.key % len(ctx.warehouse_customers)],
        "warehouse_id": ctx.warehouses[rec.key % len(ctx.warehouses)],
        "purchase_order_number": f"PO-{rec.key:05d}",
        "status": rec.status,
        "raw_status": (rec.status or "").upper().replace("-", "_"),
        "supplier": SUPPLIERS[supplier],
        "supplier_object": {
            "supplier_id": f"sup_{supplier + 1}",
            "supplier_name": SUPPLIERS[supplier],
        },
        "expected_arrival_date": iso(rec.created + 5 * 86400),
        "line_items": lines,
        "receipts": receipts,
        "ship_from_address": _site_address(ctx, 1000 + supplier),
        "tracking_numbers": [] if rec.status == "open" else [f"PRO{rec.key:08d}"],
        "notes": ["Deliver to dock 3"] if rec.key % 3 == 0 else [],
        "external_system_url": f"https://wms.example.com/inbound/{rec.id}",
    }


RETURN_REASONS = ("Did not fit", "Defective", "Changed mind")
CONDITIONS = (("new", "restock"), ("damaged", "dispose"), ("new", "restock"))


def render_return(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    sku = _sku(ctx, rec.key % ctx.extra.get("n_items", 20))
    warehouse = ctx.warehouses[rec.key % len(ctx.warehouses)]
    received = rec.status == "received"
    condition, disposition = CONDITIONS[rec.key % 3]
    shipped = rec.created + 86400
    method = shipping_method(ctx.carrier, 0)
    return {
        **_common(ctx, rec, tags=True),
        "warehouse_customer_id": ctx.warehouse_customers[rec.key % len(ctx.warehouse_customers)],
        "status": rec.status,
        "raw_status": (rec.status or "").upper(),
        "order_id": _order_id(ctx, rec.key * 13),
        "notes": ["Customer return label"] if rec.key % 2 == 0 else [],
        "line_items": [
            {
                "inventory_item_id": _item_id(sku),
                "sku": sku,
                "expected_quantity": 1,
                "received_quantity": 1 if received else 0,
                "restocked_quantity": (1 if disposition == "restock" else 0) if received else None,
                "return_reason": RETURN_REASONS[rec.key % 3],
                "quantity": 1,
                "warehouse_id": warehouse,
                "returned_date": iso(rec.updated) if received else None,
            }
        ],
        "shipments": [
            {
                "tracking_number": tracking_number(ctx, 10**7 + rec.key, 0),
                "shipped_date": iso(shipped),
                "arrived_date": iso(shipped + 2 * 86400) if received else None,
                "warehouse_id": warehouse,
                "carrier": method["carrier"],
                "carrier_id": method["carrier_id"],
                "carrier_name": method["carrier_name"],
                "scac": method["scac"],
                "shipping_cost": money(700 + rec.key * 37 % 800),
                "measurements": {**PACKAGE_MEASUREMENTS, "weight": 1.2},
                "line_items": [
                    {
                        "inventory_item_id": _item_id(sku),
                        "sku": sku,
                        "quantity": 1,
                        "receiving_details": [
                            {"quantity": 1, "condition": condition, "disposition": disposition}
                        ]
                        if received
                        else [],
                    }
                ],
            }
        ],
        "external_system_url": f"https://wms.example.com/returns/{rec.id}",
    }


class BillCharge(NamedTuple):
    """One charge of a 3PL's bill (`/wms/billing` is one row per charge)."""

    warehouse_customer: int
    charge_type: str
    cents: int
    object_id: str | None = None
    object_type: str | None = None


def render_bill(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    d: BillCharge = rec.data
    return {
        **_common(ctx, rec),
        "warehouse_customer_id": ctx.warehouse_customers[d.warehouse_customer],
        "object_id": d.object_id,
        "object_type": d.object_type,
        "charge_type": d.charge_type,
        "amount": money(d.cents),
        "currency_code": ctx.currency,
    }


class LedgerEntry(NamedTuple):
    item: str  # inventory item id
    warehouse: int
    delta: int
    event_type: str
    reason: str | None = None
    object_id: str | None = None
    object_type: str | None = None


RAW_EVENT_TYPES = {"inbound_receipt": "RCV", "adjustment": "ADJ", "order_shipment": "SHP"}


def render_ledger(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    d: LedgerEntry = rec.data
    return {
        **_common(ctx, rec),
        "entry_date": iso(rec.created),
        "inventory_item_id": d.item,
        "sku": d.item.removeprefix("inv_").upper(),
        "quantity": d.delta,
        "raw_event_type": RAW_EVENT_TYPES.get(d.event_type),
        "event_type": d.event_type,
        "reason": d.reason,
        "object_id": d.object_id,
        "object_type": d.object_type,
        "warehouse_id": ctx.warehouses[d.warehouse],
        "location_id": _location_id(ctx, d.warehouse, rec.key),
    }


class Activity(NamedTuple):
    """One worker's stretch of picking, packing or receiving."""

    warehouse: int
    user: int
    activity_type: str
    start: int
    end: int
    quantity: int
    object_id: str | None
    object_type: str | None


FIRST_NAMES = ("Ana", "Ben", "Chloe", "Dev", "Eli", "Fatima", "Goran", "Hana")
LAST_NAMES = ("Lopez", "Brown", "Nguyen", "Patel", "Okafor", "Kim", "Meyer", "Sato")


def render_labor(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    d: Activity = rec.data
    return {
        **_common(ctx, rec),
        "user_id": f"user_{d.warehouse + 1}_{d.user + 1}",
        "user_first_name": FIRST_NAMES[(d.warehouse * 3 + d.user) % 8],
        "user_last_name": LAST_NAMES[(d.warehouse * 5 + d.user) % 8],
        "warehouse_id": ctx.warehouses[d.warehouse],
        "activity_type": d.activity_type,
        "activity_start_time": iso(d.start),
        "activity_end_time": iso(d.end),
        "associated_object_type": d.object_type,
        "associated_object_id": d.object_id,
        "quantity": d.quantity,
    }


class FreightLeg(NamedTuple):
    method: str  # ocean, air, truck
    cents: int
    shipped: int
    transit: int  # seconds, as planned
    arrived: int | None = None


FREIGHT_RAW_STATUS = {
    "pre_transit": "Booked",
    "in_transit": "Departed",
    "arrival_port": "Arrived at port",
    "en_route_to_destination": "Out for delivery",
    "final_destination": "Delivered",
}


def render_freight(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    d: FreightLeg = rec.data
    status = rec.status or FREIGHT_FLOW[0]
    return {
        **_common(ctx, rec),
        "status": status,
        "raw_status": FREIGHT_RAW_STATUS[status],
        "shipment_method": d.method,
        "cost": money(d.cents),
        "shipment_date": iso(d.shipped) if status != "pre_transit" else None,
        "eta_date": iso(d.shipped + d.transit),
        "arrival_date": iso(d.arrived),
        "external_system_url": f"https://app.example-freight.com/shipments/{rec.id}",
    }


def render_invoice_line(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    d: Charge = rec.data
    gross, net = d.gross, d.net
    return {
        **_common(ctx, rec, tags=True, extra=False),
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


URL_VALID = 20 * 60  # presigned download URLs are valid 20 minutes from when they are served


def render_carrier_file(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    """A raw invoice file: no id and no Trackstar dates, keyed by name and generation time."""
    expires = max(ctx.now, rec.created) + URL_VALID
    return {
        "file_name": f"invoice_{rec.id}.csv",
        "generated_time": iso(rec.created),
        "file_type": "csv",
        "download_url": f"https://files.example.com/{rec.id}.csv?expires={expires}",
        "download_url_expires_at": iso(expires),
    }


ORDER_STATUSES = ("partially_fulfilled", "backordered", "exception", "cancelled", "other")
RETURN_STATUSES = (*INBOUND_FLOW, "cancelled", "other")
RESOURCES: tuple[Resource, ...] = (
    Resource(
        "wms_orders",
        "wms",
        "/wms/orders",
        "get_orders",
        None,
        render_page=render_wms_orders,
        statuses=(*WMS_ORDER_FLOW, *ORDER_STATUSES),
    ),
    Resource("wms_inventory", "wms", "/wms/inventory", "get_inventory", render_inventory),
    Resource("wms_products", "wms", "/wms/products", "get_products", render_wms_product),
    Resource(
        "wms_inbound_shipments",
        "wms",
        "/wms/inbound-shipments",
        "get_inbound_shipments",
        render_inbound,
        statuses=RETURN_STATUSES,
    ),
    Resource(
        "wms_returns", "wms", "/wms/returns", "get_returns", render_return, statuses=RETURN_STATUSES
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
        render_shipping_method,
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
        render_warehouse_customer,
    ),
    Resource(
        "wms_order_channels", "wms", "/wms/orders/channels", "get_order_channels", render_named
    ),
    Resource(
        "wms_inbound_shipment_suppliers",
        "wms",
        "/wms/inbound-shipments/suppliers",
        "get_inbound_shipment_suppliers",
        render_named,
    ),
    Resource(
        "wms_labor_activities", "wms", "/wms/labor-activities", "get_labor_activities", render_labor
    ),
    Resource(
        "cart_orders",
        "cart",
        "/cart/orders",
        "get_orders",
        render_cart_order,
        statuses=(*CART_ORDER_FLOW, *ORDER_STATUSES),
    ),
    Resource("cart_products", "cart", "/cart/products", "get_products", render_cart_product),
    Resource(
        "cart_warehouses", "cart", "/cart/warehouses", "get_warehouses", render_cart_warehouse
    ),
    Resource(
        "carrier_invoice_line_items",
        "carrier",
        "/carrier/invoice-line-items",
        "get_invoice_line_items",
        render_invoice_line,
    ),
    Resource("carrier_files", "carrier", "/carrier/files", "get_files", render_carrier_file),
    Resource(
        "freight_shipments",
        "freight",
        "/freight/shipments",
        "get_shipments",
        render_freight,
        statuses=FREIGHT_FLOW,
    ),
)

BY_NAME = {r.name: r for r in RESOURCES}
