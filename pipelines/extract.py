"""Extract Trackstar into the raw DuckDB warehouse: settings, the dlt pipeline, the run report.

`extract()` is what `python -m pipelines run` and the demo call. It first finishes whatever a
killed run left behind (dlt keeps extracted and normalized packages, with the cursors that
belong to them, in the pipeline's working directory next to the warehouse) and removes the
uncommitted extract folders of killed runs, then extracts every connection concurrently,
normalizes and loads, and returns a `RunReport`.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import logging
import re
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dlt
import pendulum
from dlt.common.configuration.exceptions import ConfigurationException
from dlt.common.runtime.collector import NULL_COLLECTOR

from pipelines import settings
from pipelines.trackstar import deletions, duckdb_jsonl
from pipelines.trackstar.client import (
    DEFAULT_BASE_URL,
    GET_RATE_PER_SECOND,
    PAGE_SIZE,
    ConnectionFailed,
    RetryPolicy,
    TrackstarClient,
    TrackstarError,
)
from pipelines.trackstar.endpoints import BY_TABLE, ENDPOINTS
from pipelines.trackstar.progress import make_progress
from pipelines.trackstar.report import RunReport, SyncEntry
from pipelines.trackstar.source import (
    DEFAULT_FALLBACK_LAG_SECONDS,
    DEFAULT_PACKS_MAX_REQUESTS,
    DEFAULT_PAGES_PER_PACKAGE,
    DEFAULT_WINDOWS,
    UnknownConnection,
    resource_name,
    trackstar_source,
)

__all__ = [
    "ConfigurationError",
    "RunReport",
    "SourceSettings",
    "SyncEntry",
    "extract",
    "load_source_settings",
    "make_pipeline",
]

log = logging.getLogger("pipelines.extract")

SECTION = "sources.trackstar"
DEFAULT_LAG_SECONDS = 3600
MAX_EXTRACT_WORKERS = 32
M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)
MALLOC_ARENAS = 2
# jsonl, loaded by read_json with the table's column types (see trackstar/duckdb_jsonl.py):
# exact, and ~7x faster than dlt's default INSERT VALUES for DuckDB
LOADER_FILE_FORMAT = "jsonl"
duckdb_jsonl.install()


class ConfigurationError(Exception):
    """The settings are missing or wrong; nothing was extracted."""


class _ExpectedDltWarnings(logging.Filter):
    """Two dlt warnings that say what this pipeline does on purpose; they only bury the lines
    that matter:
    - all-null fields (address2, lot_id, ...) got no column yet (it appears with the first value);
    - an Arrow table's own column hints (decimal and timestamp precision, nullability) differ
      from the schema's, which dlt keeps: the pages that land as Arrow tables are typed by the
      schema (arrow_rows.py), and DuckDB casts to it on load.
    """

    EXPECTED = (
        "did not receive any data during this load",
        "when merging arrow schema with dlt schema, several column hints were different",
    )

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(expected in message for expected in self.EXPECTED)


logging.getLogger("dlt").addFilter(_ExpectedDltWarnings())


# ----------------------------------------------------------------------------------- settings


def _plain(value: Any) -> Any:
    """tomlkit containers -> plain dict/list; env strings holding JSON -> parsed."""
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if text[0] in "[{":
            try:
                return _plain(json.loads(text))
            except ValueError as exc:
                raise ConfigurationError(
                    f"{SECTION}.access_tokens is not valid JSON ({exc.msg}); give a list "
                    '["token", ...] or a table {"connection_id": "token"}'
                ) from None
        return [t for t in text.replace(",", " ").split() if t]
    if isinstance(value, Sequence):
        return [str(v) for v in value]
    return value


def parse_access_tokens(value: Any) -> list[str] | dict[str, str] | None:
    """A list of tokens, or a table connection id -> token, from toml or an env variable."""
    if value is None:
        return None
    tokens = _plain(value)
    if tokens is not None and not isinstance(tokens, list | dict):
        raise ConfigurationError(
            f"{SECTION}.access_tokens must be a list of tokens or a table id -> token"
        )
    return tokens or None


@dataclass(frozen=True)
class SourceSettings:
    """The `[sources.trackstar]` settings; secrets are kept out of the repr."""

    base_url: str = DEFAULT_BASE_URL
    api_key: str = field(default="", repr=False)
    access_tokens: list[str] | dict[str, str] | None = field(default=None, repr=False)
    lag_seconds: int = DEFAULT_LAG_SECONDS
    start_date: pendulum.DateTime | None = None
    fallback_lag_seconds: int = DEFAULT_FALLBACK_LAG_SECONDS
    packs: bool = True
    packs_max_requests: int = DEFAULT_PACKS_MAX_REQUESTS
    pages_per_package: int = DEFAULT_PAGES_PER_PACKAGE
    windows: int = DEFAULT_WINDOWS
    # GET requests per second and access token; 0: not paced (a local simulator without limit)
    rate_per_second: int = GET_RATE_PER_SECOND

    def secrets(self) -> list[str]:
        """Every secret value, for log redaction."""
        tokens = self.access_tokens or []
        values = tokens.values() if isinstance(tokens, dict) else tokens
        return [s for s in (self.api_key, *values) if s]

    def as_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of `extract()`."""
        return {
            "base_url": self.base_url,
            "api_key": self.api_key,
            "access_tokens": self.access_tokens,
            "lag_seconds": self.lag_seconds,
            "start_date": self.start_date,
            "fallback_lag_seconds": self.fallback_lag_seconds,
            "packs": self.packs,
            "packs_max_requests": self.packs_max_requests,
            "pages_per_package": self.pages_per_package,
            "windows": self.windows,
            "rate_per_second": self.rate_per_second or None,
        }


MISSING_KEY = (
    "no Trackstar API key. Set api_key under [sources.trackstar] in .dlt/secrets.toml "
    "(copy .dlt/secrets.toml.example) or the environment variable SOURCES__TRACKSTAR__API_KEY. "
    "`make demo` runs without one, against the local simulator."
)


def _setting(name: str, secret: bool = False) -> Any:
    """One value from .dlt/*.toml or the environment; an unreadable toml file is a bad setting."""
    try:
        return (dlt.secrets if secret else dlt.config).get(name)
    except ConfigurationException as exc:  # e.g. a syntax error in .dlt/secrets.toml
        raise ConfigurationError(f"cannot read the settings: {exc}") from None


def _whole_number(value: Any, name: str, minimum: int) -> int:
    """An integer setting of at least `minimum`: toml gives an int, float or bool, env a string."""
    try:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError(value)
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigurationError(f"{name} must be an integer, got {value!r}") from None
    if number < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, got {value!r}")
    return number


def load_source_settings() -> SourceSettings:
    """Read `[sources.trackstar]` the dlt way: .dlt/*.toml and SOURCES__TRACKSTAR__* variables."""
    api_key = _setting(f"{SECTION}.api_key", secret=True)
    if not api_key or not str(api_key).strip():
        raise ConfigurationError(MISSING_KEY)
    base_url = str(_setting(f"{SECTION}.base_url") or DEFAULT_BASE_URL).strip()
    if not base_url.startswith(("https://", "http://")):
        raise ConfigurationError(f"{SECTION}.base_url must be an http(s) URL, got {base_url!r}")
    tokens = _setting(f"{SECTION}.access_tokens", secret=True)
    start = _setting(f"{SECTION}.start_date")
    return SourceSettings(
        base_url=base_url,
        api_key=str(api_key).strip(),
        access_tokens=parse_access_tokens(tokens),
        lag_seconds=_number_setting("lag_seconds", DEFAULT_LAG_SECONDS, minimum=0),
        start_date=_parse_date(start, f"{SECTION}.start_date"),
        fallback_lag_seconds=_number_setting(
            "fallback_lag_seconds", DEFAULT_FALLBACK_LAG_SECONDS, minimum=0
        ),
        packs=_flag_setting("packs", default=True),
        packs_max_requests=_number_setting(
            "packs_max_requests", DEFAULT_PACKS_MAX_REQUESTS, minimum=0
        ),
        pages_per_package=_number_setting(
            "pages_per_package", DEFAULT_PAGES_PER_PACKAGE, minimum=0
        ),
        windows=_number_setting("windows", DEFAULT_WINDOWS, minimum=1),
        rate_per_second=_number_setting("rate_per_second", GET_RATE_PER_SECOND, minimum=0),
    )


def _number_setting(name: str, default: int, minimum: int) -> int:
    value = _setting(f"{SECTION}.{name}")
    if value in (None, ""):
        return default
    return _whole_number(value, f"{SECTION}.{name}", minimum=minimum)


def _flag_setting(name: str, default: bool) -> bool:
    """A true/false setting: toml gives a bool, an environment variable a string."""
    value = _setting(f"{SECTION}.{name}")
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise ConfigurationError(f"{SECTION}.{name} must be true or false, got {value!r}")


def _parse_date(value: Any, what: str) -> pendulum.DateTime | None:
    if value in (None, ""):
        return None
    try:
        parsed = pendulum.parse(str(value), tz="UTC")
    except (ValueError, pendulum.parsing.exceptions.ParserError):
        raise ConfigurationError(f"{what}: not an ISO date or timestamp: {value!r}") from None
    if not isinstance(parsed, pendulum.DateTime):  # a bare date
        parsed = pendulum.datetime(parsed.year, parsed.month, parsed.day, tz="UTC")
    return parsed.in_timezone("UTC")


# ----------------------------------------------------------------------------------- pipeline


def make_pipeline(duckdb_path: Path | None = None) -> dlt.Pipeline:
    """The dlt pipeline writing `trackstar_raw` in the warehouse file.

    Its working directory (state, pending packages) sits next to the warehouse file, so two
    warehouses never share cursors.
    """
    path = Path(duckdb_path or settings.duckdb_path()).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return dlt.pipeline(
        pipeline_name=settings.PIPELINE_NAME,
        pipelines_dir=str(settings.pipelines_dir(path)),
        destination=dlt.destinations.duckdb(str(path)),
        dataset_name=settings.RAW_DATASET,
        progress=NULL_COLLECTOR,
    )


# dlt writes each extract's packages in normalize/<uniq_id(8)>/ and moves them to
# normalize/extracted/ when committed; a killed extract leaves its folder there for good
EXTRACT_FOLDER = re.compile(r"[0-9a-f]{16}")


@contextmanager
def working_dir_claim(pipeline: dlt.Pipeline) -> Iterator[None]:
    """Hold a shared lock on the pipeline's working directory for a whole run.

    Every run holds it and the kernel drops it when a run dies, so a run that gets it
    exclusively knows that no other run is alive: what runs left in the working directory
    then belongs to dead ones and is removed. With another run alive, nothing is removed.
    """
    lock_path = Path(pipeline.pipelines_dir) / f".{pipeline.pipeline_name}.lock"
    with open(lock_path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("another run uses %s: its working files are left alone", lock_path.parent)
        else:
            remove_dead_runs_files(Path(pipeline.working_dir))
        fcntl.flock(handle, fcntl.LOCK_SH)
        yield


def dead_runs_files(working_dir: Path) -> list[Path]:
    """The uncommitted extract folders killed runs left in dlt's working directory.

    Their cursors were never committed, so the next run reads those records again; no run
    reads the folder. Committed packages waiting in `normalize/extracted` or `load/normalized`
    are data and never listed: `finish_pending` loads or drops them. (dlt itself replaces the
    `load/new` folder a run killed while normalizing leaves, when it normalizes that package
    again.)
    """
    normalize = working_dir / "normalize"
    if not normalize.is_dir():
        return []
    return sorted(p for p in normalize.iterdir() if p.is_dir() and EXTRACT_FOLDER.fullmatch(p.name))


def remove_dead_runs_files(working_dir: Path) -> None:
    """Remove what killed runs left in the working directory (call with no other run alive)."""
    for path in dead_runs_files(working_dir):
        shutil.rmtree(path)
        log.info("removed %s, left by a run that was killed while extracting", path)


def finish_pending(pipeline: dlt.Pipeline, report: RunReport | None = None) -> list[str]:
    """Normalize and load packages a killed run left behind; returns their load ids.

    A package that cannot be loaded (a job failed for good) is dropped rather than retried by
    every later run: its cursors were never committed (they travel in the package), so this
    run reads the same records again, and what cannot land is then set aside record by record.
    """
    if not pipeline.has_pending_data:
        return []
    log.info("loading packages left by an interrupted run first")
    try:
        if pipeline.list_extracted_load_packages():
            pipeline.normalize()
        if pipeline.list_normalized_load_packages():
            info = pipeline.load()
            info.raise_on_failed_jobs()
            return list(info.loads_ids)
    except Exception as exc:
        log.error(
            "a package left by an earlier run cannot be loaded (%s); dropped, its records are "
            "read again from the committed cursors",
            _first_line(exc),
        )
        pipeline.abort_packages()
        if report is not None:
            report.dropped_packages += 1
    return []


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


PACKS_REREAD_WINDOW = "3 day"  # covers the cursor's lag (and the fallback's) re-reading orders
Backlog = dict[str, list[tuple[str, Any]]]
ReadVersions = dict[str, set[tuple[str, int]]]


def packs_history(pipeline: dlt.Pipeline, limit: int) -> tuple[Backlog, ReadVersions]:
    """What earlier runs left for the packs reads, per connection, from one look at the warehouse:

    - the backlog: orders loaded by earlier runs that reached packing but whose packs were not
      read for their current version (over an earlier run's budget, or a failed read), newest
      first, at most `limit`;
    - the recent reads, (order id, version as epoch seconds): an order the cursor's lag reads
      again at the same version needs no second request.
    """
    followers = [e for e in ENDPOINTS if e.follows is not None]
    backlog: Backlog = {}
    read: ReadVersions = {}
    if not followers:
        return backlog, read
    with pipeline.sql_client() as client:
        existing = deletions.table_columns(client, pipeline.dataset_name)
        for endpoint in followers:
            follow = endpoint.follows
            assert follow is not None
            target = client.make_qualified_table_name(endpoint.table)
            key, version = follow.key_column, follow.version_column
            has_reads = {key, version} <= existing.get(endpoint.table, set())
            if has_reads:
                rows = client.execute_sql(
                    f"select connection_id, {key}, epoch({version})::bigint "
                    f"from {target} where {version} is not null qualify {version} >= "
                    f"max({version}) over (partition by connection_id) - "
                    f"interval '{PACKS_REREAD_WINDOW}'"
                )
                for connection_id, order_id, seconds in rows:
                    read.setdefault(connection_id, set()).add((str(order_id), int(seconds)))
            needed = {"connection_id", "id", follow.status_field, "trackstar_updated_date"}
            if limit <= 0 or not needed <= existing.get(follow.parent, set()):
                continue
            parent = client.make_qualified_table_name(follow.parent)
            statuses = ", ".join("'" + s.replace("'", "''") + "'" for s in follow.statuses)
            done = ""
            if has_reads:
                done = (
                    f"and not exists (select 1 from {target} as done where "
                    f"done.connection_id = parent.connection_id and done.{key} = "
                    f"parent.id and done.{version} >= parent.trackstar_updated_date)"
                )
            rows = client.execute_sql(
                f"select connection_id, id, trackstar_updated_date from {parent} as parent "
                f"where {follow.status_field} in ({statuses}) {done} "
                "qualify row_number() over (partition by connection_id "
                "order by trackstar_updated_date desc) <= %s",
                limit,
            )
            for connection_id, order_id, order_version in rows:
                backlog.setdefault(connection_id, []).append((order_id, order_version))
    return backlog, read


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> None:
    """Let the process's threads share `arenas` glibc heaps instead of up to 8 per core.

    glibc gives threads that allocate at once their own arena, and memory freed in an arena
    stays with it: with the extract, prefetch and load threads of a long load, the peak grew
    with every step. Measured at 180,000 orders (`tests/bench/landing.py project`): a peak of
    534 MB against 585 MB, no slower. Same as MALLOC_ARENA_MAX=2; a no-op without glibc."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_ARENA_MAX, arenas)
    except (OSError, AttributeError):
        pass


def _configured_workers(resource_count: int) -> int:
    configured = _setting("extract.workers")
    if configured in (None, ""):
        # one worker per resource up to a cap: each resource fetches one page at a time
        return max(5, min(MAX_EXTRACT_WORKERS, resource_count))
    return _whole_number(configured, "extract.workers (EXTRACT__WORKERS)", minimum=1)


def _trackstar_cause(exc: BaseException) -> TrackstarError | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, TrackstarError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _extract_package(
    pipeline: dlt.Pipeline,
    source_args: dict[str, Any],
    continuing: set[tuple[str, str]] | None,
) -> None:
    """Extract one load package: every selected resource, or the listings in `continuing`."""
    try:
        source = trackstar_source(**source_args)
    except (UnknownConnection, ValueError) as exc:
        raise ConfigurationError(str(exc)) from None
    except ConnectionFailed as exc:
        if exc.connection_id is not None:
            raise
        # GET /connections refused the organisation key itself
        raise ConfigurationError(f"{exc}; check {SECTION}.api_key") from None
    if continuing is not None:
        source = source.with_resources(*(resource_name(t, c) for c, t in sorted(continuing)))
    workers = _configured_workers(len(source.resources))
    try:
        pipeline.extract(
            source,
            workers=workers,
            max_parallel_items=workers,
            loader_file_format=LOADER_FILE_FORMAT,
        )
    except Exception as exc:
        cause = _trackstar_cause(exc)
        if cause is not None:  # a 422: name the connection, endpoint, parameter
            raise cause from None
        raise


def _normalize_and_load(pipeline: dlt.Pipeline) -> list[str]:
    """Normalize and load what was extracted; the load ids."""
    started = time.monotonic()
    pipeline.normalize()
    normalized = time.monotonic()
    load_info = pipeline.load()
    log.info(
        "normalized in %.1fs, loaded in %.1fs",
        normalized - started,
        time.monotonic() - normalized,
    )
    load_info.raise_on_failed_jobs()
    return list(load_info.loads_ids)


def extract(
    *,
    base_url: str = DEFAULT_BASE_URL,
    api_key: str,
    access_tokens: Sequence[str] | Mapping[str, str] | None = None,
    connections: list[str] | None = None,
    resources: list[str] | None = None,
    backfill: tuple[str, str, pendulum.DateTime] | None = None,
    lag_seconds: int = DEFAULT_LAG_SECONDS,
    start_date: pendulum.DateTime | str | None = None,
    fallback_lag_seconds: int = DEFAULT_FALLBACK_LAG_SECONDS,
    packs: bool = True,
    packs_max_requests: int = DEFAULT_PACKS_MAX_REQUESTS,
    pages_per_package: int = DEFAULT_PAGES_PER_PACKAGE,
    windows: int = DEFAULT_WINDOWS,
    reconcile: bool = False,
    duckdb_path: Path | None = None,
    progress: bool | None = None,
    retry: RetryPolicy | None = None,
    rate_per_second: int | None = GET_RATE_PER_SECOND,
    timeout: float = 60.0,
    page_size: int = PAGE_SIZE,
) -> RunReport:
    """Extract and load every connection (or `connections`, `resources`) into `trackstar_raw`.

    Failing connections are recorded in the report and `sync_log` and do not stop the others;
    a 422 (a bug in this code) raises. `backfill=(connection_id, resource, since)` re-reads one
    resource of one connection from `since`. `reconcile`: also list every key of the
    incremental resources and mark what Trackstar no longer has (`deleted_records`).
    `progress=None`: a live display on a terminal, log lines otherwise.
    `rate_per_second`: GET requests per second and access token (None: not paced).
    """
    if not api_key:
        raise ConfigurationError(MISSING_KEY)
    unknown = sorted(set(resources or ()) - set(BY_TABLE))
    if unknown:
        raise ConfigurationError(f"unknown resources {unknown}; known: {sorted(BY_TABLE)}")
    if backfill is not None:
        if len(backfill) != 3 or backfill[1] not in BY_TABLE:
            raise ConfigurationError(
                "backfill needs (connection_id, resource, since) with a known resource"
            )
        backfill = (backfill[0], backfill[1], _parse_date(backfill[2], "backfill since"))
    start_date = _parse_date(start_date, "start_date") if start_date else None

    limit_malloc_arenas()  # before the threads start
    pipeline = make_pipeline(duckdb_path)
    with working_dir_claim(pipeline):
        pipeline.sync_destination()
        report = RunReport()
        report.load_ids += finish_pending(pipeline, report)
        backlog, read = packs_history(pipeline, packs_max_requests) if packs else ({}, {})
        baseline = deletions.read_baseline(pipeline, reconcile)

        with (
            TrackstarClient(
                base_url,
                api_key,
                rate_per_second=rate_per_second,
                retry=retry,
                timeout=timeout,
                page_size=page_size,
            ) as client,
            make_progress(progress) as display,
        ):
            report.clock = client.server_now
            source_args = {
                "base_url": base_url,
                "api_key": api_key,
                "access_tokens": access_tokens,
                "connection_ids": connections,
                "tables": resources,
                "lag_seconds": lag_seconds,
                "start_date": start_date,
                "backfill": backfill,
                "fallback_lag_seconds": fallback_lag_seconds,
                "packs": packs,
                "packs_max_requests": packs_max_requests,
                "packs_backlog": backlog,
                "packs_read": read,
                "pages_per_package": pages_per_package,
                "windows": windows,
                "packs_spent": {},
                "baseline": baseline,
                "reconcile": reconcile,
                "client": client,
                "report": report,
                "progress": display,
            }
            continuing: set[tuple[str, str]] | None = None
            # one package, then one more for each step of the listings that stopped at
            # pages_per_package: each commits its rows with the state saying where to go on
            while continuing is None or continuing:
                _extract_package(pipeline, source_args, continuing)
                if continuing is None:
                    source_args["packs_backlog"] = {}  # read in the first package
                    source_args["backfill"] = None  # its listing's state says where it is
                report.load_ids += _normalize_and_load(pipeline)
                continuing = report.take_continuing()
            stats = client.stats
            report.http = {
                "requests": stats.requests,
                "retries": stats.retries,
                "rate_limited": stats.rate_limited,
                "waited_seconds": round(stats.waited_seconds, 1),
            }
        report.finished_at = pendulum.now("UTC")
        log.info(
            "extract finished: %d rows, %d pages in %.1fs%s",
            report.total_rows,
            report.total_pages,
            report.seconds,
            "; some connections FAILED" if report.failed else "",
        )
        return report
