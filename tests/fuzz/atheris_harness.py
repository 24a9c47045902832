"""Coverage-guided fuzzing of parse_bytes with atheris (libFuzzer), beside the hypothesis tests and campaign.

    .venv/bin/pip install atheris==3.0.0    # not a project dependency
    mkdir -p /tmp/seeds && cp <a few real dumps> /tmp/seeds/
    .venv/bin/python tests/fuzz/atheris_harness.py /tmp/seeds -max_total_time=600 -max_len=65536 \\
        -timeout=10 -rss_limit_mb=2048

etl.dumps is instrumented (bs4 and lxml are not: their paths would drown ours); an input that breaks the
contract (fuzzkit.violations, a parser_error record) or raises is a crash that libFuzzer saves and reports.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["etl.dumps"]):
    from etl.dumps.parse import parse_bytes

from fuzzkit import NOW, violations


def one_input(data: bytes) -> None:
    for full in (True, False):
        rec = parse_bytes(data, "fuzz.md", full=full, now=NOW)
        problems = violations(rec)
        if rec.reason == "parser_error" or problems:
            raise AssertionError(f"full={full}: {rec.reason}: {rec.detail} {problems}")


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
