"""Code versions are explicit: a comment edit changes none, a registry edit (data a user edits) changes both
the lake's and the warehouse's, and each asset carries its version."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from etl.fingerprint import combine, registries_fingerprint
from etl.lake.fingerprint import lake_code_version
from etl.lake.stage import parser_version
from etl.warehouse import build

ETL = Path(__file__).resolve().parent.parent / "etl"
PROBE = (
    "import json; from etl.lake.fingerprint import lake_code_version; from etl.lake.stage import "
    "parser_version; from etl.warehouse.build import code_version; "
    "print(json.dumps([parser_version(), lake_code_version(), code_version()]))"
)


def versions_of(tree: Path) -> list[str]:
    """(parser, lake, warehouse) code versions of the etl package copied into `tree`, in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tree, env={"PYTHONPATH": str(tree)}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_a_comment_edit_changes_no_code_version_and_a_registry_edit_changes_them(tmp_path):
    shutil.copytree(ETL, tmp_path / "etl", ignore=shutil.ignore_patterns("__pycache__"))
    before = versions_of(tmp_path)
    for source in ("dumps/parse.py", "lake/build.py", "warehouse/keywords.py"):
        path = tmp_path / "etl" / source
        path.write_text(path.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    sql = tmp_path / "etl" / "warehouse" / "sql" / "01_articles.sql"
    sql.write_text(sql.read_text(encoding="utf-8") + "\n-- a comment\n", encoding="utf-8")
    assert versions_of(tmp_path) == before

    topics = tmp_path / "etl" / "registries" / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + "\n# edited by a user\n", encoding="utf-8")
    after = versions_of(tmp_path)
    assert all(a != b for a, b in zip(after, before, strict=True))  # parser, lake and warehouse all changed


def test_versions_are_made_of_the_version_strings_and_the_registries():
    assert build.code_version() == combine(build.WAREHOUSE_VERSION, registries_fingerprint())
    assert lake_code_version() != parser_version()  # the lake's also covers its build and schemas
