"""Topic tagging against hand labels: micro precision/recall/F1, primary topic, digests, per-topic counts.

    .venv/bin/python bench/topics.py                         # the dev labels, ../shared/gold/topics-dev.jsonl
    .venv/bin/python bench/topics.py --labels bench/topic_labels/extra.jsonl   # other labelled corpus files
    .venv/bin/python bench/topics.py --misses                  # also list every article whose set is wrong

Every labelled file is parsed with `etl.dumps.parse.parse_file` (the pipeline's own parse) and its `topics`,
`primary_topic` and `digest` are compared with the labels (format: ../shared/gold/TOPIC-RULES.md).
The tagger learns nothing from labels (its rules and weights are fixed in etl/registries/topics.yaml),
so the figures on labels it was not tuned on are held-out figures as they stand.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.dumps.parse import parse_file  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_LABELS = SHARED / "gold" / "topics-dev.jsonl"
CORPUS = SHARED / "corpus"


@dataclass
class Scores:
    articles: int = 0
    exact: int = 0
    primary_right: int = 0
    per_topic: dict[str, Counter] = field(default_factory=dict)  # topic -> Counter(tp, fp, fn)
    digest: Counter = field(default_factory=Counter)  # tp, fp, fn
    misses: list[str] = field(default_factory=list)

    def add(self, label: dict, got_topics: list[str], got_primary: str | None, got_digest: bool) -> None:
        want, got = set(label["topics"]), set(got_topics)
        self.articles += 1
        self.exact += want == got
        self.primary_right += label.get("primary") == got_primary
        for topic in want | got:
            counts = self.per_topic.setdefault(topic, Counter())
            counts["tp"] += topic in want and topic in got
            counts["fp"] += topic in got and topic not in want
            counts["fn"] += topic in want and topic not in got
        want_digest = bool(label.get("digest"))
        self.digest["tp"] += want_digest and got_digest
        self.digest["fp"] += got_digest and not want_digest
        self.digest["fn"] += want_digest and not got_digest
        if want != got or label.get("primary") != got_primary:
            self.misses.append(
                f"{label['local_path']}\n    want {sorted(want)} primary {label.get('primary')}"
                f"\n    got  {sorted(got)} primary {got_primary}"
            )

    def micro(self) -> tuple[float, float, float]:
        tp = sum(c["tp"] for c in self.per_topic.values())
        fp = sum(c["fp"] for c in self.per_topic.values())
        fn = sum(c["fn"] for c in self.per_topic.values())
        return _prf(tp, fp, fn)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def read_labels(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def score(labels: list[dict], corpus: Path = CORPUS) -> Scores:
    scores = Scores()
    for label in labels:
        record = parse_file(corpus / label["local_path"])
        scores.add(label, record.topics, record.primary_topic, record.digest)
    return scores


def report(name: str, scores: Scores, show_misses: bool) -> None:
    precision, recall, f1 = scores.micro()
    n = scores.articles
    d_precision, d_recall, _ = _prf(scores.digest["tp"], scores.digest["fp"], scores.digest["fn"])
    print(f"== {name}: {n} articles")
    print(f"micro precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    print(f"primary topic right {scores.primary_right}/{n} ({scores.primary_right / n:.1%})")
    print(f"exact topic set {scores.exact}/{n} ({scores.exact / n:.1%})")
    print(
        f"digests precision {d_precision:.2f}  recall {d_recall:.2f}  "
        f"(tp {scores.digest['tp']}, fp {scores.digest['fp']}, fn {scores.digest['fn']})"
    )
    print(f"{'topic':<20}{'tp':>5}{'fp':>5}{'fn':>5}")
    for topic in sorted(scores.per_topic, key=lambda t: (-sum(scores.per_topic[t].values()), t)):
        c = scores.per_topic[topic]
        print(f"{topic:<20}{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}")
    if show_misses:
        print("\n".join(scores.misses))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--labels", type=Path, action="append", help="label files (default: the dev labels)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder the labels' local_path is under")
    parser.add_argument("--misses", action="store_true", help="list the articles whose topics are wrong")
    args = parser.parse_args(argv)
    for path in args.labels or [DEFAULT_LABELS]:
        if not path.is_file():
            print(f"{path}: no such label file", file=sys.stderr)
            return 2
        report(str(path), score(read_labels(path), args.corpus), args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
