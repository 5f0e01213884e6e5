"""Where the warehouse lives. One place, so dlt, dbt, publish and the run lock always agree."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DUCKDB_PATH = "data/trackstar.duckdb"
DEFAULT_ANALYTICS_PATH = "data/analytics.duckdb"
RAW_DATASET = "trackstar_raw"
PIPELINE_NAME = "trackstar"


def _resolve(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (ROOT / path)


def duckdb_path() -> Path:
    """The warehouse file (`TRACKSTAR_DUCKDB_PATH`), absolute."""
    return _resolve(os.environ.get("TRACKSTAR_DUCKDB_PATH") or DEFAULT_DUCKDB_PATH)


def analytics_path() -> Path:
    """The published read-only copy for BI tools (`TRACKSTAR_ANALYTICS_PATH`), absolute."""
    return _resolve(os.environ.get("TRACKSTAR_ANALYTICS_PATH") or DEFAULT_ANALYTICS_PATH)


def pipelines_dir(warehouse: Path | None = None) -> Path:
    """dlt's local working state, kept next to the warehouse file it belongs to.

    Tying it to the file means pointing a run at another warehouse never reuses (or corrupts)
    the cursors of this one.
    """
    warehouse = warehouse or duckdb_path()
    return warehouse.parent / f".{warehouse.name}.dlt"


def dbt_target_dir(warehouse: Path | None = None) -> Path:
    """dbt's target folder for one warehouse (compiled SQL, run results, the parsed project),
    next to the warehouse file.

    dbt reuses its parsed project only while the profile is unchanged, and the profile holds the
    warehouse path: one target/ shared by two warehouses (the demo's and yours, tests in
    parallel) made dbt parse the whole project again at every switch, about 6 s per command.
    """
    warehouse = warehouse or duckdb_path()
    return warehouse.parent / f".{warehouse.name}.dbt"
