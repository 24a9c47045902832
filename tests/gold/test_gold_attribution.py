"""Attribution against the hand labels (../shared/gold/dev-labels.jsonl) and corpus-wide invariants.

Labels and corpus files are read at test time. Each file goes through the real reader and body extraction
(`read_parts`, `extract_body`) and then `attribute`, with the outlet and title of its label, so these
tests measure attribution itself; the whole record is checked by the parser's own gold tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from etl.dumps.attribution import attribute
from etl.dumps.body import extract_body
from etl.dumps.reader import decode, read_parts

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


def _body(path: Path):
    return extract_body(read_parts(decode(path.read_bytes())).html)


@pytest.fixture(scope="module")
def bodies(labels, corpus_dir: Path) -> dict[str, object]:
    return {label["local_path"]: _body(corpus_dir / label["local_path"]) for label in labels}


def test_attribution_matches_the_hand_labels(labels, bodies, capsys):
    right = dict.fromkeys(FIELDS, 0)
    wrong = []
    for label in labels:
        result = attribute(bodies[label["local_path"]], label["outlet"], label["title"])
        got = dict(zip(FIELDS, (result.credited, result.cited, result.compiled), strict=True))
        for field in FIELDS:
            if got[field] == label[field]:
                right[field] += 1
            else:
                wrong.append(f"{label['local_path']}: {field} {got[field]!r} != {label[field]!r}")
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
        result = attribute(_body(corpus_dir / path), outlet, "")
        assert code in result.credited, path
        assert code not in result.cited, path


def test_rfi_copyright_and_datelines_credit_afp(corpus_dir):
    paths = [p for p, h in _manifest(corpus_dir) if h == "www.rfi.fr"][:300]
    checked = 0
    for path in paths:
        raw = (corpus_dir / path).read_text(encoding="utf-8", errors="replace")
        if re.search(r"© 20\d\d AFP|（法新社[^（）]{1,20}日电）", raw):
            assert attribute(_body(corpus_dir / path), "rfi", "").credited == ["AFP"], path
            checked += 1
    assert checked > 50
