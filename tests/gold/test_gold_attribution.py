"""Attribution against the hand labels (../shared/gold/dev-labels.jsonl) and corpus-wide invariants.

The labels are read at test time and the corpus files run through the real pipeline (`parse_file`).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from etl.dumps.attribution import attribute
from etl.dumps.body import extract_body
from etl.dumps.parse import parse_file
from etl.dumps.reader import decode, read_parts
from etl.dumps.topics import match_topics

pytestmark = pytest.mark.corpus

# Reached on the 209 dev labels (all three are 209/209 today); the project target for unseen files is
# credited >= 98%.
THRESHOLDS = {"agencies_credited": 0.99, "agencies_cited": 0.97, "compiled": 0.99}
FIELDS = tuple(THRESHOLDS)


@pytest.fixture(scope="module")
def labels(shared_dir: Path) -> list[dict]:
    path = shared_dir / "gold" / "dev-labels.jsonl"
    if not path.exists():
        pytest.skip(f"hand labels not found at {path}")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def records(labels, corpus_dir: Path) -> dict[str, object]:
    return {label["local_path"]: parse_file(corpus_dir / label["local_path"]) for label in labels}


def test_attribution_matches_the_hand_labels(labels, records, capsys):
    right = dict.fromkeys(FIELDS, 0)
    wrong = []
    for label in labels:
        record = records[label["local_path"]]
        for field in FIELDS:
            if getattr(record, field) == label[field]:
                right[field] += 1
            else:
                wrong.append(f"{label['local_path']}: {field} {getattr(record, field)!r} != {label[field]!r}")
    accuracy = {field: right[field] / len(labels) for field in FIELDS}
    with capsys.disabled():
        print("\nattribution vs hand labels:", {f: f"{right[f]}/{len(labels)}" for f in FIELDS})
        for line in wrong:
            print("  ", line)
    for field, threshold in THRESHOLDS.items():
        assert accuracy[field] >= threshold, (field, accuracy[field], wrong)


def _manifest(corpus_dir: Path) -> list[tuple[str, str]]:
    lines = (corpus_dir / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [(cols[0], cols[4]) for cols in (line.split("\t") for line in lines) if len(cols) > 4]


@pytest.mark.parametrize(
    ("host", "outlet", "code"), [("cn.reuters.com", "reuters", "Reuters"), ("www.cna.com.tw", "cna", "CNA")]
)
def test_agency_outlets_always_credit_themselves(corpus_dir, host, outlet, code):
    paths = [p for p, h in _manifest(corpus_dir) if h == host][:150]
    assert paths
    for path in paths:
        record = parse_file(corpus_dir / path)
        if record.status == "ok":
            assert record.outlet == outlet
            assert code in record.agencies_credited, path


def test_rfi_copyright_and_datelines_credit_afp(corpus_dir):
    paths = [p for p, h in _manifest(corpus_dir) if h == "www.rfi.fr"][:300]
    checked = 0
    for path in paths:
        raw = (corpus_dir / path).read_text(encoding="utf-8", errors="replace")
        if re.search(r"© 20\d\d AFP|（法新社[^（）]{1,20}日电）", raw):
            record = parse_file(corpus_dir / path)
            assert record.agencies_credited == ["AFP"], path
            checked += 1
    assert checked > 50


def test_attribution_and_topics_stay_fast(labels, corpus_dir):
    """Well under the ~0.3 ms per article the full-record speed target leaves for them."""
    inputs = []
    for label in labels:
        parts = read_parts(decode((corpus_dir / label["local_path"]).read_bytes()))
        body = extract_body(parts.html)
        inputs.append((body, label["outlet"], label["title"], "\n".join(body.paragraphs)))
    start = time.perf_counter()
    for _ in range(3):
        for body, outlet, title, text in inputs:
            attribute(body, outlet, title)
            match_topics(title, text)
    per_article = (time.perf_counter() - start) / (3 * len(inputs))
    assert per_article < 0.0006, f"{per_article * 1e6:.0f} us per article"
