"""Code versions follow the files they are computed from."""

from __future__ import annotations

import shutil
from pathlib import Path

from etl.fingerprint import files_fingerprint, glob_all
from etl.lake.fingerprint import SOURCES, lake_code_version

ETL = Path(__file__).resolve().parent.parent / "etl"


def test_a_registry_edit_changes_the_fingerprint(tmp_path):
    registries = tmp_path / "registries"
    shutil.copytree(ETL / "registries", registries)
    before = files_fingerprint(glob_all(registries, ["*.yaml"]))
    assert before == files_fingerprint(glob_all(registries, ["*.yaml"]))
    topics = registries / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert files_fingerprint(glob_all(registries, ["*.yaml"])) != before


def test_the_lake_code_version_covers_parser_and_registries():
    covered = {p.relative_to(ETL).as_posix() for p in glob_all(ETL, SOURCES)}
    assert {"dumps/parse.py", "dumps/attribution.py", "registries/topics.yaml"} <= covered
    assert lake_code_version() == files_fingerprint(glob_all(ETL, SOURCES))
