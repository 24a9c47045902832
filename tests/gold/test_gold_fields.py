"""The parser against the hand labels in ../shared/gold/dev-labels.jsonl (RULES.md decides every field).

Per-field accuracy is printed (`pytest -s`) and held to thresholds the parser actually reaches.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from etl.dumps.parse import parse_file

pytestmark = pytest.mark.corpus

TIME_TOLERANCE_S = 60
# field -> minimum share of labelled files the parser must get exactly right.
THRESHOLDS = {
    "outlet": 1.0,
    "title": 1.0,
    "feed_published_at": 1.0,
    "outlet_published_at": 0.99,
    "outlet_published_date": 0.99,
    "published_at": 0.99,
    "byline": 0.97,
    "script": 0.99,
    "degenerate": 0.99,
}


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _same(field: str, got, want) -> bool:
    if field.endswith("_at") and got and want:
        return abs((_utc(got) - _utc(want)).total_seconds()) <= TIME_TOLERANCE_S
    return got == want


@pytest.fixture(scope="module")
def labelled(shared_dir: Path) -> list[tuple[dict, dict]]:
    labels = [json.loads(line) for line in (shared_dir / "gold" / "dev-labels.jsonl").open(encoding="utf-8")]
    corpus = shared_dir / "corpus"
    return [(label, parse_file(corpus / label["local_path"]).to_dict()) for label in labels]


def accuracy(labelled, field: str) -> tuple[float, list[tuple[str, object, object]]]:
    misses = [
        (lab["local_path"], rec[field], lab[field])
        for lab, rec in labelled
        if not _same(field, rec[field], lab[field])
    ]
    return 1 - len(misses) / len(labelled), misses


def test_every_labelled_file_parses(labelled):
    assert len(labelled) >= 200
    assert all(rec["status"] == "ok" for _, rec in labelled)


@pytest.mark.parametrize("field", sorted(THRESHOLDS))
def test_field_accuracy(labelled, field):
    share, misses = accuracy(labelled, field)
    print(f"\n{field}: {share:.1%} ({len(labelled) - len(misses)}/{len(labelled)})")
    for path, got, want in misses[:40]:
        print(f"   {path}\n      got {got!r}\n      want {want!r}")
    assert share >= THRESHOLDS[field]
