"""`make run`: one scheduled run. Lock, extract every connection, `dbt build`, publish.

Exit codes (documented in the README, cron and systemd act on them):
"""

from __future__ import annotations

import argparse
import fcntl
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pendulum

from pipelines import freshness, settings
from pipelines.publish import UnusablePath, check_target, is_duckdb_file, publish

log = logging.getLogger("pipelines.run")

EXIT_OK = 0
EXIT_CONNECTION_FAILED = 1  # some connection failed; the others were loaded, built and published
EXIT_CONFIG = 2  # bad configuration or arguments: nothing was run
EXIT_EXTRACT_FAILED = 3  # the extraction or load itself failed: nothing built or published
EXIT_DBT_FAILED = 4  # dbt build failed: the published file still holds the previous build
EXIT_PUBLISH_FAILED = 5  # publishing failed: the published file still holds the previous build
EXIT_LOCKED = 75  # another run holds the lock (EX_TEMPFAIL): nothing was done

EXIT_CODES = {
    EXIT_OK: "success",
    EXIT_CONNECTION_FAILED: "one or more connections failed; the others were loaded and published",
    EXIT_CONFIG: "configuration or usage error; nothing ran",
    EXIT_EXTRACT_FAILED: "extraction or load failed; nothing was built or published",
    EXIT_DBT_FAILED: "dbt build failed; the published file still holds the last good build",
    EXIT_PUBLISH_FAILED: "publishing failed; the published file still holds the last good build",
    EXIT_LOCKED: "another run is in progress; this one did nothing",
}
__doc__ = (__doc__ or "") + "\n".join(f"  {code:>3}  {text}" for code, text in EXIT_CODES.items())


class AlreadyRunning(RuntimeError):
    """Another run holds the warehouse lock."""


def check_paths(warehouse: Path, published: Path) -> None:
    """Refuse, before anything runs, paths that would lose data or cannot work."""
    if warehouse.exists() and not is_duckdb_file(warehouse):
        raise UnusablePath(
            f"TRACKSTAR_DUCKDB_PATH is {warehouse}, which exists and is not a DuckDB database "
            "file: refusing to use it"
        )
    check_target(warehouse, published)


@contextmanager
def run_lock(warehouse: Path) -> Iterator[Path]:
    """Hold an exclusive, non-blocking lock next to the warehouse for the whole run.

    `flock` is released by the kernel when the process dies, so a killed run never leaves a
    stale lock behind for the next cron tick.
    """
    lock_path = warehouse.parent / f".{warehouse.name}.lock"
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")  # noqa: SIM115 (closed by the with below)
    except OSError as exc:
        raise UnusablePath(
            f"cannot write next to the warehouse {warehouse} (TRACKSTAR_DUCKDB_PATH): "
            f"{exc.strerror or exc}"
        ) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise AlreadyRunning(
                f"another run is in progress on {warehouse} ({holder}); "
                f"this run exits without doing anything (lock file {lock_path})"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {pendulum.now('UTC').to_iso8601_string()}\n")
        handle.flush()
        try:
            yield lock_path
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def log_file_for_run(warehouse: Path) -> Path:
    """One log file per run, next to the warehouse, named by the UTC start time."""
    stamp = pendulum.now("UTC").format("YYYYMMDDTHHmmss")
    path = warehouse.parent / "logs" / f"run-{stamp}Z.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


class RedactSecrets(logging.Filter):
    """Last line of defence: no log line ever carries the API key or an access token."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 6]

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            for secret in self.secrets:
                message = message.replace(secret, "***")
            record.msg, record.args = message, None
        return True


class ConsoleFormatter(logging.Formatter):
    """An exception as one line on the console; its traceback goes to the run log only."""

    def format(self, record: logging.LogRecord) -> str:
        cached, record.exc_text = record.exc_text, None  # the log file formats it in full
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei) -> str:  # logging calls it by this name
        return f"{ei[0].__name__}: {ei[1]} (traceback in the run log)"


def configure_logging(log_path: Path, secrets: list[str]) -> None:
    redact = RedactSecrets(secrets)
    file_handler = logging.FileHandler(log_path, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    file_handler.addFilter(redact)
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(ConsoleFormatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    console.setLevel(logging.INFO)
    console.addFilter(redact)
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.handlers[:] = [file_handler]
    logging.getLogger("pipelines").addHandler(console)
    logging.getLogger("pipelines.dbt").setLevel(logging.DEBUG)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def dbt_command(*args: str) -> list[str]:
    """`dbt` from this environment, pointed at the project at the repository root."""
    dbt = Path(sys.executable).with_name("dbt")
    return [
        str(dbt),
        *args,
        "--project-dir",
        str(settings.ROOT),
        "--profiles-dir",
        str(settings.ROOT / "dbt_project"),
    ]


def dbt_env(warehouse: Path) -> dict[str, str]:
    """The environment of a dbt command on `warehouse`: its path and its own target folder."""
    return {
        **os.environ,
        "TRACKSTAR_DUCKDB_PATH": str(warehouse),
        "DBT_TARGET_PATH": str(settings.dbt_target_dir(warehouse)),
    }


def dbt_build_command(*extra: str, unit_tests: bool = False) -> list[str]:
    """The `dbt build` of a scheduled run.

    Unit tests check the models' logic, which no load changes: CI runs them (`make test`), the
    hourly run skips their nodes. The output goes to a log, not a terminal: no colour codes.
    """
    skip = [] if unit_tests else ["--exclude-resource-type", "unit_test"]
    return dbt_command("build", "--no-use-colors", *skip, *extra)


def dbt_build(warehouse: Path, extra: list[str] | None = None) -> bool:
    """Run `dbt build` on the warehouse; its full output goes to the run log."""
    env = dbt_env(warehouse)
    command = dbt_build_command(*(extra or []))
    started = time.monotonic()
    log.info("dbt build started%s", " (full refresh)" if "--full-refresh" in command else "")
    proc = subprocess.Popen(
        command,
        cwd=settings.ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    dbt_log = logging.getLogger("pipelines.dbt")  # DEBUG: to the run log, not the console
    tail: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        line = line.rstrip()
        dbt_log.debug("%s", line)
        tail = [*tail[-30:], line]
    ok = proc.wait() == 0
    seconds = time.monotonic() - started
    summary = next((t for t in reversed(tail) if "PASS=" in t), "")
    if ok:
        log.info("dbt build succeeded in %.1fs %s", seconds, summary.strip())
    else:
        log.error("dbt build FAILED in %.1fs; last lines:\n%s", seconds, "\n".join(tail))
    return ok


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines run",
        description=(
            "Extract every Trackstar connection into the DuckDB warehouse "
            f"(TRACKSTAR_DUCKDB_PATH, default {settings.DEFAULT_DUCKDB_PATH}), run `dbt build`, "
            "and publish the analytics schema to the read-only file for BI tools "
            f"(TRACKSTAR_ANALYTICS_PATH, default {settings.DEFAULT_ANALYTICS_PATH}). "
            "Credentials come from .dlt/secrets.toml or SOURCES__TRACKSTAR__API_KEY."
        ),
        epilog="exit codes:\n" + "\n".join(f"  {c:>3}  {t}" for c, t in EXIT_CODES.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--connection",
        action="append",
        metavar="CONNECTION_ID",
        help="only this connection (repeatable); default: every connection",
    )
    parser.add_argument(
        "--resource",
        action="append",
        metavar="TABLE",
        help="only this resource, by raw table name, e.g. wms_orders (repeatable)",
    )
    parser.add_argument(
        "--backfill-from",
        metavar="DATE",
        help=(
            "reset the cursor of ONE connection and ONE resource (give exactly one --connection "
            "and one --resource) and re-extract it from this ISO date, e.g. 2026-01-01"
        ),
    )
    parser.add_argument(
        "--reconcile",
        action="store_true",
        help=(
            "also list every id of every incremental resource (one request per 1000 records) "
            "and mark in deleted_records what Trackstar no longer has; e.g. weekly"
        ),
    )
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help=(
            "rebuild every dbt model from the raw tables and run every data test on every row "
            "(each run is otherwise incremental: marts recompute what the new loads touched and "
            "tests check the rows loaded since the last green build)"
        ),
    )
    parser.add_argument(
        "--no-build",
        action="store_true",
        help="extract and load only: skip dbt build and publish",
    )
    parser.add_argument(
        "--progress",
        choices=["auto", "on", "off"],
        default="auto",
        help="progress display: auto shows it on a terminal and plain log lines otherwise",
    )
    args = parser.parse_args(argv)
    if args.full_refresh and args.no_build:
        parser.error("--full-refresh rebuilds the dbt models: it cannot go with --no-build")
    if args.backfill_from:
        if len(args.connection or []) != 1 or len(args.resource or []) != 1:
            parser.error("--backfill-from needs exactly one --connection and one --resource")
        try:
            args.backfill_from = pendulum.parse(args.backfill_from, tz="UTC")
        except ValueError as exc:  # pendulum's ParserError is a ValueError
            parser.error(f"--backfill-from: not an ISO date: {args.backfill_from!r} ({exc})")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    from pipelines.extract import ConfigurationError, extract, load_source_settings

    try:
        source_settings = load_source_settings()
    except ConfigurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG

    warehouse = settings.duckdb_path()
    try:
        check_paths(warehouse, settings.analytics_path())
        with run_lock(warehouse):
            log_path = log_file_for_run(warehouse)
            configure_logging(log_path, source_settings.secrets())
            log.info("run started; warehouse %s; log %s", warehouse, log_path)
            return _run(args, source_settings, warehouse, extract)
    except AlreadyRunning as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except UnusablePath as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG


def _run(args: argparse.Namespace, source_settings, warehouse: Path, extract) -> int:
    from pipelines.extract import ConfigurationError

    backfill = None
    if args.backfill_from:
        backfill = (args.connection[0], args.resource[0], args.backfill_from)
    progress = {"auto": None, "on": True, "off": False}[args.progress]
    try:
        report = extract(
            **source_settings.as_kwargs(),
            connections=args.connection,
            resources=args.resource,
            backfill=backfill,
            reconcile=args.reconcile,
            duckdb_path=warehouse,
            progress=progress,
        )
    except ConfigurationError as exc:  # e.g. a --connection the organisation does not have
        log.error("error: %s; nothing was extracted", exc)
        return EXIT_CONFIG
    except Exception:
        log.exception(
            "extraction failed (Trackstar at %s); nothing was built or published",
            source_settings.base_url,
        )
        return EXIT_EXTRACT_FAILED
    print(report.render())
    code = EXIT_CONNECTION_FAILED if report.failed else EXIT_OK
    if args.no_build:
        return code
    if not dbt_build(warehouse, ["--full-refresh"] if args.full_refresh else None):
        return EXIT_DBT_FAILED
    try:  # Trackstar's syncs failing, stuck or late: shown, never a reason not to publish
        late = freshness.problems(warehouse)
    except Exception:
        log.exception("could not read the freshness of Trackstar's syncs; publishing anyway")
        late = ""
    if late:
        print(late)
        log.warning("some Trackstar syncs are failing, stuck or late (see above; make freshness)")
    try:
        published = publish(warehouse, settings.analytics_path())
    except Exception:
        log.exception("publishing failed; the published file still holds the last good build")
        return EXIT_PUBLISH_FAILED
    log.info("published %s", published)
    return code
