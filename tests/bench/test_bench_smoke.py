"""`make bench` in small (a few thousand orders, two customers, no dbt): the instrument works.

No timing is asserted (the machine is shared); what is asserted is that every load stored the
simulator's orders, the three loads of the same pages agree on the root table, the rate-limited
load used every token, both loads behind a slow server stored every order, and the JSON and
Markdown results were written. The dbt section is not
run here: at any size it costs a full and an incremental build (~40 s on 2 cores), which the
end-to-end tests already run.
"""

from __future__ import annotations

import json

import pytest

from pipelines.trackstar.source import DEFAULT_WINDOWS
from tests.bench.bench import KINDS, bench

pytestmark = pytest.mark.e2e


def test_bench_smoke(tmp_path):
    results = bench(
        tmp_path,
        sections=("landing", "tokens", "latency"),
        orders=1500,
        customers=2,
        multi_orders=100,
        latency_orders=1500,
        command="pytest smoke",
        echo=lambda _line: None,
    )

    land = results["landing"]
    for kind in KINDS:
        run = land["runs"][kind]
        assert run["tables"]["wms_orders"] == 1500, kind  # every order, once
        assert run["rows"] > 1500 and run["rows_per_second"] > 0 and run["peak_rss_mb"] > 0
    project, rest_api, floor = (land["runs"][kind]["tables"] for kind in KINDS)
    # the same child tables (this project keeps free-form trackstar_tags as JSON, not rows)
    assert (
        set(project)
        == set(rest_api) - {"wms_orders__trackstar_tags"}
        == set(floor) - {"wms_orders__trackstar_tags"}
    )
    assert project == {table: rest_api[table] for table in project}
    assert project == {table: floor[table] for table in project}
    assert land["project_over_rest_api"] > 0 and land["project_over_floor"] > 0

    tok = results["tokens"]
    assert tok["ok"] and tok["tokens"] == 6  # 2 customers x (WMS, cart, carrier)
    assert all(t["requests"] > 0 and t["requests_per_second"] > 0 for t in tok["per_token"])
    assert sorted(t["integration_type"] for t in tok["per_token"]) == [
        "carrier",
        "carrier",
        "cart",
        "cart",
        "wms",
        "wms",
    ]
    assert tok["by_resource"]["wms_orders"]["requests"] >= 2 and tok["rows"] > 0

    lat = results["latency"]
    assert set(lat["runs"]) == {1, DEFAULT_WINDOWS}
    for run in lat["runs"].values():
        assert run["ok"] and run["tables"]["wms_orders"] == 1500  # every order, once
        assert run["requests"] >= 2 and run["rate_limited"] == 0

    written = json.loads((tmp_path / "latest.json").read_text())
    assert written["landing"]["runs"]["project"]["tables"] == project
    assert written["machine"]["nproc"] >= 1 and written["machine"]["dlt"]
    table = (tmp_path / "latest.md").read_text()
    assert "| this project |" in table and "| wms |" in table and "pytest smoke" in table
