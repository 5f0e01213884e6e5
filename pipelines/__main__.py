"""`python -m pipelines <command>`: one entry point for every command people type."""

from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "simulator": ("pipelines.simulator.cli", "serve the local Trackstar simulator"),
    "run": ("pipelines.run", "extract every connection into DuckDB, then dbt build and publish"),
    "demo": (
        "pipelines.demo",
        "simulator, hourly runs for a simulated day, a day without runs, a scheduled run",
    ),
    "freshness": (
        "pipelines.freshness",
        "dbt source freshness, then how old each connection's data is at Trackstar and here",
    ),
    "publish": ("pipelines.publish", "copy the analytics schema into the read-only file"),
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"} or argv[0] not in COMMANDS:
        print("usage: python -m pipelines <command> [options]\n\ncommands:")
        for name, (_, help_text) in COMMANDS.items():
            print(f"  {name:<10} {help_text}")
        return 0 if argv and argv[0] in {"-h", "--help"} else 2
    module = importlib.import_module(COMMANDS[argv[0]][0])
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
