"""The simulated organisation: connections, records, a clock that moves, and the ground truth.

Everything is a deterministic function of the seed. Records are kept as compact `Rec`s in one
`Store` per (connection, resource); a store's change log is append-only and ordered by
`trackstar_updated_date` because the clock only moves forward, so `trackstar_updated_date[gte]`
is a bisect and a changed record is simply appended again (its old entry goes stale).
"""

from __future__ import annotations

import bisect
import dataclasses
import gc
import hashlib
import heapq
import operator
import random
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import orjson
import pendulum

from pipelines.simulator.render import Rng, below, columns, iso, strhash
from pipelines.simulator.resources import (
    _PKG,
    _TRK,
    BY_NAME,
    CART_ORDER_FLOW,
    CHANNEL_NAMES,
    FEDEX_CHARGES,
    FREIGHT_FLOW,
    INBOUND_FLOW,
    LEVELS,
    PACKED_OR_LATER,
    RESOURCES,
    SUPPLIERS,
    TRACKING_PREFIXES,
    UPS_CHARGES,
    WMS_ORDER_FLOW,
    Activity,
    BillCharge,
    Charge,
    Ctx,
    FreightLeg,
    LedgerEntry,
    OrderState,
    Rec,
    Resource,
    _package_costs,
    _tracking_number,
    package_costs,
    shipping_method,
    tracking_number,
)

START = pendulum.datetime(2026, 11, 1, tz="UTC")
HOUR = 3600
_PLAN, _BILL, _CHARGES = strhash("plan"), strhash("bill"), strhash("charges")
DAY = 86400


Shipping = tuple[Sequence[int], list[int], list[str]]  # billing draws, package costs, tracking
BATCH = 4096  # orders (or invoices) whose random streams the history build draws at once
BILLED = below(0.85)


def _plan(z0: int, z1: int, created: int, flow: tuple[str, ...]) -> list[tuple[int, str]]:
    """The status path of an order created at `created`, from the first two draws of its plan
    stream (read as `Rng.chunks(len(flow) + 1)`: 16-bit numbers, four per draw)."""
    chunks = [(z >> shift) & 0xFFFF for z in (z0, z1) for shift in (0, 16, 32, 48)]
    cancel, cancel_step, *delays = chunks[: len(flow) + 1]
    plan = [(created, "open")]
    t = created
    cancel_at = 1 + cancel_step % 3 if cancel % 100 < 7 else None
    for step, status in enumerate(flow[1:], start=1):
        t += 40 * 60 + delays[step - 1] % (7 * HOUR - 40 * 60 + 1)
        if cancel_at == step:
            plan.append((t, "cancelled"))
            return plan
        plan.append((t, status))
    return plan


class Store:
    """The records of one resource of one connection, with an append-only change log.

    A log entry is live when its record's `pos` still points at it; re-logging a changed record
    leaves its older entry stale (and its position in `stale`, so counting is a bisect too).
    """

    def __init__(self) -> None:
        self.recs: dict[str, Rec] = {}
        self.log_ts: list[int] = []
        self.log: list[Rec] = []
        self.stale: list[int] = []  # sorted log positions of stale entries
        self.gone: dict[str, Rec] = {}  # records deleted from Trackstar's copy (restorable)

    @property
    def count(self) -> int:
        """Records ever created (deleted ones too): the next record's key, so ids never repeat."""
        return len(self.recs) + len(self.gone)

    def put(self, rec: Rec) -> None:
        """Insert or re-log a record; after the initial build its `tud` is the newest."""
        self.recs[rec.id] = rec
        if rec.pos >= 0:
            bisect.insort(self.stale, rec.pos)
        rec.pos = len(self.log)
        self.log_ts.append(rec.tud)
        self.log.append(rec)

    def reindex(self) -> None:
        """Order the log by (trackstar_updated_date, id) once the history is built."""
        self.log = sorted(self.recs.values(), key=lambda r: (r.tud, r.id))
        self.log_ts = [r.tud for r in self.log]
        self.stale = []
        for i, rec in enumerate(self.log):
            rec.pos = i

    def remove(self, rid: str) -> None:
        """Take a record out of the listing (Trackstar no longer has it); its log entry goes stale."""
        rec = self.gone[rid] = self.recs.pop(rid)
        bisect.insort(self.stale, rec.pos)
        rec.pos = -1

    def scan(self, start: int = 0) -> Iterator[tuple[int, Rec]]:
        """Live records from log position `start`, in trackstar_updated_date order."""
        log = self.log
        for pos in range(start, len(log)):
            rec = log[pos]
            if rec.pos == pos:
                yield pos, rec

    def count_live(self, start: int = 0) -> int:
        """Live entries from log position `start`: all of them but the stale ones."""
        return len(self.log) - start - (len(self.stale) - bisect.bisect_left(self.stale, start))

    def position(self, ts: int, inclusive: bool = True) -> int:
        return (bisect.bisect_left if inclusive else bisect.bisect_right)(self.log_ts, ts)


@dataclass
class Connection:
    connection_id: str
    access_token: str
    customer_id: str | None
    integration_name: str
    integration_display_name: str
    integration_type: str
    created_at: int
    unsupported: dict[str, int]  # action -> 501 (not implemented) or 403 (not enabled)
    sync_done_at: dict[str, int]  # action -> when its historical sync completes
    ctx: Ctx
    stores: dict[str, Store] = field(default_factory=dict)
    last_used: int | None = None
    times_used: int = 0  # data requests served with its token
    packs_unsupported: bool = False  # its WMS answers 501 to GET /wms/orders/{id}/packs
    removed: bool = False  # gone from GET /connections (its token answers 401) until restored

    def resources(self) -> list[Resource]:
        return [r for r in RESOURCES if r.vertical == self.integration_type]

    def actions(self) -> list[str]:
        return sorted({r.action for r in self.resources()} - set(self.unsupported))

    def sync_completed(self, action: str, now: int) -> bool:
        return self.sync_done_at.get(action, 0) <= now


def _token(seed: int, name: str, n: int = 32) -> str:
    return hashlib.sha256(f"{seed}:{name}".encode()).hexdigest()[:n]


# The default organisation: two customers, each with a WMS, a cart and a carrier connection
# (the customer's parcel carrier: its orders ship with it and it bills them); acme also has a
# freight forwarder. Globex's cart sells in CAD; its WMS lacks some endpoints (and packs).
ORG = (
    # customer, (wms integration, display, warehouses, warehouse customers, unsupported),
    # (cart, display, currency), (carrier, display, index into CARRIERS), freight or None
    (
        "cust_acme",
        ("shipfast", "ShipFast 3PL", 3, 3, {}),
        ("shopify", "Shopify", "USD"),
        ("ups", "UPS", 0),
        ("flexport", "Flexport"),
    ),
    (
        "cust_globex",
        (
            "cool_wms",
            "Cool WMS",
            2,
            1,
            {
                "get_returns": 501,
                "get_bills": 403,
                "get_inventory_ledger": 403,
                "get_labor_activities": 501,
            },
        ),
        ("bigcommerce", "BigCommerce", "CAD"),
        ("fedex", "FedEx", 1),
        None,
    ),
)


def generated_org(customers: int) -> tuple[tuple[Any, ...], ...]:
    """An organisation of `customers` customers shaped like ORG's: each with its own 3PL WMS
    (every endpoint supported), cart and parcel carrier (UPS and FedEx in turn), no freight.

    For load tests of many connections (one access token per connection).
    """
    if customers < 1:
        raise ValueError(f"customers must be at least 1, got {customers}")
    carriers = (("ups", "UPS", 0), ("fedex", "FedEx", 1))
    return tuple(
        (
            f"cust_{n + 1:03d}",
            ("shipfast", "ShipFast 3PL", 2, 2, {}),
            ("shopify", "Shopify", "USD"),
            carriers[n % 2],
            None,
        )
        for n in range(customers)
    )


FREIGHT_METHODS = (("ocean", 20, 30, 180000), ("air", 3, 6, 90000), ("truck", 2, 5, 45000))


class World:
    """The organisation and its data at simulated time `now` (epoch seconds)."""

    def __init__(
        self,
        seed: int = 7,
        wms_orders: int | None = None,
        cart_orders_per_connection: int = 300,
        items_per_wms: int = 24,
        history_days: int = 30,
        start: pendulum.DateTime = START,
        customers: int | None = None,
    ) -> None:
        """`customers`: None for the default organisation (ORG); a number for a generated one
        (`generated_org`) whose WMS orders are split evenly between its customers."""
        self.seed = seed
        self.now = int(start.timestamp())
        self.start = self.now
        self.history_days = history_days
        self.lock = threading.RLock()
        self.rng = random.Random(f"world:{seed}")
        self.api_key = "sim_" + _token(seed, "api-key", 24)
        self.connections: list[Connection] = []
        self.events: list[tuple[int, int, str, int, str]] = []  # (time, seq, kind, conn, id)
        self._seq = 0
        self._carriers: dict[str | None, Connection] = {}
        self._invoices: dict[tuple[str, int], str] = {}
        # status changes after the build, and the whole path of orders created after it; a history
        # order's path up to the start is its plan (see `Truth.status_history`)
        self.status_history: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
        self.history_orders: dict[
            str, int
        ] = {}  # connection -> orders built as history (keys below)
        self.inventory_versions: dict[
            tuple[str, str], list[tuple[int, dict[str, dict[str, int]]]]
        ] = {}
        self._backlog: list[tuple[int, str, Connection]] | None = []  # invoices due in the past
        # (connection, resource, record id, when, deleted?) for every deletion and return
        self.deletions: list[tuple[str, str, str, int, bool]] = []
        total_wms = 3000 if wms_orders is None else wms_orders
        # millions of small records and no cycles: the cyclic GC would rescan them again and again
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            org = ORG if customers is None else generated_org(customers)
            self._build_org(org, total_wms, cart_orders_per_connection, items_per_wms)
            backlog = sorted(self._backlog, key=operator.itemgetter(0, 1))
            self._backlog = None
            for at in range(0, len(backlog), BATCH):  # each invoice's draws, a batch at once
                batch = backlog[at : at + BATCH]
                seeds = [(self.seed, _CHARGES, zlib.crc32(key.encode())) for _, key, _ in batch]
                for (when, due_key, carrier), draws in zip(
                    batch, zip(*columns(seeds, 6), strict=True), strict=True
                ):
                    self._invoice(carrier, due_key, when, draws)
            for conn in self.connections:
                for store in conn.stores.values():
                    store.reindex()
        finally:
            if gc_was_enabled:
                gc.enable()
        gc.freeze()  # the history lives as long as the world: later collections need not rescan it

    # ------------------------------------------------------------------ organisation and history

    def _connection(
        self,
        customer: str,
        vertical: str,
        name: str,
        display: str,
        warehouses: list[str],
        wcs: list[str],
        unsupported: dict[str, int],
        carrier: int = 0,
        currency: str = "USD",
    ) -> Connection:
        cid = f"conn_{_token(self.seed, f'{customer}:{vertical}', 12)}"
        ctx = Ctx(self.seed, cid, name, warehouses, wcs, carrier=carrier, currency=currency)
        conn = Connection(
            connection_id=cid,
            access_token="tok_" + _token(self.seed, f"token:{cid}", 40),
            customer_id=customer,
            integration_name=name,
            integration_display_name=display,
            integration_type=vertical,
            created_at=self.now - (self.history_days + 5) * DAY,
            unsupported=unsupported,
            sync_done_at={},
            ctx=ctx,
        )
        for resource in conn.resources():
            conn.stores[resource.name] = Store()
        if vertical != "carrier":  # used before (from Trackstar's dashboard); carriers never
            conn.last_used = self.now - 2 * DAY
        self.connections.append(conn)
        return conn

    def _build_org(
        self, org: tuple[tuple[Any, ...], ...], total_wms: int, cart_orders: int, items: int
    ) -> None:
        if org is ORG:
            orders = [int(total_wms * weight) for weight in (0.7, 0.3)]
        else:  # evenly, the remainder to the first customers
            orders = [total_wms // len(org) + (n < total_wms % len(org)) for n in range(len(org))]
        for n, (customer, wms, cart, carrier, freight) in enumerate(org):
            name, display, n_wh, n_wc, unsupported = wms
            ship_with = carrier[2]
            warehouses = [f"wh_{customer[5:]}_{i + 1}" for i in range(n_wh)]
            wcs = [f"wc_{customer[5:]}_{i + 1}" for i in range(n_wc)]
            w = self._connection(
                customer, "wms", name, display, warehouses, wcs, unsupported, ship_with
            )
            w.ctx.extra["n_items"] = items
            w.packs_unsupported = "get_returns" in unsupported  # the WMS with gaps has no packs
            c = self._connection(
                customer,
                "cart",
                cart[0],
                cart[1],
                [f"cw_{customer[5:]}_1"],
                ["shop"],
                {},
                ship_with,
                cart[2],
            )
            c.ctx.extra["n_items"] = items
            k = self._connection(
                customer, "carrier", carrier[0], carrier[1], [], ["acct"], {}, ship_with
            )
            k.ctx.extra["account"] = f"ACCT{_token(self.seed, customer, 6).upper()}"
            self._build_wms(w, orders[n], items)
            self._build_cart(c, cart_orders, items)
            if freight:
                f = self._connection(customer, "freight", freight[0], freight[1], [], [], {})
                self._build_freight(f)
        if org is not ORG:
            return
        # one resource's historical sync is still running at the start: it completes a day later
        late = next(
            c
            for c in self.connections
            if c.customer_id == "cust_globex" and c.integration_type == "cart"
        )
        late.sync_done_at["get_products"] = self.now + DAY

    def _new_rec(
        self,
        store: Store,
        rid: str,
        key: int,
        created: int,
        status: str | None = None,
        data: dict[str, Any] | None = None,
        tcreated: int | None = None,
    ) -> Rec:
        tcreated = created if tcreated is None else tcreated
        rec = Rec(rid, key, created, created, tcreated, tcreated, status, 0, data)
        if self._backlog is None:
            store.put(rec)
        else:  # building the history: `reindex` orders the change log once at the end
            store.recs[rid] = rec
        return rec

    def _build_wms(self, conn: Connection, n_orders: int, n_items: int) -> None:
        ctx = conn.ctx
        for i, wid in enumerate(ctx.warehouses):
            self._new_rec(conn.stores["wms_warehouses"], wid, i, conn.created_at)
        locations = conn.stores["wms_warehouse_locations"]
        for i in range(len(ctx.warehouses) * 6):
            wid = ctx.warehouses[i % len(ctx.warehouses)]
            self._new_rec(
                locations, f"loc_{wid}_{i}", i, conn.created_at + i, data={"warehouse_id": wid}
            )
        for wc_i, wc in enumerate(ctx.warehouse_customers):
            self._new_rec(conn.stores["wms_warehouse_customers"], wc, wc_i, conn.created_at)
        methods = [(ctx.carrier, level) for level in range(len(LEVELS))]
        methods += [(2, level) for level in range(len(LEVELS))]  # USPS too, for light parcels
        for i, (carrier, level) in enumerate(methods):
            method_id = shipping_method(carrier, level)["shipping_method_id"]
            self._new_rec(conn.stores["wms_shipping_methods"], method_id, i, conn.created_at + i)
        named = (
            ("wms_order_channels", "chan", CHANNEL_NAMES),
            ("wms_inbound_shipment_suppliers", "sup", SUPPLIERS),
        )
        for resource, prefix, names in named:
            for i, name in enumerate(names):
                rid = f"{prefix}_{i + 1}"
                self._new_rec(
                    conn.stores[resource], rid, i, conn.created_at + i, data={"name": name}
                )
        for i in range(n_items):  # the ids order line items refer to
            self._new_rec(
                conn.stores["wms_products"],
                f"prod_{conn.connection_id[-4:]}_{i:04d}",
                i,
                conn.created_at + i,
            )
        rng = random.Random(f"inv:{self.seed}:{conn.connection_id}")
        inv = conn.stores["wms_inventory"]
        for i in range(n_items):
            levels = {w: self._levels(rng) for w in ctx.warehouses}
            sku = f"SKU-{conn.connection_id[-4:].upper()}-{i:04d}"
            rec = self._new_rec(
                inv, f"inv_{sku.lower()}", i, conn.created_at, data={"levels": levels}
            )
            self.inventory_versions[(conn.connection_id, rec.id)] = [(rec.tud, _copy(levels))]
            for w_i, wid in enumerate(ctx.warehouses):  # the opening stock, received
                self._ledger(
                    conn,
                    LedgerEntry(
                        rec.id,
                        w_i,
                        levels[wid]["onhand"],
                        "inbound_receipt",
                        "opening stock",
                        "asn_1",
                        "inbound_shipment",
                    ),
                    conn.created_at,
                )
        for i in range(max(4, n_orders // 100)):
            created = self.now - rng.randint(1, self.history_days) * DAY
            self._new_rec(
                conn.stores["wms_inbound_shipments"],
                f"asn_{i + 1}",
                i,
                created,
                status=INBOUND_FLOW[-1] if created < self.now - 7 * DAY else "open",
            )
        if "get_returns" not in conn.unsupported:
            for i in range(max(3, n_orders // 200)):
                self._new_rec(
                    conn.stores["wms_returns"],
                    f"rma_{i + 1}",
                    i,
                    self.now - rng.randint(1, self.history_days) * DAY,
                    status="received",
                )
        self._build_orders(conn, "wms_orders", n_orders, WMS_ORDER_FLOW)
        first_day = self.now // DAY - self.history_days
        for day in range(first_day, self.now // DAY):
            self._bill_day(conn, day)
        for hour in range(first_day * 24, self.now // HOUR):
            self._labor_hour(conn, hour)

    def _ledger(self, conn: Connection, entry: LedgerEntry, at: int) -> None:
        if "get_inventory_ledger" in conn.unsupported:
            return
        ledger = conn.stores["wms_inventory_ledger"]
        n = ledger.count
        self._new_rec(ledger, f"led_{conn.connection_id[-4:]}_{n + 1}", n, at, data=entry)

    def _bill_day(self, conn: Connection, day: int, seen: int | None = None) -> None:
        """The 3PL's charges for one day, one row each: fulfillment per brand, weekly storage.

        `seen`: when Trackstar picks them up (after the build: the event's time, never earlier
        than the clock, so the change log stays ordered).
        """
        if "get_bills" in conn.unsupported:
            return
        store = conn.stores["wms_bills"]
        rng = Rng("bill", self.seed, conn.connection_id, day)
        at = (day + 1) * DAY - 60  # posted at the end of the day
        for wc in range(len(conn.ctx.warehouse_customers)):
            charges = [BillCharge(wc, "fulfillment", 275 * rng.randint(20, 120))]
            if day % 7 == 6:
                charges.append(BillCharge(wc, "storage", 15000 + 500 * rng.randint(0, 40)))
            if rng.random() < 0.3:
                asn = f"asn_{1 + rng.randrange(4)}"
                charges.append(
                    BillCharge(
                        wc, "receiving", 4500 + 100 * rng.randint(0, 30), asn, "inbound_shipment"
                    )
                )
            for charge in charges:
                n = store.count
                rid = f"chg_{conn.connection_id[-4:]}_{n + 1}"
                self._new_rec(store, rid, n, at, data=charge, tcreated=seen)

    def _labor_hour(self, conn: Connection, hour: int, seen: int | None = None) -> None:
        """One hour of picking and packing per warehouse, logged when each stretch ends."""
        if "get_labor_activities" in conn.unsupported:
            return
        store = conn.stores["wms_labor_activities"]
        rng = Rng("labor", self.seed, conn.connection_id, hour)
        start = hour * HOUR
        n_orders = max(1, self.history_orders.get(conn.connection_id, 1))
        for w in range(len(conn.ctx.warehouses)):
            for user, kind in enumerate(("pick", "pick", "pack")):
                begin = start + rng.randint(0, 10 * 60)
                end = begin + rng.randint(20 * 60, 49 * 60)
                order = f"ord_{conn.connection_id[-4:]}_{rng.randrange(n_orders):07d}"
                activity = Activity(w, user, kind, begin, end, rng.randint(5, 60), order, "order")
                n = store.count
                rid = f"lab_{conn.connection_id[-4:]}_{n + 1}"
                self._new_rec(store, rid, n, end, data=activity, tcreated=seen)
            if rng.random() < 0.1:
                begin = start + rng.randint(0, 20 * 60)
                end = begin + rng.randint(15 * 60, 39 * 60)
                asn = f"asn_{1 + rng.randrange(4)}"
                activity = Activity(
                    w, 3, "receive", begin, end, 50 * rng.randint(1, 4), asn, "inbound_shipment"
                )
                n = store.count
                rid = f"lab_{conn.connection_id[-4:]}_{n + 1}"
                self._new_rec(store, rid, n, end, data=activity, tcreated=seen)

    def _build_freight(self, conn: Connection) -> None:
        """Inbound containers, flights and trucks from the brand's suppliers."""
        span = self.history_days * DAY
        for i in range(24):
            self._freight_shipment(conn, self.now - span + i * span // 24 + 3 * HOUR)

    def _freight_shipment(self, conn: Connection, created: int) -> None:
        store = conn.stores["freight_shipments"]
        key = store.count
        rng = Rng("freight", self.seed, conn.connection_id, key)
        method, low, high, base = FREIGHT_METHODS[rng.randrange(3)]
        leg = FreightLeg(
            method,
            base + 100 * rng.randint(0, 900),
            created + rng.randint(1, 3) * DAY,
            rng.randint(low, high) * DAY,
        )
        plan = self._freight_plan(created, leg)
        step = sum(1 for at in plan if at <= self.now) - 1 if self._backlog is not None else 0
        rec = self._new_rec(
            store, f"fs_{key + 1:05d}", key, created, status=FREIGHT_FLOW[step], data=leg
        )
        if step == len(FREIGHT_FLOW) - 1:
            rec.data = leg._replace(arrived=plan[-1])
        if step > 0:
            rec.updated = rec.tud = plan[step]
        if step + 1 < len(plan):
            self._schedule(plan[step + 1], "freight", conn, rec.id)

    @staticmethod
    def _freight_plan(created: int, leg: FreightLeg) -> list[int]:
        """When each status of FREIGHT_FLOW is reached."""
        s, t = leg.shipped, leg.transit
        return [created, s, s + t * 7 // 10, s + t * 9 // 10, s + t]

    def _build_cart(self, conn: Connection, n_orders: int, n_items: int) -> None:
        for i, wid in enumerate(conn.ctx.warehouses):
            self._new_rec(conn.stores["cart_warehouses"], wid, i, conn.created_at)
        for i in range(n_items * 3 // 2):
            self._new_rec(conn.stores["cart_products"], f"cprod_{i}", i, conn.created_at + i)
        self._build_orders(conn, "cart_orders", n_orders, CART_ORDER_FLOW)

    @staticmethod
    def _levels(rng: random.Random) -> dict[str, int]:
        onhand = rng.randint(0, 500)
        committed = rng.randint(0, onhand // 3)
        unfulfillable = rng.randint(0, 5)
        unsellable = rng.randint(0, 3)
        return {
            "onhand": onhand,
            "committed": committed,
            "unfulfillable": unfulfillable,
            "fulfillable": max(0, onhand - committed - unfulfillable),
            "unsellable": unsellable,
            "sellable": max(0, onhand - unsellable),
            "awaiting": rng.choice([0, 0, 50, 100]),
        }

    def _plan(
        self, conn: Connection, key: int, created: int, flow: tuple[str, ...]
    ) -> list[tuple[int, str]]:
        """The status path an order will follow, as (time, status); a function of its key."""
        rng = Rng.of(self.seed, _PLAN, strhash(conn.connection_id), key)
        return _plan(rng.next(), rng.next(), created, flow)

    def _build_orders(self, conn: Connection, resource: str, n: int, flow: tuple[str, ...]) -> None:
        """The order history, a batch of orders at a time: their streams are drawn together."""
        store = conn.stores[resource]
        span = self.history_days * DAY
        rng = random.Random(f"orders:{self.seed}:{conn.connection_id}")
        created = sorted(self.now - rng.randint(HOUR, span) for _ in range(n))
        self.history_orders[conn.connection_id] = n
        h, prefix = strhash(conn.connection_id), f"ord_{conn.connection_id[-4:]}_"
        for first in range(0, n, BATCH):
            keys = range(first, min(n, first + BATCH))
            draws = columns([(self.seed, _PLAN, h, key) for key in keys], 2)
            plans = [_plan(*z, created[key], flow) for key, *z in zip(keys, *draws, strict=True)]
            done = [[p for p in plan if p[0] <= self.now] for plan in plans]
            shipping = self._shipping(
                conn, [key for key, d in zip(keys, done, strict=True) if d[-1][1] == "fulfilled"]
            )
            for key, plan, past in zip(keys, plans, done, strict=True):
                ts, (at, status), step = created[key], past[-1], len(past) - 1
                rec = Rec(f"{prefix}{key:07d}", key, ts, at, ts, at, status, step, OrderState(step))
                if status == "fulfilled":
                    self._ship(conn, rec, at, shipping[key])
                store.recs[rec.id] = rec  # the change log is ordered once the history is built
                if len(past) < len(plan):
                    self._schedule(plan[len(past)][0], "order", conn, rec.id)

    # ------------------------------------------------------------------ events and evolution

    def _schedule(self, at: int, kind: str, conn: Connection, rid: str) -> None:
        self._seq += 1
        heapq.heappush(self.events, (at, self._seq, kind, self.connections.index(conn), rid))

    def _ship(self, conn: Connection, rec: Rec, at: int, shipping: Shipping | None = None) -> None:
        """Shipments and packages appear; the carrier bills them days later (mostly)."""
        rec.data = rec.data._replace(shipped=at)
        bill, costs, tracking = shipping or self._shipping(conn, [rec.key])[rec.key]
        draws = iter(bill)  # read as `Rng.random() < 0.85`, then `randint(2 days, 6 days)`
        for n, (cost, trk) in enumerate(zip(costs, tracking, strict=True)):
            if next(draws) >> 11 < BILLED:  # some shipped orders are never (or not yet) billed
                when = at + 2 * DAY + next(draws) % (4 * DAY + 1)
                self._charges_due(conn.customer_id, trk, cost, when, f"{rec.key}:{n}")

    def _shipping(self, conn: Connection, keys: list[int]) -> dict[int, Shipping]:
        """Orders' billing draws, package costs and tracking numbers, their streams drawn at once."""
        h = strhash(conn.connection_id)
        bills = zip(*columns([(self.seed, _BILL, h, key) for key in keys], 4), strict=True)
        costs = list(map(_package_costs, columns([(_PKG, h, key) for key in keys], 1)[0]))
        trk_seeds = [
            (_TRK, h, key, n) for key, c in zip(keys, costs, strict=True) for n in range(len(c))
        ]
        carrier = conn.ctx.carrier
        tracking = iter([_tracking_number(z, carrier) for z in columns(trk_seeds, 1)[0]])
        return {
            key: (bill, cost, [next(tracking) for _ in cost])
            for key, bill, cost in zip(keys, bills, costs, strict=True)
        }

    def _charges_due(self, customer: str | None, trk: str, cost: int, when: int, salt: str) -> None:
        carrier = self._carriers.get(customer)
        if carrier is None:
            carrier = self._carriers[customer] = next(
                c
                for c in self.connections
                if c.integration_type == "carrier" and c.customer_id == customer
            )
        carrier.ctx.extra.setdefault("due", {})[f"{trk}|{salt}"] = (trk, cost)
        if self._backlog is not None and when <= self.now:
            self._backlog.append((when, f"{trk}|{salt}", carrier))
        else:
            self._schedule(when, "invoice", carrier, f"{trk}|{salt}")

    def _invoice(
        self, carrier: Connection, due_key: str, at: int, draws: Sequence[int] | None = None
    ) -> None:
        """2 to 5 charges for one tracking number, shaped after the carrier's invoice CSV.

        `draws`: the first 6 draws of the invoice's stream, when a batch drew them already.
        """
        trk, cost = carrier.ctx.extra["due"].pop(due_key)
        if draws is None:
            rng = Rng.of(self.seed, _CHARGES, zlib.crc32(due_key.encode()))
            draws = [rng.next() for _ in range(6)]
        store = carrier.stores["carrier_invoice_line_items"]
        names = UPS_CHARGES if carrier.integration_name == "ups" else FEDEX_CHARGES
        invoice = self._invoices.get(
            (carrier.integration_name, at // DAY)
        )  # one string per invoice
        if invoice is None:
            invoice = (
                f"INV-{carrier.integration_name.upper()}-{time.strftime('%Y%m%d', time.gmtime(at))}"
            )
            self._invoices[(carrier.integration_name, at // DAY)] = invoice
        account, recs = carrier.ctx.extra["account"], store.recs
        for i in range(2 + draws[0] % 4):
            z = draws[1 + i]  # one 64-bit draw per charge, sliced: id, extra charge, discount, date
            gross = cost if i == 0 else 100 + (z >> 8) % 801
            net = gross - (z >> 20) % (gross // 10 + 1)
            rid = f"li_{z:016x}"
            if rid not in recs:
                self._new_rec(
                    store,
                    rid,
                    store.count,
                    at,
                    data=Charge(
                        at - (z >> 36) % (DAY + 1),
                        account,
                        invoice,
                        trk,
                        names[i % len(names)],
                        gross,
                        net,
                    ),
                )
        files = carrier.stores["carrier_files"]
        if invoice not in files.recs:
            self._new_rec(files, invoice, files.count, at, data={"invoice": invoice})

    def _touch(
        self, conn: Connection, resource: str, rec: Rec, at: int, source_time: int | None = None
    ) -> None:
        rec.tud = at
        rec.updated = at if source_time is None else source_time
        rec.version += 1
        conn.stores[resource].put(rec)

    def advance(self, seconds: int) -> int:
        """Move the clock; every change happens at a time inside (old now, new now]."""
        if seconds <= 0:
            raise ValueError("the clock only moves forward")
        with self.lock:
            end = self.now + seconds
            hour_start = self.now
            while hour_start < end:
                hour_end = min(end, hour_start + HOUR)
                self._hour(hour_start, hour_end)
                hour_start = hour_end
            self.now = end
            return self.now

    def _hour(self, t0: int, t1: int) -> None:
        """One step of at most an hour: arrivals, transitions, inventory, late surfacing."""
        rng = random.Random(f"hour:{self.seed}:{t0}:{t1}")
        changes: list[tuple[int, int, str, Connection, str]] = []  # (at, seq, kind, conn, arg)
        while self.events and self.events[0][0] <= t1:
            at, seq, kind, ci, rid = heapq.heappop(self.events)
            changes.append((max(at, t0 + 1), seq, kind, self.connections[ci], rid))
        seq = 10**12
        for conn in self.connections:
            if conn.integration_type in ("wms", "cart"):
                resource = f"{conn.integration_type}_orders"
                n_hist = conn.stores[resource].count
                rate = n_hist / (self.history_days * 24) * (t1 - t0) / HOUR
                arrivals = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
                for _ in range(arrivals):
                    seq += 1
                    changes.append((rng.randint(t0 + 1, t1), seq, "new_order", conn, ""))
                if rng.random() < 0.15 * (t1 - t0) / HOUR:  # Trackstar surfaces an old record late
                    seq += 1
                    changes.append((rng.randint(t0 + 1, t1), seq, "late", conn, resource))
            if conn.integration_type == "wms":
                inv = conn.stores["wms_inventory"]
                for rec in list(inv.recs.values()):
                    if rng.random() < 0.12 * (t1 - t0) / HOUR:
                        seq += 1
                        changes.append((rng.randint(t0 + 1, t1), seq, "inventory", conn, rec.id))
                if rng.random() < 0.1 * (t1 - t0) / HOUR:
                    seq += 1
                    changes.append((rng.randint(t0 + 1, t1), seq, "inbound", conn, ""))
            if conn.integration_type == "wms":
                for hour in range(t0 // HOUR, t1 // HOUR):  # each hour that ended in (t0, t1]
                    seq += 1
                    changes.append(((hour + 1) * HOUR, seq, "hour_end", conn, str(hour)))
            if conn.integration_type == "freight" and rng.random() < 0.03 * (t1 - t0) / HOUR:
                seq += 1
                changes.append((rng.randint(t0 + 1, t1), seq, "new_freight", conn, ""))
            if conn.integration_type == "carrier" and rng.random() < 0.05 * (t1 - t0) / HOUR:
                seq += 1  # a charge for a label that matches no order (a label bought elsewhere)
                changes.append((rng.randint(t0 + 1, t1), seq, "orphan", conn, ""))
        changes.sort(key=lambda c: (c[0], c[1]))
        for at, _seq, kind, conn, arg in changes:
            getattr(self, f"_on_{kind}")(conn, arg, at, rng)

    def _on_order(self, conn: Connection, rid: str, at: int, rng: random.Random) -> None:
        resource = f"{conn.integration_type}_orders"
        rec = conn.stores[resource].recs.get(rid)
        if rec is None:  # deleted: it changes no more (a restored one stays where it was)
            return
        flow = WMS_ORDER_FLOW if conn.integration_type == "wms" else CART_ORDER_FLOW
        plan = self._plan(conn, rec.key, rec.created, flow)
        step = rec.data.step + 1
        rec.status = plan[step][1]
        rec.data = rec.data._replace(step=step)
        if rec.status == "fulfilled":
            self._ship(conn, rec, at)
        self._touch(conn, resource, rec, at)
        self.status_history.setdefault((conn.connection_id, rid), []).append((rec.status, at, at))
        if step + 1 < len(plan):
            self._schedule(max(plan[step + 1][0], at + 60), "order", conn, rid)

    def _on_new_order(self, conn: Connection, _arg: str, at: int, rng: random.Random) -> None:
        resource = f"{conn.integration_type}_orders"
        store = conn.stores[resource]
        key = store.count
        rid = f"ord_{conn.connection_id[-4:]}_{key:07d}"
        late = rng.random() < 0.03  # an old order Trackstar only picks up now (a backfill)
        created = at - rng.randint(3 * DAY, 10 * DAY) if late else at
        flow = WMS_ORDER_FLOW if conn.integration_type == "wms" else CART_ORDER_FLOW
        plan = self._plan(conn, key, created, flow)
        done = [p for p in plan if p[0] <= at]
        rec = Rec(rid, key, created, done[-1][0], at, at, done[-1][1], 0, OrderState(len(done) - 1))
        store.put(rec)
        self.status_history[(conn.connection_id, rid)] = [(done[-1][1], done[-1][0], at)]
        if rec.status == "fulfilled":
            self._ship(conn, rec, done[-1][0])
        if len(done) < len(plan):
            self._schedule(max(plan[len(done)][0], at + 60), "order", conn, rid)

    def _on_late(self, conn: Connection, resource: str, at: int, rng: random.Random) -> None:
        """An OLD record resurfaces: `updated_date` stays in the past, `trackstar_updated_date` is now."""
        store = conn.stores[resource]
        older = store.position(
            at - 2 * DAY
        )  # log entries before this were last changed > 2 days ago
        tries = [store.log[rng.randrange(older)] for _ in range(20)] if older else []
        rec = next((r for r in tries if r.tud < at - 2 * DAY and r.pos >= 0), None)
        if rec is None:
            return
        source_time = rec.updated + rng.randint(60, HOUR)
        self._touch(conn, resource, rec, at, source_time=min(source_time, at))
        conn.ctx.extra.setdefault("late", []).append((rec.id, at))

    def _on_inventory(self, conn: Connection, rid: str, at: int, rng: random.Random) -> None:
        rec = conn.stores["wms_inventory"].recs[rid]
        levels = rec.data["levels"]  # type: ignore[index]
        wid = rng.choice(conn.ctx.warehouses)
        w = levels[wid]
        delta = rng.randint(-40, 60)
        w["onhand"] = max(0, w["onhand"] + delta)
        w["committed"] = min(w["onhand"], max(0, w["committed"] + rng.randint(-10, 10)))
        w["fulfillable"] = max(0, w["onhand"] - w["committed"] - w["unfulfillable"])
        w["sellable"] = max(0, w["onhand"] - w["unsellable"])
        w["awaiting"] = max(0, w["awaiting"] + rng.choice([0, 0, -50, 50]))
        self._touch(conn, "wms_inventory", rec, at)
        self.inventory_versions[(conn.connection_id, rid)].append((at, _copy(levels)))
        w_i = conn.ctx.warehouses.index(wid)
        reason = "cycle count" if delta < 0 else "found stock"
        self._ledger(conn, LedgerEntry(rid, w_i, delta, "adjustment", reason), at)

    def _on_inbound(self, conn: Connection, _arg: str, at: int, rng: random.Random) -> None:
        store = conn.stores["wms_inbound_shipments"]
        moving = [r for r in store.recs.values() if r.status in INBOUND_FLOW[:-1]]
        if moving:
            rec = moving[rng.randrange(len(moving))]
            rec.status = INBOUND_FLOW[INBOUND_FLOW.index(rec.status) + 1]
            self._touch(conn, "wms_inbound_shipments", rec, at)
        else:
            self._new_rec(store, f"asn_{store.count + 1}", store.count, at, status="open")

    def _on_hour_end(self, conn: Connection, hour: str, at: int, rng: random.Random) -> None:
        """The labor of the hour that ended, and the day's bill when the day ended."""
        self._labor_hour(conn, int(hour), seen=at)
        if (int(hour) + 1) % 24 == 0:
            self._bill_day(conn, int(hour) // 24, seen=at)

    def _on_invoice(self, conn: Connection, due_key: str, at: int, rng: random.Random) -> None:
        self._invoice(conn, due_key, at)

    def _on_freight(self, conn: Connection, rid: str, at: int, rng: random.Random) -> None:
        rec = conn.stores["freight_shipments"].recs.get(rid)
        if rec is None:  # deleted
            return
        step = FREIGHT_FLOW.index(rec.status) + 1  # type: ignore[arg-type]
        rec.status = FREIGHT_FLOW[step]
        if step == len(FREIGHT_FLOW) - 1:
            rec.data = rec.data._replace(arrived=at)
        self._touch(conn, "freight_shipments", rec, at)
        plan = self._freight_plan(rec.created, rec.data)
        if step + 1 < len(plan):
            self._schedule(max(plan[step + 1], at + 60), "freight", conn, rid)

    def _on_new_freight(self, conn: Connection, _arg: str, at: int, rng: random.Random) -> None:
        self._freight_shipment(conn, at)

    def _on_orphan(self, conn: Connection, _arg: str, at: int, rng: random.Random) -> None:
        prefix = TRACKING_PREFIXES[conn.ctx.carrier].decode()
        trk = f"{prefix}ORPHAN{rng.randrange(10**10):010d}"
        conn.ctx.extra.setdefault("due", {})[f"{trk}|o"] = (trk, rng.randint(500, 3000))
        self._invoice(conn, f"{trk}|o", at)

    # ------------------------------------------------------------------ deletions

    def _conn(self, connection_id: str) -> Connection:
        conn = next((c for c in self.connections if c.connection_id == connection_id), None)
        if conn is None:
            raise KeyError(f"no connection {connection_id!r}")
        return conn

    def delete_record(self, connection_id: str, resource: str, record_id: str) -> None:
        """Trackstar no longer has the record: no listing, no single read serves it."""
        with self.lock:
            conn = self._conn(connection_id)
            store = conn.stores[resource]
            if record_id not in store.recs:
                raise KeyError(f"{connection_id} {resource} has no record {record_id!r}")
            store.remove(record_id)
            self.deletions.append((connection_id, resource, record_id, self.now, True))

    def restore_record(self, connection_id: str, resource: str, record_id: str) -> None:
        """A deleted record comes back, as Trackstar's copy changed now."""
        with self.lock:
            conn = self._conn(connection_id)
            rec = conn.stores[resource].gone.pop(record_id, None)
            if rec is None:
                raise KeyError(f"{connection_id} {resource} {record_id!r} is not deleted")
            self._touch(conn, resource, rec, self.now)
            self.deletions.append((connection_id, resource, record_id, self.now, False))

    def remove_connection(self, connection_id: str) -> None:
        """The connection is deleted at Trackstar: not listed, its token answers 401."""
        with self.lock:
            self._conn(connection_id).removed = True

    def restore_connection(self, connection_id: str) -> None:
        with self.lock:
            self._conn(connection_id).removed = False

    def deleted_at(self, connection_id: str, resource: str, record_id: str, at: int) -> bool:
        """Whether the record was deleted (and not back) at time `at`."""
        state = False
        for cid, res, rid, when, deleted in self.deletions:
            if (cid, res, rid) == (connection_id, resource, record_id) and when <= at:
                state = deleted
        return state

    @property
    def listed_connections(self) -> list[Connection]:
        """The connections `GET /connections` lists (removed ones are not)."""
        return [c for c in self.connections if not c.removed]

    # ------------------------------------------------------------------ lookups for the server

    def connection_by_token(self, token: str) -> Connection | None:
        return next((c for c in self.listed_connections if c.access_token == token), None)

    def connection_json(self, conn: Connection) -> dict[str, Any]:
        """`GET /connections` for one connection: the spec's `Connection`, plus the access token,
        the per-action historical sync flags and the display name Trackstar also returns."""
        now = self.now
        synced = iso(now - 1700)
        schedules = [
            {
                "function_name": action,
                "latest_sync": synced,
                "last_crawl_start": iso(now - 1800),
                "last_crawl_end": synced,
                "sync_frequency": 3600,  # seconds between crawls
                "in_progress": not conn.sync_completed(action, now),
                "sync_status": "enabled"
                if conn.sync_completed(action, now)
                else "first_sync_in_progress",
            }
            for action in conn.actions()
        ]
        paths = {r.action: r.path for r in conn.resources()}
        errors = [
            {
                "error_message": "The provided credentials do not have access to "
                f"{action.removeprefix('get_').replace('_', ' ')} data.",
                "affected_endpoints": [{"endpoint": paths[action], "preventing_sync": True}],
                "first_seen": iso(conn.created_at + DAY),
                "last_seen": synced,
            }
            for action, code in conn.unsupported.items()
            if code == 403
        ]
        return {
            "connection_id": conn.connection_id,
            "integration_name": conn.integration_name,
            "integration_display_name": conn.integration_display_name,
            "integration_type": conn.integration_type,
            "customer_id": conn.customer_id,
            "created_at": iso(conn.created_at),
            "last_used": iso(conn.last_used),
            "times_used": conn.times_used,
            "latest_sync": synced,
            "available_actions": conn.actions(),
            "available_endpoints": sorted(
                {r.path for r in conn.resources() if r.action in conn.actions()}
            ),
            "sync_schedules": schedules,
            "historical_sync_completed": {a: conn.sync_completed(a, now) for a in conn.actions()},
            "errors": errors,
            "webhooks_disabled": conn.integration_type == "carrier",
            "access_token": conn.access_token,
        }


def _copy(levels: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {w: dict(v) for w, v in levels.items()}


class Truth:
    """What a correct warehouse must contain, computed from the world, never from the warehouse."""

    def __init__(self, world: World) -> None:
        self.world = world

    def records(self, connection_id: str, resource: str) -> list[dict[str, Any]]:
        """Every record's latest version, exactly as the API serves it."""
        w = self.world
        with w.lock:
            conn = next(c for c in w.connections if c.connection_id == connection_id)
            # through JSON, like the API: plain values, nothing shared with the simulator's state
            recs = list(conn.stores[resource].recs.values())
            ctx = dataclasses.replace(conn.ctx, now=w.now)
            return [
                row
                for at in range(0, len(recs), 1000)
                for row in orjson.loads(BY_NAME[resource].json(ctx, recs[at : at + 1000]))
            ]

    def pack_counts(self, connection_id: str) -> dict[str, int]:
        """Order id -> cartons, for the orders that reached packing (the packs endpoint's)."""
        w = self.world
        with w.lock:
            conn = next(c for c in w.connections if c.connection_id == connection_id)
            return {
                rec.id: len(package_costs(connection_id, rec.key))
                for rec in conn.stores["wms_orders"].recs.values()
                if rec.status in PACKED_OR_LATER
            }

    def freight_costs(self) -> dict[tuple[str, str], tuple[str, Decimal]]:
        """(freight connection, shipment id) -> (status, cost)."""
        w = self.world
        with w.lock:
            return {
                (conn.connection_id, rec.id): (rec.status or "", Decimal(rec.data.cents) / 100)
                for conn in w.connections
                if conn.integration_type == "freight"
                for rec in conn.stores["freight_shipments"].recs.values()
            }

    def shipment_costs(self) -> dict[tuple[str, str], dict[str, Any]]:
        """(carrier connection, tracking number) -> net, gross (Decimal), charges, matched order."""
        w = self.world
        out: dict[tuple[str, str], dict[str, Any]] = {}
        with w.lock:
            for conn in w.connections:
                if conn.integration_type != "carrier":
                    continue
                orders = self._orders_by_tracking(conn.customer_id)
                for rec in conn.stores["carrier_invoice_line_items"].recs.values():
                    d: Charge = rec.data
                    row = out.setdefault(
                        (conn.connection_id, d.tracking_number),
                        {
                            "net_cost": Decimal("0.00"),
                            "gross_cost": Decimal("0.00"),
                            "charge_count": 0,
                            "order": orders.get(d.tracking_number),
                        },
                    )
                    row["net_cost"] += Decimal(d.net) / 100
                    row["gross_cost"] += Decimal(d.gross) / 100
                    row["charge_count"] += 1
        return out

    def _orders_by_tracking(self, customer: str | None) -> dict[str, tuple[str, str]]:
        """Tracking number -> (connection, order id) over a customer's shipped WMS and cart orders."""
        out: dict[str, tuple[str, str]] = {}
        for conn in self.world.connections:
            if conn.customer_id == customer and conn.integration_type in ("wms", "cart"):
                for rec in conn.stores[f"{conn.integration_type}_orders"].recs.values():
                    if rec.data.shipped:
                        for n in range(len(package_costs(conn.connection_id, rec.key))):
                            out[tracking_number(conn.ctx, rec.key, n)] = (
                                conn.connection_id,
                                rec.id,
                            )
        return out

    def order_costs(self) -> dict[tuple[str, str], Decimal]:
        """(order connection, order id) -> summed carrier net_cost of its tracking numbers."""
        out: dict[tuple[str, str], Decimal] = {}
        for row in self.shipment_costs().values():
            if row["order"]:
                out[row["order"]] = out.get(row["order"], Decimal("0.00")) + row["net_cost"]
        return out

    def status_history(self, connection_id: str, order_id: str) -> list[dict[str, Any]]:
        """Each status change: status, source time (updated_date) and when Trackstar showed it."""
        w = self.world
        with w.lock:
            conn = next(c for c in w.connections if c.connection_id == connection_id)
            rec = conn.stores[f"{conn.integration_type}_orders"].recs[order_id]
            history: list[tuple[str, int, int]] = []
            if (
                rec.key < w.history_orders[connection_id]
            ):  # built as history: its plan up to the start
                flow = WMS_ORDER_FLOW if conn.integration_type == "wms" else CART_ORDER_FLOW
                history = [
                    (s, t, t) for t, s in w._plan(conn, rec.key, rec.created, flow) if t <= w.start
                ]
            history += w.status_history.get((connection_id, order_id), [])
            return [
                {
                    "status": s,
                    "changed_at": pendulum.from_timestamp(src),
                    "visible_at": pendulum.from_timestamp(vis),
                }
                for s, src, vis in history
            ]

    def order_ids(self, connection_id: str) -> list[str]:
        with self.world.lock:
            conn = next(c for c in self.world.connections if c.connection_id == connection_id)
            return list(conn.stores[f"{conn.integration_type}_orders"].recs)

    def inventory_at(self, at: pendulum.DateTime) -> dict[tuple[str, str, str], dict[str, int]]:
        """(connection, inventory item, warehouse) -> levels in effect at `at`; none for an item
        or a warehouse deleted (and not back) at `at`."""
        ts = int(at.timestamp())
        out: dict[tuple[str, str, str], dict[str, int]] = {}
        with self.world.lock:
            for (cid, item), versions in self.world.inventory_versions.items():
                current = None
                for valid_from, levels in versions:
                    if valid_from <= ts:
                        current = levels
                if current is None or self.world.deleted_at(cid, "wms_inventory", item, ts):
                    continue
                for wid, lv in current.items():
                    if not self.world.deleted_at(cid, "wms_warehouses", wid, ts):
                        out[(cid, item, wid)] = dict(lv)
        return out

    def inventory_end_of_day(
        self, day: pendulum.Date
    ) -> dict[tuple[str, str, str], dict[str, int]]:
        """Levels at the end of a simulated (UTC) day."""
        end = (
            pendulum.datetime(day.year, day.month, day.day, tz="UTC")
            .add(days=1)
            .subtract(seconds=1)
        )
        return self.inventory_at(end)

    def late_surfaced(self, connection_id: str) -> list[tuple[str, pendulum.DateTime]]:
        """Old records Trackstar surfaced late: (record id, when)."""
        with self.world.lock:
            conn = next(c for c in self.world.connections if c.connection_id == connection_id)
            return [
                (rid, pendulum.from_timestamp(at)) for rid, at in conn.ctx.extra.get("late", [])
            ]
