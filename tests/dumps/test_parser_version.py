"""PARSER_VERSION changes whenever the parser's output does.

`etl parse --jsonl` over a fixed sample of the real corpus (SAMPLE_SIZE files picked by a fixed rule from
../shared/corpus/MANIFEST.tsv) is digested and kept in parser_digest.json with the parser version and the
registries' fingerprint it was taken with. Output that changes under the same version fails: the lake would
keep partitions parsed by other code and call them current.

Refresh after a deliberate change (and a bump of PARSER_VERSION in etl/dumps/__init__.py):
    PYTHONPATH=. .venv/bin/python tests/dumps/test_parser_version.py --refresh
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl.dumps import PARSER_VERSION
from etl.fingerprint import registries_fingerprint

REPO = Path(__file__).resolve().parent.parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
RECORD = Path(__file__).with_name("parser_digest.json")
SAMPLE_SIZE = 200
REFRESH = "PYTHONPATH=. .venv/bin/python tests/dumps/test_parser_version.py --refresh"

pytestmark = pytest.mark.corpus


def sample(corpus: Path = CORPUS) -> list[str]:
    """Every n-th file of MANIFEST.tsv in path order, SAMPLE_SIZE of them: spread over outlets, years and
    variants, and the same on every machine."""
    with open(corpus / "MANIFEST.tsv", encoding="utf-8") as fh:
        paths = sorted(line.split("\t", 1)[0] for line in list(fh)[1:] if line.strip())
    step = max(1, len(paths) // SAMPLE_SIZE)
    return paths[::step][:SAMPLE_SIZE]


def parse_digest(corpus: Path = CORPUS) -> str:
    """sha256 of `etl parse --jsonl` stdout over the sample, run in the corpus folder (relative paths)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-m", "etl.cli", "parse", "--jsonl", "--workers", "2", *sample(corpus)],
        cwd=corpus,
        env=env,
        capture_output=True,
        timeout=600,
        check=True,
    )
    assert done.stdout.count(b"\n") == SAMPLE_SIZE, done.stderr[-2000:]
    return hashlib.sha256(done.stdout).hexdigest()


def current() -> dict[str, str]:
    return {
        "parser_version": PARSER_VERSION,
        "registries": registries_fingerprint(),
        "digest": parse_digest(),
        "files": str(SAMPLE_SIZE),
    }


def test_parser_output_changes_only_with_a_version_bump():
    if not (CORPUS / "MANIFEST.tsv").is_file():
        pytest.skip(f"real corpus not found at {CORPUS} (it is read at test time, never copied)")
    kept = json.loads(RECORD.read_text(encoding="utf-8"))
    now = current()
    if kept["parser_version"] != now["parser_version"]:
        pytest.fail(
            f"PARSER_VERSION is {now['parser_version']!r}, the digest was taken at "
            f"{kept['parser_version']!r}: refresh it with `{REFRESH}`"
        )
    if now["digest"] != kept["digest"]:
        why = (
            "the registries changed since the digest was taken (they are versioned by content, so no bump is "
            "needed if only they changed)"
            if now["registries"] != kept["registries"]
            else "the parser's output changed"
        )
        pytest.fail(
            f"`etl parse --jsonl` over the corpus sample changed under PARSER_VERSION {PARSER_VERSION!r}: "
            f"{why}. If the parser's output changed, bump PARSER_VERSION in etl/dumps/__init__.py (the lake "
            f"then re-parses every file); then refresh the digest with `{REFRESH}`"
        )


def test_the_sample_is_fixed_and_spread():
    if not (CORPUS / "MANIFEST.tsv").is_file():
        pytest.skip(f"real corpus not found at {CORPUS}")
    picked = sample()
    assert picked == sample() and len(set(picked)) == SAMPLE_SIZE
    with open(CORPUS / "MANIFEST.tsv", encoding="utf-8") as fh:
        host = {row[0]: row[4] for row in (line.split("\t") for line in list(fh)[1:]) if len(row) > 4}
    assert len({host[p] for p in picked}) >= 8  # many outlets, not one


if __name__ == "__main__":
    if sys.argv[1:] != ["--refresh"]:
        sys.exit(f"usage: {REFRESH}")
    RECORD.write_text(json.dumps(current(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RECORD}")
