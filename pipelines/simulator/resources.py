"""The one description of Trackstar's resources, used by the world (data) and the server (HTTP).

Each `Resource` says where it is served, which action name gates it in `available_actions`, and
how a record is rendered from its compact state. Records are NOT kept as JSON: the world keeps a
small `Rec` per record and `render` rebuilds the documented JSON from (seed, record, state) when
a page is served, so a million orders fit in memory.
"""

from __future__ import annotations

import functools
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

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


@functools.lru_cache(
    maxsize=1 << 14
)  # a record repeats its timestamps (created = trackstar_created, ...)
def iso(ts: int | None) -> str | None:
    """Trackstar's date format: ISO 8601 UTC with a Z."""
    if ts is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


@functools.lru_cache(maxsize=4096)
def _strhash(text: str) -> int:
    return zlib.crc32(text.encode())


M64 = (1 << 64) - 1


class Rng:
    """A small deterministic generator (splitmix64), cheap to seed from a few ints and strings.

    Rendering seeds one per record and salt, so seeding must cost far less than `random.Random`'s
    (a hash of ints is deterministic across processes; strings go through crc32).
    """

    __slots__ = ("s",)

    def __init__(self, *parts: int | str) -> None:
        self.s = hash(tuple(p if isinstance(p, int) else _strhash(p) for p in parts)) & M64

    @classmethod
    def of(cls, *ints: int) -> Rng:
        """The fast path of the hot loops: parts already ints."""
        rng = cls.__new__(cls)
        rng.s = hash(ints) & M64
        return rng

    def next(self) -> int:
        self.s = z = (self.s + 0x9E3779B97F4A7C15) & M64
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def random(self) -> float:
        return (self.next() >> 11) * (1.0 / (1 << 53))

    def chunks(self, count: int) -> list[int]:
        """`count` random 16-bit numbers from as few 64-bit draws as possible (the hot loops)."""
        out: list[int] = []
        while len(out) < count:
            z = self.next()
            out += (z & 0xFFFF, (z >> 16) & 0xFFFF, (z >> 32) & 0xFFFF, z >> 48)
        return out[:count]

    def randrange(self, n: int) -> int:
        return self.next() % n

    def randint(self, a: int, b: int) -> int:
        return a + self.next() % (b - a + 1)

    def choice(self, seq: Sequence[Any]) -> Any:
        return seq[self.next() % len(seq)]

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self.random()


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
    render: Callable[[Ctx, Rec], dict[str, Any]]
    statuses: tuple[str, ...] = ()
    parent_param: str | None = None  # e.g. warehouse_id: records filtered by this path param
    has_dates: bool = True  # lookup lists (channels, suppliers) carry no timestamps

    @property
    def single_path(self) -> str:
        return self.path + "/{id}"


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
        return Rng.of(self.seed, _strhash(self.connection_id), rec.key, _strhash(salt))


def _common(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    rng = ctx.rng(rec, "tags")
    tags: list[Any] = []
    if rng.random() < 0.5:
        tags.append(rng.choice(["high-priority", "gift", "fragile", "vip"]))
    if rng.random() < 0.3:
        tags.append(
            {
                rng.choice(["customer_type", "category", "segment"]): rng.choice(
                    ["premium", "fast-mover", "b2b"]
                )
            }
        )
    extra: dict[str, Any]
    if ctx.integration_name.startswith("cool"):
        extra = {"cool_reference": f"CR-{rec.key:07d}", "wave": rng.randint(1, 40)}
    elif ctx.integration_name.startswith("ship"):
        extra = {
            "notes": rng.choice(["Handle with care", "", "Leave at door"]),
            "priority": rng.randint(1, 3),
        }
    else:
        extra = {"source_channel_ref": f"S{rec.key}", "flags": {"gift_wrap": rng.random() < 0.1}}
    out = {
        "id": rec.id,
        "created_date": iso(rec.created),
        "updated_date": iso(rec.updated),
        "trackstar_created_date": iso(rec.tcreated),
        "trackstar_updated_date": iso(rec.tud),
        "trackstar_tags": tags,
        "additional_fields": extra,
    }
    if ctx.drift_new_field:
        out["sim_new_field"] = f"v{rec.version}"
    return out


def _address(rng: Rng, name_key: str = "name", zip_key: str = "zip_code") -> dict[str, Any]:
    """One of 1024 generated addresses (rendering picks; it does not generate per record)."""
    return dict(_address_pool(name_key, zip_key)[rng.next() & 1023])


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
    """One basket in every shape the renderers need (built once per connection, shared)."""

    wms: tuple[list[dict[str, Any]], list[dict[str, Any]]]  # (not picked, picked)
    package: list[dict[str, Any]]
    shipment: list[dict[str, Any]]
    cart: list[dict[str, Any]]
    cart_shipment: list[dict[str, Any]]
    total: int  # cents


def _order_lines(ctx: Ctx, rec: Rec) -> LineSet:
    """The order's basket: rendering picks one of the connection's baskets, it builds none."""
    sets = ctx.extra.setdefault("line_sets", {})
    n = Rng.of(ctx.seed, _strhash(ctx.connection_id), rec.key, _LINES).next() % LINE_SETS
    basket = sets.get(n)
    if basket is None:
        basket = sets[n] = _line_set(ctx, n)
    return basket


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
    return LineSet(
        wms=(lines, [{**li, "is_picked": True} for li in lines]),
        package=[
            {
                "inventory_item_id": f"inv_{li['sku'].lower()}",
                "sku": li["sku"],
                "quantity": li["quantity"],
                "lot_id": None,
                "expiration_date": None,
                "parent_product_id": None,
            }
            for li in lines
        ],
        shipment=[
            {
                "inventory_item_id": f"inv_{li['sku'].lower()}",
                "sku": li["sku"],
                "quantity": li["quantity"],
                "parent_product_id": None,
            }
            for li in lines
        ],
        cart=[
            {
                "product_id": li["product_id"].replace("prod_", "var_"),
                "sku": li["sku"],
                "quantity": li["quantity"],
                "unit_price": li["unit_price"],
                "discount_amount": li["discount_amount"],
            }
            for li in lines
        ],
        cart_shipment=[{"sku": li["sku"], "quantity": li["quantity"]} for li in lines],
        total=sum(round(li["unit_price"] * 100) * li["quantity"] for li in lines),
    )


_TRK, _PKG, _LINES = _strhash("trk"), _strhash("pkg"), _strhash("lines")


def tracking_number(ctx_or_conn: Ctx | str, key: int, n: int) -> str:
    """Deterministic, carrier-looking tracking numbers (shared by orders and invoices)."""
    conn = ctx_or_conn.connection_id if isinstance(ctx_or_conn, Ctx) else ctx_or_conn
    z = Rng.of(_TRK, _strhash(conn), key, n).next()
    return f"{CARRIERS[z % 3][3]}{z // 3 % 10**16:016d}"


def package_costs(conn: str, key: int) -> list[int]:
    """The shipping cost the WMS reports per package, in cents."""
    r = Rng.of(_PKG, _strhash(conn), key).chunks(3)
    return [
        600 + x % 1901 for x in r[1 : (3 if r[0] % 4 == 3 else 2)]
    ]  # one package, a quarter two


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


def render_wms_order(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    rng = ctx.rng(rec)
    d = rec.data or {}
    basket = _order_lines(ctx, rec)
    lines = basket.wms[rec.status in ("picked", "packed", "fulfilled")]
    shipments = []
    if d.get("shipped"):
        warehouse = ctx.warehouses[rec.key % len(ctx.warehouses)]
        packages = []
        for n, cost in enumerate(package_costs(ctx.connection_id, rec.key)):
            trk = tracking_number(ctx, rec.key, n)
            packages.append(
                {
                    **PACKAGE_BY_CARRIER[rng.randrange(3)],
                    "package_id": f"pkg_{rec.key}_{n}",
                    "tracking_number": trk,
                    "tracking_url": f"https://track.example.com/{trk}",
                    "shipping_cost": (str(money(cost)) if ctx.drift_type_change else money(cost)),
                    "measurements": {
                        "length": 12.0,
                        "width": 9.0,
                        "height": 4.0,
                        "unit": "in",
                        "weight": rng.randint(3, 200) / 10,
                        "weight_unit": "lb",
                    },
                    "line_items": basket.package,
                }
            )
        shipments.append(
            {
                "shipment_id": f"shp_{rec.key}",
                "warehouse_id": warehouse,
                "shipped_date": iso(d["shipped"]),
                "raw_status": "shipped",
                "status": "shipped",
                "shipping_method": packages[0]["shipping_method"],
                "line_items": basket.shipment,
                "ship_to_address": _address(ctx.rng(rec, "addr"), "full_name", "postal_code"),
                "ship_from_address": SHIP_FROM,
                "packages": packages,
            }
        )
    total = basket.total
    raw_status = (
        "custom_hold"
        if rec.status == "other"
        else {"fulfilled": "shipped"}.get(rec.status, rec.status)
    )
    return {
        **_common(ctx, rec),
        **WMS_ORDER_CONSTANTS,
        "warehouse_customer_id": ctx.warehouse_customers[rec.key % len(ctx.warehouse_customers)],
        "warehouse_id": ctx.warehouses[rec.key % len(ctx.warehouses)],
        "reference_id": f"ref_{rec.key}",
        "order_number": f"ORD-{rec.key:07d}",
        "status": rec.status,
        "raw_status": raw_status,
        "channel": rng.choice(["shopify", "amazon", "wholesale"]),
        "type": rng.choice(["d2c", "d2c", "b2b"]),
        "total_price": money(total),
        "total_tax": money(total * 8 // 100),
        "total_shipping": money(rng.choice([0, 499, 599, 999])),
        "ship_to_address": {
            **_address(ctx.rng(rec, "addr")),
            "phone_number": "+15555550100",
            "email": f"c{rec.key}@example.com",
        },
        "line_items": lines,
        "tags": ["rush_order"] if rng.random() < 0.1 else [],
        "required_ship_date": iso(rec.created + 2 * 86400),
        "signature_required": rng.random() < 0.05,
        "shipments": shipments,
        "external_system_url": f"https://wms.example.com/orders/{rec.id}",
    }


def render_cart_order(ctx: Ctx, rec: Rec) -> dict[str, Any]:
    rng = ctx.rng(rec)
    d = rec.data or {}
    basket = _order_lines(ctx, rec)
    lines = basket.cart
    shipments = []
    if d.get("shipped"):
        for n, _cost in enumerate(package_costs(ctx.connection_id, rec.key)):
            trk = tracking_number(ctx, rec.key, n)
            shipments.append(
                {
                    "shipment_id": f"cshp_{rec.key}_{n}",
                    "shipped_date": iso(d["shipped"]),
                    "tracking_number": trk,
                    "tracking_url": f"https://track.example.com/{trk}",
                    "carrier": CARRIERS[rng.randrange(3)][1],
                    "line_items": basket.cart_shipment,
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
        render_wms_order,
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
