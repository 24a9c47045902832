"""Topic tagging against hand labels: micro precision/recall/F1, primary topic, digests, per-topic counts.

    .venv/bin/python bench/topics.py                         # the dev labels, ../shared/gold/topics-dev.jsonl
    .venv/bin/python bench/topics.py --labels bench/topic_labels/extra.jsonl   # other labelled corpus files
    .venv/bin/python bench/topics.py --misses                  # also list every article whose set is wrong

Every labelled file is parsed with `etl.dumps.parse.parse_file` (the pipeline's own parse) and its `topics`,
`primary_topic` and `digest` are compared with the labels (format: ../shared/gold/TOPIC-RULES.md).

The relevance weights in etl/registries/topics.yaml (`relevance:`) were fitted on labels, so figures on those
labels flatter the tagger. `--cv K` gives honest ones: the articles are split into K folds, the logistic
model is refitted on K-1 folds (Newton's method, L2-regularised, digests left out as the rule decides them)
and scored on the fold it did not see. `--fit` prints the weights fitted on all the given labels, as the
YAML to paste under `relevance:`.

    .venv/bin/python bench/topics.py --cv 5                   # cross-validated figures on the dev labels
    .venv/bin/python bench/topics.py --labels A --labels B --fit   # refit on both label files
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

import random  # noqa: E402

import numpy as np  # noqa: E402

from etl.dumps import topics as tagger  # noqa: E402
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


def parsed(labels: list[dict], corpus: Path = CORPUS) -> list[tagger.Candidates]:
    """The tagger's candidates of each labelled article (parsed once, scored under any weights)."""
    out = []
    for label in labels:
        record = parse_file(corpus / label["local_path"])
        out.append(tagger.candidates(record.title or "", record.body_text or ""))
    return out


def fit(labels: list[dict], found: list[tagger.Candidates], l2: float = 1.0) -> tagger.Weights:
    """L2-regularised logistic regression of "the label has this topic" on the candidates' features."""
    rows, targets = [], []
    for label, cands in zip(labels, found, strict=True):
        if cands.digest:  # digests are decided by the digest rule, not by the weights
            continue
        for c in cands.items:
            rows.append((*c.features, 1.0))
            targets.append(c.topic in label["topics"])
    x, y = np.array(rows), np.array(targets, dtype=float)
    penalty = np.diag([l2] * (x.shape[1] - 1) + [0.0])  # the bias is not shrunk
    w = np.zeros(x.shape[1])
    for _ in range(30):
        p = 1 / (1 + np.exp(-x @ w))
        gradient = x.T @ (p - y) + penalty @ w
        hessian = (x.T * (p * (1 - p))) @ x + penalty
        w -= np.linalg.solve(hessian, gradient)
    threshold = tagger._taxonomy().weights.threshold
    return tagger.Weights(tuple(float(v) for v in w[:-1]), float(w[-1]), threshold)


def cross_validated(labels: list[dict], found: list[tagger.Candidates], k: int, seed: int = 0) -> Scores:
    order = list(range(len(labels)))
    random.Random(seed).shuffle(order)
    scores = Scores()
    for fold in range(k):
        test = set(order[fold::k])
        train = [i for i in order if i not in test]
        weights = fit([labels[i] for i in train], [found[i] for i in train])
        for i in sorted(test):
            tagging = tagger.decide(found[i], weights)
            scores.add(labels[i], tagging.topics, tagging.primary, tagging.digest)
    return scores


def weights_yaml(weights: tagger.Weights) -> str:
    pairs = ", ".join(f"{f}: {w:.2f}" for f, w in zip(tagger.FEATURES, weights.weights, strict=True))
    return f"  bias: {weights.bias:.2f}\n  weights: {{{pairs}}}"


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
    parser.add_argument(
        "--cv", type=int, metavar="K", help="K-fold cross-validated figures (weights refitted)"
    )
    parser.add_argument("--fit", action="store_true", help="print the weights fitted on all given labels")
    args = parser.parse_args(argv)
    paths = args.labels or [DEFAULT_LABELS]
    for path in paths:
        if not path.is_file():
            print(f"{path}: no such label file", file=sys.stderr)
            return 2
    if args.cv or args.fit:
        labels = [label for path in paths for label in read_labels(path)]
        found = parsed(labels, args.corpus)
        if args.cv:
            name = f"{args.cv}-fold cross-validated, {' + '.join(map(str, paths))}"
            report(name, cross_validated(labels, found, args.cv), args.misses)
        if args.fit:
            print(weights_yaml(fit(labels, found)))
        return 0
    for path in paths:
        report(str(path), score(read_labels(path), args.corpus), args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
