"""Topic tagging against hand labels: micro precision/recall/F1, primary topic, digests, per-topic counts.

    .venv/bin/python bench/topics.py                         # the dev labels, ../shared/gold/topics-dev.jsonl
    .venv/bin/python bench/topics.py --labels bench/topic_labels/batch3.jsonl   # other labelled corpus files
    .venv/bin/python bench/topics.py --misses                  # also list every article whose set is wrong

Every labelled file is parsed with `etl.dumps.parse.parse_file` (the pipeline's own parse) and its `topics`,
`primary_topic` and `digest` are compared with the labels (format: ../shared/gold/TOPIC-RULES.md).

The relevance model (etl/registries/topic_model.yaml) is fitted on labels, so figures on those labels flatter
the tagger. `--cv K` gives honest ones: the articles are split whole into K folds, the keyword selection and
the logistic model are refitted on K-1 folds and scored on the fold they did not see (`--sweep`: at a range
of thresholds). `--fit --write` refits on all the given labels and rewrites topic_model.yaml, with the
threshold calibrated on the out-of-fold scores (F1 maximum) and the cross-validated figures in its header.

    .venv/bin/python bench/topics.py --all-labels --cv 5 --sweep   # dev + bench/topic_labels/*, 5-fold CV
    .venv/bin/python bench/topics.py --all-labels --fit --write    # refit the model (after keyword edits too)

The helpers' labels (bench/topic_labels/*.jsonl) follow the rules but are not the gold readers' own; the dev
labels are, and the model is fitted on both. `--helpers-on-gold` gives the honest figure against the gold
readers: the model is fitted on the helpers' labels alone (holdout excluded) and scored on the dev labels,
at the shipped threshold and, with `--sweep`, at a range of thresholds. With `--cv K` it also scores the
shipped set-up (fitted on all labels) on the gold readers: K folds over the dev labels, each fit holding every
helper label and the other dev folds.

    .venv/bin/python bench/topics.py --helpers-on-gold --cv 5 --sweep
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

import dataclasses  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402

import numpy as np  # noqa: E402
from scipy import optimize, sparse  # noqa: E402

from etl.dumps import topics as tagger  # noqa: E402
from etl.dumps.parse import parse_file  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_LABELS = SHARED / "gold" / "topics-dev.jsonl"
CORPUS = SHARED / "corpus"
LABELS_DIR = ROOT / "bench" / "topic_labels"
MODEL_YAML = tagger.TOPIC_MODEL_YAML


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


@dataclass(frozen=True)
class FitOptions:
    """Regularisation of the logistic model and how many keyword weights each topic may learn."""

    l2_features: float = 1.0  # the nine structural features
    l2_offsets: float = 3.0  # per-topic offsets
    l2_terms: float = 5.0  # per-topic keyword weights
    terms_per_topic: int = 300  # keywords kept per topic, the most telling first (CV: 60 < 150 < 300)
    min_support: int = 4  # a keyword must occur in this many training candidates of the topic


def _training_rows(labels: list[dict], found: list[tagger.Candidates]):
    """(article, candidate, target) of every non-digest candidate: digests are decided by the digest rule."""
    for label, cands in zip(labels, found, strict=True):
        if cands.digest:
            continue
        for c in cands.items:
            yield cands, c, c.topic in label["topics"]


def select_terms(labels, found, options: FitOptions) -> dict[str, list[str]]:
    """Per topic, the keywords (of any topic) whose presence best tells its positive candidates from its
    negative ones on the training labels: smoothed log odds x sqrt(support), in `min_support`+ articles."""
    pos: dict[str, Counter] = {}
    neg: dict[str, Counter] = {}
    for cands, c, target in _training_rows(labels, found):
        (pos if target else neg).setdefault(c.topic, Counter()).update(cands.keywords.keys())
    n_pos = Counter()
    n_neg = Counter()
    for _, c, target in _training_rows(labels, found):
        (n_pos if target else n_neg)[c.topic] += 1
    terms = {}
    for topic in set(n_pos) | set(n_neg):
        p, n = pos.get(topic, Counter()), neg.get(topic, Counter())
        ranked = []
        for keyword in set(p) | set(n):
            a, b = p[keyword], n[keyword]
            if a + b < options.min_support:
                continue
            log_odds = math.log((a + 0.5) / (n_pos[topic] + 1)) - math.log((b + 0.5) / (n_neg[topic] + 1))
            ranked.append((-abs(log_odds) * math.sqrt(a + b), keyword))
        terms[topic] = [k for _, k in sorted(ranked)[: options.terms_per_topic]]
    return terms


def fit(
    labels: list[dict],
    found: list[tagger.Candidates],
    options: FitOptions = FitOptions(),
    threshold: float | None = None,
) -> tagger.Weights:
    """L2-regularised logistic regression of "the label has this topic" on each candidate's structural
    features, a per-topic offset and per-topic weights of the keywords the article holds (log occurrences)."""
    terms = select_terms(labels, found, options)
    n_features = len(tagger.FEATURES)
    columns: dict[tuple, int] = {("bias",): n_features}
    rows, cols, values, targets = [], [], [], []
    for r, (cands, c, target) in enumerate(_training_rows(labels, found)):
        entries = [*enumerate(c.features), (n_features, 1.0)]
        entries.append((columns.setdefault(("offset", c.topic), len(columns) + n_features), 1.0))
        for keyword in terms.get(c.topic, ()):
            if keyword in cands.keywords:
                j = columns.setdefault(("term", c.topic, keyword), len(columns) + n_features)
                entries.append((j, math.log1p(cands.keywords[keyword])))
        for j, v in entries:
            rows.append(r)
            cols.append(j)
            values.append(v)
        targets.append(float(target))
    y = np.array(targets)
    x = sparse.csr_matrix((values, (rows, cols)), shape=(len(y), n_features + len(columns)))
    penalty = np.full(x.shape[1], options.l2_features)
    for key, j in columns.items():
        penalty[j] = {"bias": 0.0, "offset": options.l2_offsets, "term": options.l2_terms}[key[0]]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w
        value = np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(penalty * w * w)
        return value, x.T @ (1.0 / (1.0 + np.exp(-z)) - y) + penalty * w

    w = optimize.minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B").x
    offsets, topic_terms = {}, {}
    for key, j in columns.items():
        if key[0] == "offset":
            offsets[key[1]] = float(w[j])
        elif key[0] == "term":
            topic_terms.setdefault(key[1], {})[key[2]] = float(w[j])
    if threshold is None:
        threshold = tagger._taxonomy().weights.threshold
    return tagger.Weights(
        tuple(float(v) for v in w[:n_features]), float(w[n_features]), threshold, offsets, topic_terms
    )


def fit_options(settings: list[str]) -> FitOptions:
    """FitOptions with NAME=VALUE overrides (parsed as the field's type)."""
    options = FitOptions()
    for setting in settings:
        name, _, value = setting.partition("=")
        default = getattr(options, name)  # AttributeError on an unknown name
        parsed_value = int(value) if isinstance(default, int) else float(value)
        options = dataclasses.replace(options, **{name: parsed_value})
    return options


def out_of_fold(
    labels: list[dict],
    found: list[tagger.Candidates],
    k: int,
    options: FitOptions,
    seed: int = 0,
    extra: tuple[list[dict], list[tagger.Candidates]] = ([], []),
) -> list[tagger.Weights]:
    """Per article, the model fitted on the K-1 folds it is not in (articles split whole, at random), plus
    the `extra` labelled articles in every fold's fit."""
    order = list(range(len(labels)))
    random.Random(seed).shuffle(order)
    models: list[tagger.Weights | None] = [None] * len(labels)
    for fold in range(k):
        test = set(order[fold::k])
        train = [i for i in order if i not in test]
        weights = fit([labels[i] for i in train] + extra[0], [found[i] for i in train] + extra[1], options)
        for i in test:
            models[i] = weights
    return models  # type: ignore[return-value]


def cross_validated(
    labels: list[dict],
    found: list[tagger.Candidates],
    k: int,
    options: FitOptions = FitOptions(),
    threshold: float | None = None,
    models: list[tagger.Weights] | None = None,
) -> Scores:
    models = models or out_of_fold(labels, found, k, options)
    scores = Scores()
    for label, cands, weights in zip(labels, found, models, strict=True):
        if threshold is not None:
            weights = dataclasses.replace(weights, threshold=threshold)
        tagging = tagger.decide(cands, weights)
        scores.add(label, tagging.topics, tagging.primary, tagging.digest)
    return scores


MODEL_HEADER = """\
# GENERATED by `bench/topics.py {args} --fit --write`: do not edit by hand, refit.
# The relevance model of etl/dumps/topics.py (the matching rule is in the header of topics.yaml):
#   score(article, topic) = logistic(bias + offsets[topic] + weights . features
#                                    + sum over the article's keywords k of terms[topic][k] * ln(1 + n_k))
#   kept when score >= threshold; the highest kept score is the primary topic.
# features: the nine structural features of topics.yaml's header; offsets: how readily a topic is kept;
# terms: per topic, the keywords (of any topic, as spelled in topics.yaml) whose presence in the text read
# moves its score: negative ones are context that tells a passing mention (venue, background, another sense).
# Fitted on {n} hand-labelled articles (TOPIC-RULES.md) by L2-regularised logistic regression; per topic the
# {k} keywords that best tell its positive candidates from its negative ones (in >= {s} articles).
# {k_fold}-fold cross-validated (whole articles held out, terms and weights refitted on each fold):
# precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}, primary {primary:.1%}.
"""

GOLD_HEADER = """\
# The figures above are at the threshold, chosen as the best recall at precision >= {min_p:.2f} on the gold
# readers' {n_gold} dev labels, {k_fold} folds over them, each fitted on the other folds and the {n_helpers}
# helper labels (`--helpers-on-gold --cv {k_fold}`). There: precision {p:.3f}, recall {r:.3f}, F1 {f:.3f},
# primary {primary:.1%}.
"""


def model_yaml(weights: tagger.Weights, header: str) -> str:
    def number(v: float) -> str:
        return f"{v:.3f}"

    lines = [header.rstrip("\n"), f"threshold: {weights.threshold:.3f}", f"bias: {number(weights.bias)}"]
    lines.append("weights:")
    lines += [f"  {f}: {number(w)}" for f, w in zip(tagger.FEATURES, weights.weights, strict=True)]
    lines.append("offsets:")
    lines += [f"  {t}: {number(v)}" for t, v in sorted(weights.offsets.items())]
    lines.append("terms:")
    for topic in sorted(weights.terms):
        kept = [(k, v) for k, v in weights.terms[topic].items() if abs(v) >= 0.01]
        if not kept:
            continue
        lines.append(f"  {topic}:")
        for keyword, v in sorted(kept, key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"    {json.dumps(keyword, ensure_ascii=False)}: {number(v)}")
    return "\n".join(lines) + "\n"


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


def threshold_sweep(labels, found, models) -> list[tuple[float, Scores]]:
    return [
        (t, cross_validated(labels, found, 0, threshold=t, models=models))
        for t in np.round(np.arange(0.25, 0.61, 0.025), 3)
    ]


def best_threshold(sweep: list[tuple[float, Scores]], min_recall: float | None = None) -> float:
    """The out-of-fold F1 maximum (ties: the higher precision); with `min_recall`, the best precision among
    the thresholds whose out-of-fold recall reaches it."""
    if min_recall is not None:
        reaching = [(t, sc) for t, sc in sweep if sc.micro()[1] >= min_recall]
        if reaching:
            return max(reaching, key=lambda ts: ts[1].micro()[0])[0]
    return max(sweep, key=lambda ts: (round(ts[1].micro()[2], 3), ts[1].micro()[0]))[0]


def helper_label_files() -> list[Path]:
    """The helpers' labels (bench/topic_labels/*.jsonl; not holdout/, which no fit may see)."""
    return sorted(LABELS_DIR.glob("*.jsonl"))


def all_label_files() -> list[Path]:
    return [DEFAULT_LABELS, *helper_label_files()]


def helpers_on_gold(corpus: Path, show_misses: bool, sweep: bool, options: FitOptions, k: int | None) -> None:
    """Fit on the helpers' labels only and score on the gold readers' dev labels (never fitted on here).
    With `k`: also the shipped set-up against the gold readers, K-fold over the dev labels with every helper
    label in each fold's fit (each dev article scored by a model fitted on the helpers + the other folds)."""
    train = [label for path in helper_label_files() for label in read_labels(path)]
    gold = read_labels(DEFAULT_LABELS)
    train_found, gold_found = parsed(train, corpus), parsed(gold, corpus)
    weights = fit(train, train_found, options)
    name = f"fitted on {len(train)} helper labels, scored on {len(gold)} gold dev labels"
    _report_with_sweep(name, gold, gold_found, [weights] * len(gold), show_misses, sweep)
    if k:
        models = out_of_fold(gold, gold_found, k, options, extra=(train, train_found))
        name = (
            f"{k}-fold over the {len(gold)} gold dev labels, each fit on the {len(train)} helper labels too"
        )
        _report_with_sweep(name, gold, gold_found, models, show_misses, sweep)


def gold_threshold(
    labels: list[dict], found: list[tagger.Candidates], k: int, options: FitOptions, min_precision: float
) -> tuple[float, str]:
    """The threshold of best recall at precision >= `min_precision` on the gold dev labels (the first
    labels of --all-labels), K folds over them with the helper labels in every fit; and its header lines."""
    n_gold = len(read_labels(DEFAULT_LABELS))
    gold, gold_found = labels[:n_gold], found[:n_gold]
    models = out_of_fold(gold, gold_found, k, options, extra=(labels[n_gold:], found[n_gold:]))
    sweep = threshold_sweep(gold, gold_found, models)
    reaching = [(t, sc) for t, sc in sweep if sc.micro()[0] >= min_precision]
    threshold, scores = max(reaching or sweep[-1:], key=lambda ts: (ts[1].micro()[1], ts[0]))
    precision, recall, f1 = scores.micro()
    report(f"gold dev labels, {k} folds with the helper labels in each fit, at {threshold}", scores, False)
    header = GOLD_HEADER.format(
        min_p=min_precision,
        n_gold=n_gold,
        k_fold=k,
        n_helpers=len(labels) - n_gold,
        p=precision,
        r=recall,
        f=f1,
        primary=scores.primary_right / scores.articles,
    )
    return float(threshold), header


def _report_with_sweep(name, labels, found, models, show_misses: bool, sweep: bool) -> None:
    report(name, cross_validated(labels, found, 0, models=models), show_misses)
    if sweep:
        print_sweep(threshold_sweep(labels, found, models))


def print_sweep(sweep: list[tuple[float, Scores]]) -> None:
    print(f"{'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>6}")
    for t, sc in sweep:
        print(f"{t:>9.3f} {sc.micro()[0]:>9.3f} {sc.micro()[1]:>7.3f} {sc.micro()[2]:>6.3f}")


# --- Why a labelled topic is missed (out of fold): issue 10's error analysis ---
CAUSES = (
    "no_wording",  # no keyword of the topic anywhere in title or body
    "beyond_read",  # its keywords only past the part read (relevance.read_chars)
    "blocked",  # its keywords only inside a blocker (美国国务院, 疫情期间 ...)
    "body_low",  # named in the body only (not title, not lead), score under the threshold
    "title_lead_low",  # named in the title or the lead, score under the threshold
    "context",  # would pass without the learned keyword context (negative term weights)
    "listed",  # would pass without the list-paragraph penalty
    "digest",  # scored above the threshold but dropped by the digest rule
)


@dataclass
class Miss:
    label: dict
    topic: str
    cause: str
    score: float | None  # out-of-fold score of the topic (None: not a candidate)
    detail: str


def _keyword_topics(tax) -> list[set[int]]:
    """Per keyword index: the topics owning it."""
    return [
        set(tax.owner_topic[tax.owner_pointer[k] : tax.owner_pointer[k + 1]].tolist())
        for k in range(len(tax.keywords))
    ]


def _topics_named(tax, owners: list[set[int]], data: bytes) -> set[str]:
    found = set()
    for pattern, start, end in tax.matcher.find_matches_as_indexes(data):
        keyword = int(tax.pattern_keyword_array[pattern])
        if tax.word_keyword_mask[keyword] and not tagger._whole_word(data, start, end):
            continue
        found |= {tax.topics[t] for t in owners[keyword]}
    return found


def _blocker_topics(tax, owners: list[set[int]]) -> dict[str, set[str]]:
    """Per blocker (a keyword owned by no topic): the topics owning a keyword it holds inside it."""
    owned = [(k, owners[i]) for i, k in enumerate(tax.keywords) if owners[i]]
    return {
        blocker: {tax.topics[t] for k, ts in owned if k in blocker and k != blocker for t in ts}
        for i, blocker in enumerate(tax.keywords)
        if not owners[i]
    }


def miss_causes(
    labels: list[dict], found: list[tagger.Candidates], models: list[tagger.Weights], corpus: Path
) -> list[Miss]:
    """Every labelled topic the out-of-fold tagging misses, with its cause (CAUSES)."""
    unscored = _Unscored(tagger._taxonomy(), corpus)
    misses = []
    for label, cands, weights in zip(labels, found, models, strict=True):
        tagging = tagger.decide(cands, weights)
        missed = sorted(set(label["topics"]) - set(tagging.topics))
        if missed:
            misses += _label_misses(label, cands, weights, missed, unscored)
    return misses


def _label_misses(
    label: dict, cands: tagger.Candidates, weights: tagger.Weights, missed: list[str], unscored: _Unscored
) -> list[Miss]:
    """The missed topics of one article: a cause from the text for those never a candidate, from the
    scores (as fitted, without keyword context, without the list penalty) for the others."""
    topics = [c.topic for c in cands.items]
    bare = dataclasses.replace(weights, terms={})
    unlisted = dataclasses.replace(weights, weights=(*weights.weights[:-2], 0.0, *weights.weights[-1:]))
    scores = {
        name: dict(zip(topics, _candidate_scores(cands, w), strict=True))
        for name, w in (("fitted", weights), ("bare", bare), ("unlisted", unlisted))
    }
    items = {c.topic: c for c in cands.items}
    misses = []
    for topic in missed:
        c = items.get(topic)
        if c is None:
            misses.append(Miss(label, topic, unscored.cause(label, topic), None, ""))
            continue
        detail = (
            f"title {c.in_title:d} lead {c.in_lead:d} share {c.share:.2f} mentions {c.mentions} "
            f"items {c.items} no-context {scores['bare'][topic]:.2f}"
        )
        cause = _scored_cause(c, {name: s[topic] for name, s in scores.items()}, weights.threshold)
        misses.append(Miss(label, topic, cause, scores["fitted"][topic], detail))
    return misses


def _scored_cause(c: tagger.Candidate, score: dict[str, float], threshold: float) -> str:
    """Why a candidate topic was dropped: the digest rule, its keyword context, the list penalty, or a low
    score (named in the title or lead, or in the body only)."""
    if score["fitted"] >= threshold:
        return "digest"
    if score["bare"] >= threshold:
        return "context"
    if score["unlisted"] >= threshold:
        return "listed"
    return "title_lead_low" if c.in_title or c.in_lead else "body_low"


class _Unscored:
    """Why a labelled topic is no candidate at all: its keywords only past the part read, only inside a
    blocker, or nowhere. The article is parsed again once, for its first such topic."""

    def __init__(self, tax, corpus: Path) -> None:
        self.tax, self.corpus = tax, corpus
        self.whole = dataclasses.replace(tax, read_chars=10**9)
        self.owners = _keyword_topics(tax)
        self.hiding = _blocker_topics(tax, self.owners)
        self._seen: tuple[str, set[str], set[str]] | None = None  # (path, in the whole text, blocked)

    def cause(self, label: dict, topic: str) -> str:
        in_full, blocked = self._named(label["local_path"])
        return "beyond_read" if topic in in_full else "blocked" if topic in blocked else "no_wording"

    def _named(self, path: str) -> tuple[set[str], set[str]]:
        """(topics named anywhere in the whole text, topics named only inside a blocker of the part read)."""
        if self._seen is None or self._seen[0] != path:
            record = parse_file(self.corpus / path)
            read = tagger._prepare(self.tax, record.title or "", record.body_text or "").data
            full = tagger._prepare(self.whole, record.title or "", record.body_text or "").data
            text = read.decode()
            blocked = {t for b, ts in self.hiding.items() if b in text for t in ts}
            self._seen = (path, _topics_named(self.tax, self.owners, full), blocked)
        return self._seen[1], self._seen[2]


def _candidate_scores(cands: tagger.Candidates, weights: tagger.Weights) -> list[float]:
    return tagger._scores(tagger._taxonomy(cands.path), cands.batch, weights, 1).tolist()


def report_causes(misses: list[Miss], show: bool) -> None:
    """The table topics x causes of the missed labelled topics; with `show`, each miss."""
    table: dict[str, Counter] = {}
    for m in misses:
        table.setdefault(m.topic, Counter())[m.cause] += 1
    short = [c[:9] for c in CAUSES]
    print(f"== missed labelled topics (out of fold) by cause: {len(misses)}")
    print(f"{'topic':<18}" + "".join(f"{c:>10}" for c in short) + f"{'total':>7}")
    for topic in sorted(table, key=lambda t: (-sum(table[t].values()), t)):
        row = table[topic]
        print(f"{topic:<18}" + "".join(f"{row[c]:>10}" for c in CAUSES) + f"{sum(row.values()):>7}")
    totals = Counter(m.cause for m in misses)
    print(f"{'all':<18}" + "".join(f"{totals[c]:>10}" for c in CAUSES) + f"{len(misses):>7}")
    if show:
        for m in sorted(misses, key=lambda m: (m.topic, m.cause, m.label["local_path"])):
            score = "-" if m.score is None else f"{m.score:.2f}"
            print(
                f"{m.topic}\t{m.cause}\t{score}\t{m.label['local_path']}\t{m.label.get('title', '')[:60]}"
                f"\twant {','.join(m.label['topics'])}\t{m.detail}"
            )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--labels", type=Path, action="append", help="label files (default: the dev labels)")
    parser.add_argument(
        "--all-labels", action="store_true", help="the dev labels and every file in bench/topic_labels/"
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder the labels' local_path is under")
    parser.add_argument("--misses", action="store_true", help="list the articles whose topics are wrong")
    parser.add_argument(
        "--causes",
        action="store_true",
        help="with --cv: the labelled topics missed out of fold, by topic and cause (--misses: each one)",
    )
    parser.add_argument(
        "--cv", type=int, metavar="K", help="K-fold cross-validated figures (terms and weights refitted)"
    )
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="with --cv or --helpers-on-gold: precision/recall at a range of thresholds",
    )
    parser.add_argument("--fit", action="store_true", help="fit the model on all given labels")
    parser.add_argument(
        "--write",
        action="store_true",
        help=f"with --fit: write {MODEL_YAML.relative_to(ROOT)} (threshold calibrated out of fold, 5 folds)",
    )
    parser.add_argument(
        "--min-recall",
        type=float,
        metavar="R",
        help="with --write: the threshold of best precision at out-of-fold recall >= R (default: best F1)",
    )
    parser.add_argument(
        "--gold-precision",
        type=float,
        metavar="P",
        help="with --all-labels --write: the threshold of best recall at precision >= P on the gold readers' "
        "dev labels (folds over them, every helper label in each fit)",
    )
    parser.add_argument(
        "--helpers-on-gold",
        action="store_true",
        help="fit on bench/topic_labels/*.jsonl only, score on the gold dev labels (honest gold figure)",
    )
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a FitOptions field for this run (e.g. terms_per_topic=600), to measure a variant with --cv",
    )
    return parser


@dataclass
class _Labelled:
    """What --cv and --fit share: the command line, the label files, their labels and candidates, folds."""

    args: argparse.Namespace
    paths: list[Path]
    labels: list[dict]
    found: list[tagger.Candidates]
    k: int
    options: FitOptions


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    options = fit_options(args.option)
    if args.helpers_on_gold:
        helpers_on_gold(args.corpus, args.misses, args.sweep, options, args.cv)
        return 0
    paths = all_label_files() if args.all_labels else args.labels or [DEFAULT_LABELS]
    missing = [path for path in paths if not path.is_file()]
    if missing:
        print(f"{missing[0]}: no such label file", file=sys.stderr)
        return 2
    if not (args.cv or args.fit):
        for path in paths:
            report(str(path), score(read_labels(path), args.corpus), args.misses)
        return 0
    run = _labelled(args, paths, options)
    threshold, scores, gold_header = None, None, ""
    if args.cv or args.write:
        threshold, scores, gold_header = _out_of_fold(run)
    if args.fit:
        _fit_model(run, threshold, scores, gold_header)
    return 0


def _labelled(args: argparse.Namespace, paths: list[Path], options: FitOptions) -> _Labelled:
    labels = [label for path in paths for label in read_labels(path)]
    return _Labelled(args, paths, labels, parsed(labels, args.corpus), args.cv or 5, options)


def _out_of_fold(run: _Labelled) -> tuple[float | None, Scores, str]:
    """The cross-validated report (with --sweep, --causes); returns (the threshold --write calibrates or
    None, the cross-validated scores, the model header's lines on the gold threshold or "")."""
    args, labels, found, k = run.args, run.labels, run.found, run.k
    models = out_of_fold(labels, found, k, run.options)
    sweep = threshold_sweep(labels, found, models)
    threshold = best_threshold(sweep, args.min_recall) if args.write else None
    gold_header = ""
    if args.write and args.gold_precision and args.all_labels:
        threshold, gold_header = gold_threshold(labels, found, k, run.options, args.gold_precision)
    scores = cross_validated(labels, found, k, threshold=threshold, models=models)
    name = f"{k}-fold cross-validated, {len(labels)} articles of {' + '.join(p.name for p in run.paths)}"
    report(name, scores, args.misses and not args.causes)
    if args.sweep:
        print_sweep(sweep)
    if args.causes:
        if threshold is not None:
            models = [dataclasses.replace(w, threshold=threshold) for w in models]
        report_causes(miss_causes(labels, found, models, args.corpus), args.misses)
    return threshold, scores, gold_header


def _fit_model(run: _Labelled, threshold: float | None, scores: Scores | None, gold_header: str) -> None:
    """Fit on every label; print the model, or with --write write it with a header saying how it was made."""
    weights = fit(run.labels, run.found, run.options, threshold)
    if not run.args.write:
        print(model_yaml(weights, ""))
        return
    header = _model_header(run, scores, gold_header)
    MODEL_YAML.write_text(model_yaml(weights, header), encoding="utf-8")
    print(f"wrote {MODEL_YAML} (threshold {weights.threshold:.3f})")


def _model_header(run: _Labelled, scores: Scores, gold_header: str) -> str:
    args = run.args
    precision, recall, f1 = scores.micro()
    given = "--all-labels" if args.all_labels else " ".join(f"--labels {p}" for p in run.paths)
    if gold_header:
        given += f" --gold-precision {args.gold_precision}"
    header = MODEL_HEADER.format(
        args=given,
        n=len(run.labels),
        k=run.options.terms_per_topic,
        s=run.options.min_support,
        k_fold=run.k,
        p=precision,
        r=recall,
        f=f1,
        primary=scores.primary_right / scores.articles,
    )
    return header + gold_header


if __name__ == "__main__":
    sys.exit(main())
