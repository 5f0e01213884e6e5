"""`make demo` end to end, and the README's example queries return what the README says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines import settings
from pipelines.demo import EXAMPLE_QUERIES, demo_paths, format_result

pytestmark = pytest.mark.e2e

README = settings.ROOT / "README.md"


def readme_examples() -> list[tuple[str, str]]:
    """(sql, expected result) pairs: a ```sql block followed by a ```text block."""
    text = README.read_text()
    return [
        (sql.strip(), result.rstrip())
        for sql, result in re.findall(r"```sql\n(.*?)```\s*```text\n(.*?)```", text, re.S)
    ]


def test_readme_shows_the_demo_queries() -> None:
    shown = [sql for sql, _ in readme_examples()]
    assert shown == [sql.strip() for sql in EXAMPLE_QUERIES.values()]


def test_demo_runs_from_scratch_and_readme_results_match(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pipelines", "demo", "--data-dir", str(tmp_path)],
        cwd=settings.ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    warehouse, published = demo_paths(tmp_path)
    assert warehouse.exists() and published.exists()
    assert str(published) in result.stdout  # it says where the warehouse is

    con = duckdb.connect(str(published), read_only=True)
    for sql, expected in readme_examples():
        actual = format_result(con, sql)
        assert actual == expected, f"README result differs for:\n{sql}\n--- got\n{actual}"
        assert actual in result.stdout  # the demo printed the same result
    con.close()
