"""Source rules against a tiny fake Trackstar whose every answer the test controls.

The simulator tests (test_e2e_simulator.py) check the same rules on realistic data; these pin
down the edge cases exactly: a failure on page 2, a 422, a bare token, a late historical sync.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import duckdb
import pendulum
import pytest
from trackstar_fakes import API_KEY, FAST_RETRY, FakeTrackstar, Reply

from pipelines.extract import ConfigurationError, extract, make_pipeline
from pipelines.trackstar.client import RequestInvalid
from pipelines.trackstar.connections import token_connection_id
from pipelines.trackstar.endpoints import ENDPOINTS

WMS_TOKEN = "wms-token-aaaaaaaa"
CART_TOKEN = "cart-token-bbbbbbbb"


def order(n: int, updated: str, **extra) -> dict:
    return {
        "id": f"o{n}",
        "status": "open",
        "raw_status": "new",
        "total_price": 10.5,
        "updated_date": updated,
        "trackstar_updated_date": updated,
        "additional_fields": {"note": "x"},
        "trackstar_tags": ["a", {"k": "v"}],
        "shipments": [{"shipment_id": f"s{n}", "packages": [{"tracking_number": f"1Z{n}"}]}],
        **extra,
    }


@pytest.fixture
def fake():
    with FakeTrackstar(page_size=2) as fake:
        fake.add_connection(
            "conn_w", WMS_TOKEN, "wms", available_actions=["get_orders", "get_inventory"]
        )
        fake.records[(WMS_TOKEN, "/wms/orders")] = [
            order(n, f"2026-03-0{n}T10:00:00Z") for n in range(1, 6)
        ]
        fake.records[(WMS_TOKEN, "/wms/inventory")] = []
        yield fake


def run(fake: FakeTrackstar, tmp_path: Path, **kwargs):
    kwargs.setdefault("retry", FAST_RETRY)
    kwargs.setdefault("progress", False)
    return extract(
        base_url=fake.base_url, api_key=API_KEY, duckdb_path=tmp_path / "w.duckdb", **kwargs
    )


def query(tmp_path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def cursor(tmp_path: Path, resource: str) -> str | None:
    state = make_pipeline(tmp_path / "w.duckdb").state
    resources = state.get("sources", {}).get("trackstar", {}).get("resources", {})
    return resources.get(resource, {}).get("cursor")


def requests_to(fake: FakeTrackstar, path: str) -> list[dict]:
    return [s.params for s in fake.server.seen if s.path == path]


def test_cursor_moves_only_after_the_last_page_succeeded(fake, tmp_path):
    fake.fault = lambda seen: (
        Reply(503, {"error": "down"}) if seen.params.get("page_token") == "4" else None
    )
    report = run(fake, tmp_path)

    entry = report.entry("conn_w", "wms_orders")
    assert report.failed and entry.status == "failed" and entry.http_status == 503
    assert entry.rows == 4 and entry.pages == 2 and "X-Request-Id req-" in entry.message
    assert cursor(tmp_path, "wms_orders@conn_w") is None
    # the pages that arrived are loaded (merge makes the re-read harmless)
    assert query(tmp_path, "select count(*) from trackstar_raw.wms_orders") == [(4,)]
    assert query(
        tmp_path,
        "select status, rows, pages, http_status, cursor_to from trackstar_raw.sync_log "
        "where resource = 'wms_orders'",
    ) == [("failed", 4, 2, 503, None)]

    fake.fault = lambda seen: None
    report = run(fake, tmp_path)
    assert not report.failed
    assert query(tmp_path, "select count(*), count(distinct id) from trackstar_raw.wms_orders") == [
        (5, 5)
    ]
    # max(trackstar_updated_date) - 1 h
    assert cursor(tmp_path, "wms_orders@conn_w") == "2026-03-05T09:00:00Z"


def test_next_run_asks_from_the_cursor_on_every_page_and_never_duplicates(fake, tmp_path):
    run(fake, tmp_path, lag_seconds=0)
    fake.records[(WMS_TOKEN, "/wms/orders")][0] = order(
        1, "2026-03-07T10:00:00Z", status="fulfilled"
    )
    fake.records[(WMS_TOKEN, "/wms/orders")].append(order(6, "2026-03-06T10:00:00Z"))
    fake.server.seen.clear()

    report = run(fake, tmp_path, lag_seconds=0)

    asked = requests_to(fake, "/wms/orders")
    assert len(asked) == 2  # o5, o6, o1(changed) at 2 per page; plus the order status history
    assert {p["trackstar_updated_date[gte]"] for p in asked} == {"2026-03-05T10:00:00Z"}
    assert report.entry("conn_w", "wms_orders").rows == 3
    assert query(tmp_path, "select id, status from trackstar_raw.wms_orders order by id") == [
        ("o1", "fulfilled"),
        ("o2", "open"),
        ("o3", "open"),
        ("o4", "open"),
        ("o5", "open"),
        ("o6", "open"),
    ]
    history = query(
        tmp_path,
        "select order_id, status, trackstar_updated_date from "
        "trackstar_raw.wms_order_status_history where order_id = 'o1' order by 3",
    )
    assert [(o, s) for o, s, _ in history] == [("o1", "open"), ("o1", "fulfilled")]
    assert (
        query(
            tmp_path,
            "select count(*) from trackstar_raw.wms_order_status_history h "
            "group by connection_id, order_id, trackstar_updated_date having count(*) > 1",
        )
        == []
    )


def test_422_fails_the_run_loudly_naming_connection_endpoint_and_parameter(fake, tmp_path):
    # a 422 that is not about the cursor filter: a bug on our side, nothing to fall back to
    fake.fault = lambda seen: (
        Reply(422, {"error": "Invalid value for limit: 1000", "origin": "trackstar"})
        if seen.path == "/wms/orders"
        else None
    )
    with pytest.raises(RequestInvalid) as info:
        run(fake, tmp_path, start_date="2026-01-01")
    message = str(info.value)
    assert "conn_w" in message and "/wms/orders" in message
    assert "trackstar_updated_date[gte]" in message and "X-Request-Id" in message
    assert WMS_TOKEN not in message and API_KEY not in message


def test_bare_token_unknown_to_the_organisation_gets_a_hashed_id_and_probed_vertical(
    fake, tmp_path
):
    fake.add_connection("conn_c", CART_TOKEN, "cart")
    fake.connections.pop()  # the organisation does not list it
    fake.connections.append({"connection_id": "ghost", "access_token": CART_TOKEN})  # token valid
    fake.records[(CART_TOKEN, "/cart/warehouses")] = [
        {"id": "cw1", "name": "Main", "trackstar_updated_date": "2026-03-01T00:00:00Z"}
    ]
    fake.records[(CART_TOKEN, "/cart/orders")] = []
    fake.records[(CART_TOKEN, "/cart/products")] = [
        {
            "id": "p1",
            "trackstar_updated_date": "2026-03-01T00:00:00Z",
            "inventory_by_warehouse_id": {"cw1": 4, "cw2": 0},
        }
    ]
    fake.fault = lambda seen: (
        Reply(403, {"error": "listing disabled"}) if seen.path == "/connections" else None
    )

    report = run(fake, tmp_path, access_tokens=[CART_TOKEN])

    cid = token_connection_id(CART_TOKEN)
    assert cid.startswith("tok_") and CART_TOKEN not in cid
    assert not report.failed
    assert query(
        tmp_path, "select connection_id, integration_type from trackstar_raw.connections"
    ) == [(cid, "cart")]
    assert query(
        tmp_path,
        "select p.connection_id, c.warehouse_id, c.quantity from trackstar_raw.cart_products p "
        "join trackstar_raw.cart_products__inventory_by_warehouse c on c._dlt_root_id = p._dlt_id "
        "order by 2",
    ) == [(cid, "cw1", 4), (cid, "cw2", 0)]


def test_incomplete_historical_sync_is_skipped_with_cursor_kept_then_read_in_full(fake, tmp_path):
    fake.connections[0]["historical_sync_completed"] = {"get_orders": False, "get_inventory": True}
    report = run(fake, tmp_path)
    entry = report.entry("conn_w", "wms_orders")
    assert entry.status == "sync_incomplete" and not report.failed
    assert requests_to(fake, "/wms/orders") == []
    assert cursor(tmp_path, "wms_orders@conn_w") is None

    fake.connections[0]["historical_sync_completed"]["get_orders"] = True
    report = run(fake, tmp_path)
    assert report.entry("conn_w", "wms_orders").rows == 5
    assert "trackstar_updated_date[gte]" not in requests_to(fake, "/wms/orders")[0]


def test_only_available_actions_are_called(fake, tmp_path):
    report = run(fake, tmp_path)
    assert report.entry("conn_w", "wms_returns").status == "skipped"
    asked = {s.path for s in fake.server.seen}
    # and the organisation's integration info for the connection's type (once a day)
    assert asked == {"/connections", "/integrations/wms", "/wms/orders", "/wms/inventory"}


def test_backfill_resets_one_cursor(fake, tmp_path):
    run(fake, tmp_path)
    fake.server.seen.clear()
    since = pendulum.datetime(2026, 3, 2, tz="UTC")
    report = run(fake, tmp_path, backfill=("conn_w", "wms_orders", since))
    assert (
        requests_to(fake, "/wms/orders")[0]["trackstar_updated_date[gte]"] == "2026-03-02T00:00:00Z"
    )
    assert report.entry("conn_w", "wms_orders").rows == 4
    assert cursor(tmp_path, "wms_orders@conn_w") == "2026-03-05T09:00:00Z"


def test_locations_are_read_for_every_warehouse(fake, tmp_path):
    fake.connections[0]["available_actions"] += ["get_warehouses", "get_warehouse_locations"]
    fake.records[(WMS_TOKEN, "/wms/warehouses")] = [
        {"id": w, "trackstar_updated_date": "2026-03-01T00:00:00Z"} for w in ("wh/1", "wh2")
    ]
    for w in ("wh%2F1", "wh2"):
        fake.records[(WMS_TOKEN, f"/wms/warehouses/{w}/locations")] = [
            {"id": "A-1", "trackstar_updated_date": "2026-03-01T00:00:00Z"}
        ]
    report = run(fake, tmp_path)
    assert report.entry("conn_w", "wms_warehouse_locations").status == "ok"
    assert query(
        tmp_path,
        "select connection_id, warehouse_id, id from trackstar_raw.wms_warehouse_locations "
        "order by 2",
    ) == [("conn_w", "wh/1", "A-1"), ("conn_w", "wh2", "A-1")]


def test_inventory_is_a_snapshot_kept_as_history(fake, tmp_path):
    def item(onhand: int, updated: str) -> dict:
        return {
            "id": "inv1",
            "sku": "SKU-1",
            "trackstar_updated_date": updated,
            "inventory_by_warehouse_id": {
                "w1": {"onhand": onhand, "committed": 1, "fulfillable": onhand - 1},
                "w2": {"onhand": 5, "committed": 0, "fulfillable": 5},
            },
        }

    fake.records[(WMS_TOKEN, "/wms/inventory")] = [item(10, "2026-03-01T00:00:00Z")]
    run(fake, tmp_path)
    run(fake, tmp_path)  # same version again: nothing new
    fake.records[(WMS_TOKEN, "/wms/inventory")] = [item(7, "2026-03-02T00:00:00Z")]
    fake.now = "Tue, 03 Mar 2026 12:00:00 GMT"
    run(fake, tmp_path)

    for params in requests_to(fake, "/wms/inventory"):
        assert "trackstar_updated_date[gte]" not in params  # always the full snapshot
    assert query(
        tmp_path,
        "select warehouse_id, onhand, fulfillable from "
        "trackstar_raw.wms_inventory__inventory_by_warehouse order by 1",
    ) == [("w1", 7, 6), ("w2", 5, 5)]
    rows = query(
        tmp_path,
        "select warehouse_id, onhand, trackstar_updated_date::date::varchar, "
        "observed_at::date::varchar from trackstar_raw.wms_inventory_history order by 3, 1",
    )
    assert rows == [
        ("w1", 10, "2026-03-01", "2026-03-02"),
        ("w2", 5, "2026-03-01", "2026-03-02"),
        ("w1", 7, "2026-03-02", "2026-03-03"),
        ("w2", 5, "2026-03-02", "2026-03-03"),
    ]
    columns = {
        c
        for (c,) in query(
            tmp_path,
            "select column_name from information_schema.columns "
            "where table_schema = 'trackstar_raw' and table_name = 'wms_inventory'",
        )
    }
    assert not any(c.startswith("inventory_by_warehouse_id") for c in columns)


def test_schema_drift_new_field_and_type_change_do_not_fail_the_run(fake, tmp_path):
    run(fake, tmp_path)
    drifted = order(7, "2026-03-08T10:00:00Z", brand_new_field="hello", total_price="n/a")
    fake.records[(WMS_TOKEN, "/wms/orders")].append(drifted)
    report = run(fake, tmp_path)
    assert not report.failed
    columns = dict(
        query(
            tmp_path,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'trackstar_raw' and table_name = 'wms_orders'",
        )
    )
    assert columns["brand_new_field"] == "VARCHAR"
    assert columns["total_price"].startswith("DECIMAL")
    assert columns["total_price__v_text"] == "VARCHAR"
    assert query(
        tmp_path,
        "select total_price, total_price__v_text from trackstar_raw.wms_orders where id = 'o7'",
    ) == [(None, "n/a")]


def test_json_columns_timestamps_and_decimals(fake, tmp_path):
    run(fake, tmp_path)
    types = dict(
        query(
            tmp_path,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'trackstar_raw' and table_name = 'wms_orders'",
        )
    )
    assert types["additional_fields"] == "JSON" and types["trackstar_tags"] == "JSON"
    assert types["trackstar_updated_date"] == "TIMESTAMP WITH TIME ZONE"
    assert types["total_price"].startswith("DECIMAL")
    assert query(
        tmp_path,
        "select p.tracking_number, o.connection_id "
        "from trackstar_raw.wms_orders__shipments__packages p "
        "join trackstar_raw.wms_orders o on p._dlt_root_id = o._dlt_id where o.id = 'o1'",
    ) == [("1Z1", "conn_w")]


def test_documented_date_times_land_as_utc_timestamps_and_other_text_beside_them(fake, tmp_path):
    """Documented date-times are parsed by the source (nested ones too); a value that is not an
    aware ISO 8601 date-time is left to dlt, which keeps it as text in a variant column."""
    fake.records[(WMS_TOKEN, "/wms/orders")] = [
        order(
            1,
            "2026-03-01T10:00:00Z",
            required_ship_date="2026-03-02T10:00:00.250+02:00",
            shipments=[{"shipment_id": "s1", "shipped_date": "2026-03-03T09:30:00Z"}],
        ),
        order(2, "2026-03-02T10:00:00Z", required_ship_date="2026-03-04T10:00:00"),
        order(3, "2026-03-03T10:00:00Z", required_ship_date="next tuesday"),
    ]
    run(fake, tmp_path)
    types = dict(
        query(
            tmp_path,
            "select table_name || '.' || column_name, data_type from information_schema.columns "
            "where table_schema = 'trackstar_raw' and column_name like '%date%'",
        )
    )
    assert types["wms_orders.required_ship_date"] == "TIMESTAMP WITH TIME ZONE"
    assert types["wms_orders__shipments.shipped_date"] == "TIMESTAMP WITH TIME ZONE"
    rows = query(
        tmp_path,
        "select id, strftime(required_ship_date at time zone 'UTC', '%Y-%m-%d %H:%M:%S.%g'), "
        "required_ship_date__v_text from trackstar_raw.wms_orders order by id",
    )
    # an offset is turned into UTC; a time without a zone is read as UTC by dlt, as before
    assert rows == [
        ("o1", "2026-03-02 08:00:00.250", None),
        ("o2", "2026-03-04 10:00:00.000", None),
        ("o3", None, "next tuesday"),
    ]
    assert query(
        tmp_path,
        "select strftime(shipped_date at time zone 'UTC', '%Y-%m-%d %H:%M:%S') "
        "from trackstar_raw.wms_orders__shipments where shipment_id = 's1'",
    ) == [("2026-03-03 09:30:00",)]


def _load_files(tmp_path: Path, table: str) -> set[str]:
    """The formats of the data files each loaded package held for `table` (not its merge SQL)."""
    pipeline = make_pipeline(tmp_path / "w.duckdb")
    formats = set()
    for load_id in pipeline.list_completed_load_packages():
        for job in pipeline.get_load_package_info(load_id).jobs["completed_jobs"]:
            info = job.job_file_info
            if info.table_name == table and info.file_format != "sql":
                formats.add(info.file_format)
    return formats


def test_pages_land_as_arrow_tables_and_a_page_that_does_not_fit_through_dlts_normalizer(
    fake, tmp_path, capfd
):
    run(fake, tmp_path)
    # dlt's note that an Arrow table's own hints differ from the schema's is expected, not shown
    assert "arrow schema" not in capfd.readouterr().err
    assert _load_files(tmp_path, "wms_orders") == {"parquet"}
    assert _load_files(tmp_path, "wms_orders__shipments__packages") == {"parquet"}
    # every documented column, in the documentation's order, whether a page had it or not
    columns = [
        name
        for (name,) in query(
            tmp_path,
            "select column_name from duckdb_columns() where schema_name = 'trackstar_raw' "
            "and table_name = 'wms_orders__shipments__packages' and column_name not like '_dlt%' "
            "order by column_index",
        )
    ]
    assert columns[:3] == ["package_id", "package_name", "tracking_number"]
    assert "measurements__weight_unit" in columns
    assert _load_files(tmp_path, "wms_order_status_history") == {"parquet"}
    assert query(
        tmp_path,
        "select order_id, status, updated_date from trackstar_raw.wms_order_status_history "
        "where order_id = 'o2'",
    ) == [("o2", "open", datetime(2026, 3, 2, 10, tzinfo=UTC))]

    fake.records[(WMS_TOKEN, "/wms/orders")].append(
        order(7, "2026-03-08T10:00:00Z", total_price="n/a")
    )
    run(fake, tmp_path)
    assert _load_files(tmp_path, "wms_orders") == {"parquet", "jsonl"}
    assert query(
        tmp_path,
        "select id, total_price, total_price__v_text from trackstar_raw.wms_orders "
        "where id in ('o1', 'o7') order by id",
    ) == [("o1", Decimal("10.500000000"), None), ("o7", None, "n/a")]
    assert query(
        tmp_path,
        "select count(*), count(distinct _dlt_root_id) from trackstar_raw.wms_orders__shipments",
    ) == [(6, 6)]


def test_a_field_first_sent_on_a_later_page_of_a_package_lands_as_its_column(fake, tmp_path):
    # dlt learns an Arrow table's columns from each table it is given, not from the first
    fake.records[(WMS_TOKEN, "/wms/orders")][4]["carrier_note"] = "fragile"
    report = run(fake, tmp_path, windows=1)
    assert report.entry("conn_w", "wms_orders").pages == 3
    assert len(report.load_ids) == 1
    assert _load_files(tmp_path, "wms_orders") == {"parquet"}
    assert query(tmp_path, "select id, carrier_note from trackstar_raw.wms_orders order by id") == [
        ("o1", None),
        ("o2", None),
        ("o3", None),
        ("o4", None),
        ("o5", "fragile"),
    ]


def test_the_pages_read_before_a_listing_fails_land_and_its_cursor_stays(fake, tmp_path):
    # a listing's Arrow tables wait to be handed to dlt a few pages at a time
    # (source._ArrowBatches): those read before a failing page land all the same
    def third_page_fails(seen):
        if seen.path == "/wms/orders" and seen.params.get("page_token") == "4":
            return Reply(503, {"error": "Service Unavailable", "origin": "trackstar"})
        return None

    fake.fault = third_page_fails
    report = run(fake, tmp_path, windows=1)
    failed = report.entry("conn_w", "wms_orders")
    assert (failed.status, failed.pages) == ("failed", 2)
    assert query(tmp_path, "select id from trackstar_raw.wms_orders order by id") == [
        ("o1",),
        ("o2",),
        ("o3",),
        ("o4",),
    ]
    assert query(tmp_path, "select count(*) from trackstar_raw.wms_orders__shipments") == [(4,)]
    assert query(tmp_path, "select count(*) from trackstar_raw.wms_order_status_history") == [(4,)]
    assert cursor(tmp_path, "wms_orders@conn_w") is None  # read again from the start next run


def test_shape_parses_documented_date_times_at_any_depth_and_nothing_else():
    orders = next(e for e in ENDPOINTS if e.table == "wms_orders")
    record = order(
        1,
        "2026-03-01T10:00:00Z",
        required_ship_date="2026-03-04T10:00:00",
        external_id="2026-03-01T10:00:00Z",
        shipments=[
            {
                "shipped_date": "2026-03-03T09:30:00.5+01:00",
                "packages": [
                    {
                        "line_items": [
                            {"expiration_date": "2027-01-01T00:00:00Z"},
                            {"expiration_date": "soon"},
                        ]
                    }
                ],
            }
        ],
    )
    row = orders.shape(record, "conn_w")
    assert row["trackstar_updated_date"] == datetime(2026, 3, 1, 10, tzinfo=UTC)
    shipment = row["shipments"][0]
    assert shipment["shipped_date"] == datetime(
        2026, 3, 3, 9, 30, 0, 500_000, tzinfo=timezone(timedelta(hours=1))
    )
    expirations = [i["expiration_date"] for i in shipment["packages"][0]["line_items"]]
    assert expirations == [datetime(2027, 1, 1, tzinfo=UTC), "soon"]
    # not aware, or not documented as a date-time: left as sent, for dlt to type
    assert row["required_ship_date"] == "2026-03-04T10:00:00"
    assert row["external_id"] == "2026-03-01T10:00:00Z"


def test_a_revoked_token_fails_its_connection_only_and_no_secret_is_logged(fake, tmp_path, caplog):
    fake.add_connection("conn_c", CART_TOKEN, "cart", available_actions=["get_orders"])
    fake.records[(CART_TOKEN, "/cart/orders")] = [order(9, "2026-03-01T00:00:00Z")]
    fake.revoked.add(CART_TOKEN)
    caplog.set_level("DEBUG")

    report = run(fake, tmp_path, progress=True)

    assert report.failed
    failed = report.entry("conn_c", "cart_orders")
    assert failed.status == "failed" and failed.http_status == 401
    assert report.entry("conn_w", "wms_orders").status == "ok"
    assert query(tmp_path, "select count(*) from trackstar_raw.wms_orders") == [(5,)]
    assert query(
        tmp_path,
        "select connection_id, status, http_status from trackstar_raw.sync_log "
        "where status = 'failed'",
    ) == [("conn_c", "failed", 401)]
    rendered = report.render()
    assert "conn_c" in rendered and "failed" in rendered
    for text in (caplog.text, rendered):
        assert CART_TOKEN not in text and WMS_TOKEN not in text and API_KEY not in text


def test_a_refused_api_key_fails_the_whole_run_clearly(fake, tmp_path):
    with pytest.raises(ConfigurationError) as info:  # a setting to fix: `make run` exits 2
        extract(
            base_url=fake.base_url,
            api_key="wrong-key-123456",
            duckdb_path=tmp_path / "w.duckdb",
            progress=False,
            retry=FAST_RETRY,
        )
    message = str(info.value)
    assert "organisation API key" in message and "/connections" in message and "401" in message
    assert "check sources.trackstar.api_key" in message
    assert "wrong-key-123456" not in message


def test_json_fields_and_money_land_exactly_as_sent(fake, tmp_path):
    fake.records[(WMS_TOKEN, "/wms/orders")] = [
        order(1, "2026-03-01T10:00:00Z", additional_fields={"wave": 3}, total_price=0.1),
        order(
            2,
            "2026-03-02T10:00:00Z",
            additional_fields={"notes": "x", "flags": {"gift": True}},
            total_price=12345678.905,
            trackstar_tags=[],
        ),
    ]
    run(fake, tmp_path)
    rows = query(
        tmp_path,
        "select id, additional_fields::varchar, trackstar_tags::varchar, total_price::varchar "
        "from trackstar_raw.wms_orders order by id",
    )
    assert rows == [
        ("o1", '{"wave":3}', '["a",{"k":"v"}]', "0.100000000"),
        ("o2", '{"notes":"x","flags":{"gift":true}}', "[]", "12345678.905000000"),
    ]


# ------------------------------------------------------------------ cursor fallback (a 422)


def test_a_refused_cursor_filter_falls_back_to_updated_date_and_is_remembered(fake, tmp_path):
    run(fake, tmp_path)  # the first run sends no filter: the full history
    fake.refused.add(("/wms/orders", "trackstar_updated_date"))
    fake.records[(WMS_TOKEN, "/wms/orders")].append(order(6, "2026-03-06T10:00:00Z"))
    fake.server.seen.clear()

    report = run(fake, tmp_path)

    entry = report.entry("conn_w", "wms_orders")
    assert not report.failed and entry.status == "ok" and entry.cursor_field == "updated_date"
    assert "refuses trackstar_updated_date[gte]" in entry.message and "48 h lag" in entry.message
    asked = requests_to(fake, "/wms/orders")
    # the refused request, then the same window by updated_date, widened by the 48 h lag
    assert asked[0]["trackstar_updated_date[gte]"] == "2026-03-05T09:00:00Z"
    assert asked[1]["updated_date[gte]"] == "2026-03-03T09:00:00Z"
    assert query(tmp_path, "select count(*) from trackstar_raw.wms_orders") == [(6,)]
    # max(updated_date) - 48 h, remembered with the field it belongs to
    assert cursor(tmp_path, "wms_orders@conn_w") == "2026-03-04T10:00:00Z"
    assert query(
        tmp_path,
        "select cursor_field, status from trackstar_raw.sync_log "
        "where resource = 'wms_orders' order by finished_at",
    ) == [("trackstar_updated_date", "ok"), ("updated_date", "ok")]

    fake.server.seen.clear()
    report = run(fake, tmp_path)  # the next run asks by updated_date straight away
    asked = requests_to(fake, "/wms/orders")
    assert asked and all(
        "updated_date[gte]" in p and "trackstar_updated_date[gte]" not in p for p in asked
    )
    assert report.entry("conn_w", "wms_orders").cursor_field == "updated_date"
    # another endpoint of the same connection keeps Trackstar's cursor
    assert report.entry("conn_w", "wms_inventory").cursor_field == "trackstar_updated_date"


def test_when_every_date_filter_is_refused_the_whole_list_is_read(fake, tmp_path):
    run(fake, tmp_path)
    fake.refused |= {("/wms/orders", "trackstar_updated_date"), ("/wms/orders", "updated_date")}
    report = run(fake, tmp_path)
    entry = report.entry("conn_w", "wms_orders")
    assert not report.failed and entry.cursor_field is None and entry.rows == 5
    assert "read by the whole list" in entry.message


# ------------------------------------------------------------- records that cannot land


def test_records_that_cannot_land_are_set_aside_and_read_again_once_fixed(fake, tmp_path):
    orders = fake.records[(WMS_TOKEN, "/wms/orders")]
    good = [dict(o) for o in orders]
    orders[1] = {k: v for k, v in orders[1].items() if k != "id"}  # o2: no id
    orders[3] = {**orders[3], "trackstar_updated_date": "not-a-date"}  # o4: no usable cursor
    orders[4] = {**orders[4], "shipments": "n/a"}  # o5: a list that is not a list

    report = run(fake, tmp_path)

    entry = report.entry("conn_w", "wms_orders")
    assert report.failed and entry.status == "ok" and entry.rows == 2 and entry.rejected == 3
    assert "3 records could not land" in entry.message and "set aside" in report.render()
    assert query(tmp_path, "select id from trackstar_raw.wms_orders order by 1") == [
        ("o1",),
        ("o3",),
    ]
    rejected = query(
        tmp_path,
        "select resource, record_key, reason, record->>'status' "
        "from trackstar_raw.rejected_records order by reason",
    )
    assert rejected == [
        ("wms_orders", None, "no id (part of the key connection_id, id)", "open"),
        ("wms_orders", "o5", "shipments is a str, documented as an array", "open"),
        ("wms_orders", "o4", "trackstar_updated_date is not a date-time: 'not-a-date'", "open"),
    ]
    assert query(
        tmp_path,
        "select rejected, cursor_to from trackstar_raw.sync_log where resource = 'wms_orders'",
    ) == [(3, None)]  # one record has no usable cursor: the cursor does not move at all
    assert cursor(tmp_path, "wms_orders@conn_w") is None

    fake.records[(WMS_TOKEN, "/wms/orders")] = good  # Trackstar serves them right again
    report = run(fake, tmp_path)
    assert not report.failed and report.entry("conn_w", "wms_orders").rejected == 0
    assert query(tmp_path, "select count(*), count(distinct id) from trackstar_raw.wms_orders") == [
        (5, 5)
    ]
    assert cursor(tmp_path, "wms_orders@conn_w") == "2026-03-05T09:00:00Z"


def test_a_record_set_aside_holds_the_cursor_at_its_own_date(fake, tmp_path):
    run(fake, tmp_path, lag_seconds=0)  # cursor 2026-03-05T10:00:00Z
    fake.records[(WMS_TOKEN, "/wms/orders")] += [
        {**order(6, "2026-03-06T10:00:00Z"), "id": None},
        order(7, "2026-03-07T10:00:00Z"),
    ]
    report = run(fake, tmp_path, lag_seconds=0)
    assert report.entry("conn_w", "wms_orders").rejected == 1
    # o7 landed, but the cursor waits at the record set aside so the next run reads it again
    assert cursor(tmp_path, "wms_orders@conn_w") == "2026-03-06T10:00:00Z"


def test_a_package_that_cannot_load_is_dropped_and_the_next_run_proceeds(
    fake, tmp_path, monkeypatch
):
    from pipelines.trackstar import endpoints

    fake.records[(WMS_TOKEN, "/wms/orders")][1].pop("id")
    with monkeypatch.context() as patched:  # an unvalidated record reaches the load and fails it
        patched.setattr(endpoints.Endpoint, "problem", lambda *args, **kwargs: None)
        with pytest.raises(Exception, match=r"(?i)not null"):
            run(fake, tmp_path)
    assert make_pipeline(tmp_path / "w.duckdb").has_pending_data

    report = run(fake, tmp_path)  # the broken package is dropped, the records read again

    assert report.failed and report.dropped_packages == 1 and "dropped" in report.render()
    assert report.entry("conn_w", "wms_orders").rejected == 1
    assert not make_pipeline(tmp_path / "w.duckdb").has_pending_data
    assert query(tmp_path, "select count(*) from trackstar_raw.wms_orders") == [(4,)]
    report = run(fake, tmp_path)  # and the run after that is an ordinary one
    assert report.dropped_packages == 0 and report.entry("conn_w", "wms_orders").rejected == 1


# ----------------------------------------------------------------------------------- packs


def _packs(order_id: str) -> dict:
    return {
        "packs": [{"pack_id": f"{order_id}-p1", "line_items": [{"sku": "A", "quantity": 1}]}],
        "carrier": "UPS",
        "ship_to_address": {"full_name": "Jo", "postal_code": "10001"},
        "order_line_items": [{"product_id": "p", "sku": "A", "quantity": 1}],
        "additional_fields": {"box": "S"},
    }


def test_packs_are_read_for_orders_that_reached_packing_within_the_budget(fake, tmp_path):
    orders = fake.records[(WMS_TOKEN, "/wms/orders")]
    for n in (1, 2, 3):
        orders[n - 1]["status"] = "packed" if n < 3 else "fulfilled"
        fake.objects[(WMS_TOKEN, f"/wms/orders/o{n}/packs")] = _packs(f"o{n}")

    report = run(fake, tmp_path, packs_max_requests=2)

    entry = report.entry("conn_w", "wms_order_packs")
    assert (
        entry.status == "ok"
        and entry.rows == 2
        and "1 records over packs_max_requests" in (entry.message)
    )
    assert {s.path for s in fake.server.seen if s.path.endswith("/packs")} == {
        "/wms/orders/o1/packs",
        "/wms/orders/o2/packs",
    }
    assert query(
        tmp_path,
        "select p.order_id, p.order_trackstar_updated_date::date::varchar, p.carrier, "
        "p.ship_to_address__postal_code, c.pack_id from trackstar_raw.wms_order_packs p "
        "join trackstar_raw.wms_order_packs__packs c on c._dlt_root_id = p._dlt_id order by 1",
    ) == [
        ("o1", "2026-03-01", "UPS", "10001", "o1-p1"),
        ("o2", "2026-03-02", "UPS", "10001", "o2-p1"),
    ]

    fake.server.seen.clear()
    report = run(fake, tmp_path, packs_max_requests=2)  # no order changed: only the one left over
    assert [s.path for s in fake.server.seen if s.path.endswith("/packs")] == [
        "/wms/orders/o3/packs"
    ]
    assert query(tmp_path, "select count(*) from trackstar_raw.wms_order_packs") == [(3,)]

    fake.server.seen.clear()
    run(fake, tmp_path, packs=False)
    assert not [s for s in fake.server.seen if s.path.endswith("/packs")]


def test_packs_an_integration_does_not_implement_are_a_capability_gap(fake, tmp_path):
    fake.records[(WMS_TOKEN, "/wms/orders")][0]["status"] = "packed"
    fake.records[(WMS_TOKEN, "/wms/orders")][1]["status"] = "packed"
    report = run(fake, tmp_path)  # no packs objects: the fake answers 501
    entry = report.entry("conn_w", "wms_order_packs")
    assert entry.status == "capability_gap" and entry.http_status == 501 and not report.failed
    assert len([s for s in fake.server.seen if s.path.endswith("/packs")]) <= 2


# ---------------------------------------------------------------------------- access tokens


def test_a_listed_connection_without_token_needs_it_configured_and_the_others_run(fake, tmp_path):
    fake.connections.append(
        {"connection_id": "conn_x", "integration_type": "cart", "integration_name": "shopify"}
    )
    report = run(fake, tmp_path)
    entry = report.entry("conn_x", "connection")
    assert report.failed and entry.status == "failed"
    assert "needs its access token configured" in entry.message
    assert "sources.trackstar.access_tokens" in entry.message
    assert report.entry("conn_w", "wms_orders").status == "ok"
    assert query(
        tmp_path,
        "select connection_id, resource, status from trackstar_raw.sync_log "
        "where connection_id = 'conn_x'",
    ) == [("conn_x", "connection", "failed")]
