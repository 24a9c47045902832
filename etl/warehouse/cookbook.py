"""Refresh the outputs pasted in README.md by running each ```sql block through the `duckdb` CLI.

    .venv/bin/python -m etl.warehouse.cookbook README.md data/warehouse.duckdb

Every ```sql block immediately followed by a ```text block gets that text block replaced with what the CLI
prints for the query (read-only, so it works while a build runs). Exits 1 when a query fails.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

CLI = Path(sys.executable).parent / "duckdb"
BLOCK = re.compile(r"```sql\n(?P<sql>.*?)```\n+```text\n(?P<out>.*?)```", re.S)


def run_query(warehouse: Path, sql: str) -> str:
    done = subprocess.run(
        [str(CLI), "-readonly", str(warehouse), "-c", ".maxwidth 110", "-c", sql],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"query failed: {done.stderr.strip()}\n{sql}")
    return done.stdout


def refresh(markdown: Path, warehouse: Path) -> int:
    text = markdown.read_text(encoding="utf-8")

    def replace(match: re.Match) -> str:
        output = run_query(warehouse, match["sql"])
        return f"```sql\n{match['sql']}```\n\n```text\n{output}```"

    new, count = BLOCK.subn(replace, text)
    markdown.write_text(new, encoding="utf-8")
    return count


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        count = refresh(Path(argv[0]), Path(argv[1]))
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"refreshed {count} outputs in {argv[0]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
