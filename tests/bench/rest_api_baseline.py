"""The baseline: dlt's `rest_api` source, as a data engineer configures it in an afternoon.

One endpoint (`/wms/orders` of one connection) with what the API needs and nothing tuned: the
two auth headers, Trackstar's cursor pagination (`next_token` -> `page_token`), 1000 records a
page, incremental on `trackstar_updated_date` with its `[gte]` filter and merge on `id` (what
this project does). Everything else is dlt's default: its normalizer, the DuckDB loader's file
format, one worker. `make bench` runs it on the same simulator data as this project.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dlt
from dlt.sources.rest_api import rest_api_source

DATASET = "trackstar_raw"
EARLIEST = "2000-01-01T00:00:00Z"  # a first load reads the whole history


def config(base_url: str, api_key: str, access_token: str) -> dict[str, Any]:
    """The `rest_api` configuration of `/wms/orders` for one access token."""
    return {
        "client": {
            "base_url": base_url,
            "headers": {
                "x-trackstar-api-key": api_key,
                "x-trackstar-access-token": access_token,
            },
            "paginator": {
                "type": "cursor",
                "cursor_path": "next_token",
                "cursor_param": "page_token",
            },
        },
        "resources": [
            {
                "name": "wms_orders",
                "primary_key": "id",
                "write_disposition": "merge",
                "endpoint": {
                    "path": "wms/orders",
                    "data_selector": "data",
                    "params": {
                        "limit": 1000,
                        "trackstar_updated_date[gte]": {
                            "type": "incremental",
                            "cursor_path": "trackstar_updated_date",
                            "initial_value": EARLIEST,
                        },
                    },
                },
            }
        ],
    }


def run(base_url: str, api_key: str, access_token: str, warehouse: Path) -> None:
    """A full load of `/wms/orders` into `warehouse` (schema `trackstar_raw`)."""
    pipeline = dlt.pipeline(
        pipeline_name="bench_rest_api",
        pipelines_dir=str(warehouse.parent / "dlt_pipelines"),
        destination=dlt.destinations.duckdb(str(warehouse)),
        dataset_name=DATASET,
    )
    pipeline.run(rest_api_source(config(base_url, api_key, access_token)))
