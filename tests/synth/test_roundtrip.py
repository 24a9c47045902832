"""Round trip: the parser (etl.dumps.parse) must recover what the generator wrote into every file.

A failure here is either a parser bug or a generator bug; the message lists the files and both values.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from etl.dumps import parse
from etl.synth import SynthSummary, generate

HEADER_FIELDS = (
    "outlet",
    "feed_published_at",
    "outlet_published_at",
    "outlet_published_date",
    "published_at",
)
HEADER_FIELDS += ("pub_date", "title")
BODY_FIELDS = ("script", "degenerate")
ATTRIBUTION_FIELDS = ("agencies_credited", "agencies_cited", "compiled")


def _compare(sample: SynthSummary, sample_dir: Path, full: bool) -> tuple[list[str], dict]:
    mismatches: list[str] = []
    records = {}
    for truth in sample.truth:
        record = parse.parse_file(str(sample_dir / truth.path), full=full)
        records[truth.path] = record

        def check(name: str, expected, got, truth=truth) -> None:
            if expected != got:
                mismatches.append(
                    f"{truth.path} [{truth.layout or truth.malformed}] {name}: {expected!r} != {got!r}"
                )

        check("status", truth.status, record.status)
        check("reason", truth.reason, record.reason)
        if truth.status != "ok" or record.status != "ok":
            continue
        for name in HEADER_FIELDS:
            check(name, getattr(truth, name), getattr(record, name))
        check("variant", truth.variant, record.variant)
        if not full:
            continue
        for name in BODY_FIELDS:
            check(name, getattr(truth, name), getattr(record, name))
        if truth.check_attribution:
            for name in ATTRIBUTION_FIELDS:
                expected = getattr(truth, name)
                check(
                    name, list(expected) if isinstance(expected, tuple) else expected, getattr(record, name)
                )
        if truth.check_topics:
            problem = _topic_problem(truth, record)
            if problem:
                mismatches.append(f"{truth.path} [{truth.layout}] topics: {problem}")
    return mismatches, records


def _topic_problem(truth, record) -> str | None:
    """The topics of substance are found and nothing else is (in particular not the topics named only in
    passing), the primary topic is the truth's, and a digest is flagged as one (TOPIC-RULES.md)."""
    got = set(record.topics)
    wrong = []
    if missed := set(truth.topics) - got:
        wrong.append(f"missed {sorted(missed)}")
    if counted := set(truth.passing_topics) & got:
        wrong.append(f"passing mention counted {sorted(counted)}")
    if extra := got - set(truth.topics) - set(truth.passing_topics):
        wrong.append(f"unexpected {sorted(extra)}")
    if record.primary_topic != truth.primary_topic:
        wrong.append(f"primary {record.primary_topic!r} != {truth.primary_topic!r}")
    if record.digest != truth.digest:
        wrong.append(f"digest {record.digest} != {truth.digest}")
    if not wrong:
        return None
    return f"{'; '.join(wrong)} (truth {list(truth.topics)}, got {record.topics}, title {record.title!r})"


def _grouping(sample: SynthSummary, records: dict) -> list[str]:
    """Every capture of one article shares one article_id; different articles never share one; the
    article's partition (date of its earliest published_at) matches."""
    ids_by_key, keys_by_id = defaultdict(set), defaultdict(set)
    earliest: dict[str, str] = {}
    for truth in sample.truth:
        record = records[truth.path]
        if truth.article_key is None or record.status != "ok":
            continue
        ids_by_key[truth.article_key].add(record.article_id)
        keys_by_id[record.article_id].add(truth.article_key)
        earliest[record.article_id] = min(
            earliest.get(record.article_id, record.published_at), record.published_at
        )
    problems = [f"article {k} split over ids {sorted(v)}" for k, v in ids_by_key.items() if len(v) > 1]
    problems += [f"id {i} merges articles {sorted(v)}" for i, v in keys_by_id.items() if len(v) > 1]
    for truth in sample.truth:
        record = records[truth.path]
        if (
            truth.article_key
            and record.status == "ok"
            and earliest[record.article_id][:10] != truth.article_pub_date
        ):
            problems.append(
                f"{truth.path}: partition {earliest[record.article_id][:10]} != {truth.article_pub_date}"
            )
    return problems


# The topic tagger is a model fitted to hand labels (etl/registries/topic_model.yaml): on real articles
# it is measured by bench/topics.py, not expected to be perfect. Synthetic stories state their subjects
# plainly, so it must recover their topics on all but a few files (at most this share of the topic-checked
# files); every other field of the truth must round-trip exactly.
MAX_TOPIC_MISS_SHARE = 0.005


def _assert_round_trip(mismatches: list[str], sample: SynthSummary) -> None:
    topic = [m for m in mismatches if "] topics: " in m]
    other = [m for m in mismatches if "] topics: " not in m]
    assert not other, f"{len(other)} mismatches over {sample.files} files:\n" + "\n".join(other[:25])
    checked = sum(1 for t in sample.truth if t.check_topics)
    assert len(topic) <= MAX_TOPIC_MISS_SHARE * checked, (
        f"{len(topic)} topic mismatches over {checked} topic-checked files:\n" + "\n".join(topic[:25])
    )


@pytest.mark.parametrize("full", [True, False], ids=["full", "header"])
def test_parser_recovers_the_truth(sample: SynthSummary, sample_dir: Path, full: bool) -> None:
    mismatches, records = _compare(sample, sample_dir, full)
    mismatches += _grouping(sample, records)
    _assert_round_trip(mismatches, sample)


def test_another_seed_round_trips_too(tmp_path: Path) -> None:
    # Starts before the end of Paris summer time (29 Oct 2023): RFI times on both sides of it.
    other = generate(tmp_path / "raw", 800, seed=99, start=date(2023, 10, 20))
    mismatches, records = _compare(other, other.out_dir, full=True)
    mismatches += _grouping(other, records)
    _assert_round_trip(mismatches, other)
