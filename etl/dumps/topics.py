"""Topic tagging of one article: which taxonomy topics it is *about*, not which keywords it contains.

The rule is documented once, in the header of etl/registries/topics.yaml (the standard it serves is
../shared/gold/TOPIC-RULES.md). In short:
1. title + the opening paragraphs are normalised (t2s, aliases, lower case) and matched in ONE Aho-Corasick
   pass; each match is placed in its paragraph (0 = the title);
2. each topic found becomes a candidate described by a few features (title, lead, share of paragraphs,
   spread, mentions, distinct keywords, list paragraphs, weak keywords, rank against the strongest topic);
3. a logistic score over those features (weights in topics.yaml) keeps the topic at or above the threshold;
   the highest kept score is the primary topic;
4. digests keep only their lead item's topics and themes that fill several items.

`candidates()` and `decide()` are separate so that bench/topics.py can refit the weights on folds of the hand
labels (cross-validation) without re-reading the corpus.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ahocorasick_rs
import yaml

from etl.dumps.normalize import load_aliases, normalize, to_simplified
from etl.dumps.record import TopicHit

REGISTRIES_DIR = Path(__file__).resolve().parent.parent / "registries"
TOPICS_YAML = REGISTRIES_DIR / "topics.yaml"

FEATURES = ("title", "lead", "share", "spread", "strong", "weak", "distinct", "listed", "rank")
LEAD_PARAGRAPHS = 2
_BULLET = re.compile(r"^\s*(?:[•·●▪■◆\-\*]|\d{1,2}[.、．)]|[（(]\d{1,2}[)）])")
_TITLE_SEGMENTS = re.compile(r"[；;|｜]")


@dataclass(frozen=True)
class Weights:
    weights: tuple[float, ...]  # in FEATURES order
    bias: float
    threshold: float
    offsets: dict[str, float] = field(default_factory=dict)  # per topic, added to the bias

    def score(self, topic: str, features: tuple[float, ...]) -> float:
        z = self.bias + self.offsets.get(topic, 0.0)
        z += sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class _Taxonomy:
    matcher: ahocorasick_rs.BytesAhoCorasick  # over lower-cased UTF-8
    pattern_keyword: list[int]  # per pattern: keyword index (an alias counts as its canonical keyword)
    keyword_owners: list[tuple[tuple[int, bool], ...]]  # per keyword: (topic index, weak) pairs
    keyword_pairs: list[tuple[tuple[int, int], ...]]  # per keyword: (pair topic index, side bit 1 or 2)
    keyword_is_word: list[bool]  # an English keyword: must stand as a whole word
    topics: list[str]  # topic codes, sorted
    places: frozenset[int]
    read_chars: int
    list_places: int
    weights: Weights
    digest_titles: tuple[str, ...]
    digest_markers: tuple[str, ...]
    digest_min_paragraphs: int
    digest_short_chars: int
    digest_bullet_share: float
    digest_min_items: int
    digest_headline_chars: int


def _keyword(text: object) -> str:
    return normalize(str(text)).lower()


def _pair_side(keyword: str, sides: list[list[str]]) -> int:
    """Side bits of a keyword: 1 when it starts with a term of the first side, 2 of the second."""
    bits = 0
    for bit, terms in ((1, sides[0]), (2, sides[1])):
        if any(keyword.startswith(term) for term in terms):
            bits |= bit
    return bits


@lru_cache(maxsize=4)
def _taxonomy(path: Path = TOPICS_YAML) -> _Taxonomy:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("topics") or {}
    topics = sorted(entries)
    topic_index = {code: i for i, code in enumerate(topics)}
    owners: dict[str, dict[int, bool]] = {}  # keyword -> {topic index: weak}
    for i, code in enumerate(topics):
        entry = entries[code] or {}
        for weak, key in ((False, "keywords"), (True, "weak")):
            for keyword in entry.get(key) or []:
                owners.setdefault(_keyword(keyword), {}).setdefault(i, weak)
    if not owners:
        raise ValueError(f"{path}: no topic keywords")
    for blocker in data.get("blockers") or []:
        owners.setdefault(_keyword(blocker), {})
    pairs = {
        code: [[_keyword(t) for t in side] for side in sides]
        for code, sides in (data.get("pairs") or {}).items()
    }
    for sides in pairs.values():
        for term in sides[0] + sides[1]:
            owners.setdefault(term, {})
    keywords = list(owners)
    keyword_index = {k: i for i, k in enumerate(keywords)}
    # Matching the alias variants directly equals folding them first (normalize.fold_aliases) and is one
    # pass cheaper; canonical spellings are patterns too, so leftmost-longest keeps them whole.
    pattern_keyword = {k: i for i, k in enumerate(keywords)}
    for variant, canonical in load_aliases(path).items():
        canonical = canonical.lower()
        if canonical in keyword_index and variant.lower() not in pattern_keyword:
            pattern_keyword[variant.lower()] = keyword_index[canonical]
    patterns = list(pattern_keyword)
    if any("\n" in p for p in patterns):
        raise ValueError(f"{path}: a keyword holds a newline")
    matcher = ahocorasick_rs.BytesAhoCorasick(
        [p.encode() for p in patterns],
        matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
        implementation=ahocorasick_rs.Implementation.DFA,
    )
    relevance = data.get("relevance") or {}
    weights = relevance.get("weights") or {}
    digest = data.get("digest") or {}
    return _Taxonomy(
        matcher=matcher,
        pattern_keyword=[pattern_keyword[p] for p in patterns],
        keyword_owners=[tuple(owners[k].items()) for k in keywords],
        keyword_pairs=[
            tuple(
                (topic_index[code], bits) for code, sides in pairs.items() if (bits := _pair_side(k, sides))
            )
            for k in keywords
        ],
        keyword_is_word=[k.isascii() and any(c.isalpha() for c in k) for k in keywords],
        topics=topics,
        places=frozenset(topic_index[c] for c in relevance.get("places") or [] if c in topic_index),
        read_chars=int(relevance.get("read_chars", 3000)),
        list_places=int(relevance.get("list_places", 4)),
        weights=Weights(
            tuple(float(weights.get(f, 0.0)) for f in FEATURES),
            float(relevance.get("bias", 0.0)),
            float(relevance.get("threshold", 0.5)),
            {str(k): float(v) for k, v in (relevance.get("offsets") or {}).items()},
        ),
        digest_titles=tuple(_keyword(t) for t in digest.get("titles") or []),
        digest_markers=tuple(_keyword(t) for t in digest.get("body_markers") or []),
        digest_min_paragraphs=int(digest.get("body_min_paragraphs", 8)),
        digest_short_chars=int(digest.get("short_chars", 160)),
        digest_bullet_share=float(digest.get("bullet_share", 0.5)),
        digest_min_items=int(digest.get("min_items", 3)),
        digest_headline_chars=int(digest.get("headline_chars", 60)),
    )


def topic_names(path: Path = TOPICS_YAML) -> dict[str, tuple[str, str]]:
    """{topic code: (Chinese name, English name)} of the taxonomy."""
    entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("topics") or {}
    return {code: (str(e.get("name", code)), str(e.get("name_en", code))) for code, e in entries.items()}


@dataclass
class _Presence:
    """Where one topic occurs: paragraph numbers (0 = the title) and its keywords."""

    paragraphs: set[int] = field(default_factory=set)
    strong_paragraphs: set[int] = field(default_factory=set)
    mentions: int = 0
    weak_mentions: int = 0
    keywords: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Candidate:
    topic: str
    features: tuple[float, ...]  # in FEATURES order
    mentions: int
    in_title: bool
    in_lead: bool
    share: float
    items: int  # body paragraphs naming the topic
    in_lead_item: bool  # in the first title segment or the first body paragraph (digests)


@dataclass(frozen=True)
class Candidates:
    items: list[Candidate]
    digest: bool
    headlines_only: bool  # a digest of one-line headlines (新闻联播 文字版): its lead item alone counts
    min_items: int = 3  # in a digest, a theme named in this many items counts beside the lead item


@dataclass(frozen=True)
class Tagging:
    hits: list[TopicHit]  # kept topics, sorted by code
    primary: str | None
    digest: bool

    @property
    def topics(self) -> list[str]:
        return [h.topic for h in self.hits]


def _read_part(body_text: str, read_chars: int) -> list[str]:
    """The body paragraphs a reader judges the article by: those starting in its first `read_chars`."""
    if len(body_text) > read_chars:
        cut = body_text.find("\n", read_chars)
        if cut >= 0:
            body_text = body_text[:cut]
    return body_text.split("\n") if body_text else []


def _is_digest(tax: _Taxonomy, title: str, paragraphs: list[str]) -> tuple[bool, bool]:
    """(digest, headlines only) from the title's wording or the body's shape."""
    folded = title.lower()
    by_title = any(t in folded for t in tax.digest_titles)
    by_marker = any(p[:40].lower().startswith(tax.digest_markers) for p in paragraphs)
    by_shape = False
    if len(paragraphs) >= tax.digest_min_paragraphs:
        short = sum(len(p) < tax.digest_short_chars for p in paragraphs)
        bullets = sum(bool(_BULLET.match(p)) for p in paragraphs)
        by_shape = short >= 0.8 * len(paragraphs) and bullets >= tax.digest_bullet_share * len(paragraphs)
    digest = by_title or by_marker or by_shape
    headlines = digest and len(paragraphs) >= 5
    if headlines:
        headlines = sum(len(p) < tax.digest_headline_chars for p in paragraphs) >= 0.8 * len(paragraphs)
    return digest, headlines


def candidates(title: str, body_text: str, path: Path = TOPICS_YAML) -> Candidates:
    """Every topic the title or the read part of the body names, with its relevance features."""
    tax = _taxonomy(path)
    title = (title or "").replace("\n", " ")
    paragraphs = _read_part(body_text or "", tax.read_chars)
    digest, headlines_only = _is_digest(tax, to_simplified(title), paragraphs)
    if digest:  # only the lead item of a digest's title counts as its title
        title = _TITLE_SEGMENTS.split(title, maxsplit=1)[0]
        if headlines_only:  # 新闻联播 文字版: the title strings the headlines together; the body has them
            title = ""
    data = to_simplified(title + "\n" + "\n".join(paragraphs)).lower().encode()
    breaks = []
    at = data.find(b"\n")
    while at >= 0:
        breaks.append(at)
        at = data.find(b"\n", at + 1)
    found: dict[int, _Presence] = {}
    places_in: dict[int, set[int]] = {}  # paragraph -> place topics named there
    pair_bits: dict[tuple[int, int], int] = {}  # (pair topic, paragraph) -> side bits seen
    for pattern, start, end in tax.matcher.find_matches_as_indexes(data):
        keyword = tax.pattern_keyword[pattern]
        if tax.keyword_is_word[keyword] and not _whole_word(data, start, end):
            continue
        paragraph = bisect_right(breaks, start)
        for topic, weak in tax.keyword_owners[keyword]:
            presence = found.get(topic) or found.setdefault(topic, _Presence())
            presence.paragraphs.add(paragraph)
            presence.mentions += 1
            presence.keywords.add(keyword)
            if weak:
                presence.weak_mentions += 1
            else:
                presence.strong_paragraphs.add(paragraph)
            if topic in tax.places:
                places_in.setdefault(paragraph, set()).add(topic)
        for topic, bits in tax.keyword_pairs[keyword]:
            pair_bits[topic, paragraph] = pair_bits.get((topic, paragraph), 0) | bits
    for (topic, paragraph), bits in pair_bits.items():
        if bits == 3:  # both sides in one paragraph: the two states dealing with each other
            presence = found.get(topic) or found.setdefault(topic, _Presence())
            presence.paragraphs.add(paragraph)
            presence.mentions += 1
            presence.strong_paragraphs.add(paragraph)
            presence.keywords.add(-1)
    lists = {p for p, topics in places_in.items() if len(topics) >= tax.list_places}
    items = _describe(tax, found, lists, len(paragraphs))
    return Candidates(items, digest, headlines_only, tax.digest_min_items)


def _whole_word(data: bytes, start: int, end: int) -> bool:
    before = data[start - 1 : start]
    after = data[end : end + 1]
    return not (before.isalnum() and before.isascii()) and not (after.isalnum() and after.isascii())


def _strength(title: float, lead: float, share: float, mentions: int) -> float:
    """A fixed, label-free measure of presence, used only to rank an article's topics against each other."""
    return 2.0 * title + lead + 3.0 * share + math.log1p(mentions)


def _describe(
    tax: _Taxonomy, found: dict[int, _Presence], lists: set[int], n_paragraphs: int
) -> list[Candidate]:
    rows = []
    for topic, p in found.items():
        body = {i for i in p.paragraphs if i > 0}
        title = 1.0 if 0 in p.strong_paragraphs else 0.5 if 0 in p.paragraphs else 0.0
        lead_strong = any(0 < i <= LEAD_PARAGRAPHS for i in p.strong_paragraphs)
        lead = 1.0 if lead_strong else 0.5 if any(0 < i <= LEAD_PARAGRAPHS for i in body) else 0.0
        share = len(body) / n_paragraphs if n_paragraphs else 0.0
        listed = len(body & lists) / len(body) if body and topic in tax.places else 0.0
        rows.append((topic, p, body, title, lead, share, listed))
    strengths = [_strength(r[3], r[4], r[5], r[1].mentions) for r in rows]
    strongest = max(strengths, default=1.0) or 1.0
    out = []
    for (topic, p, body, title, lead, share, listed), strength in zip(rows, strengths, strict=True):
        features = (
            title,
            lead,
            share,
            math.log1p(len(body)),
            math.log1p(p.mentions - p.weak_mentions),
            math.log1p(p.weak_mentions),
            math.log1p(len(p.keywords)),
            listed,
            strength / strongest,
        )
        out.append(
            Candidate(
                topic=tax.topics[topic],
                features=features,
                mentions=p.mentions,
                in_title=0 in p.paragraphs,
                in_lead=lead > 0,
                share=round(share, 4),
                items=len(body),
                in_lead_item=bool(p.paragraphs & {0, 1}),
            )
        )
    return out


def _digest_keeps(found: Candidates, c: Candidate, score: float, threshold: float) -> bool:
    """A digest's topic: its lead item's (at a lower bar: one item is short), or a theme filling several
    items (never in a list of bare headlines, where the lead item alone counts)."""
    if c.in_lead_item and score >= threshold / 2:
        return True
    return not found.headlines_only and c.items >= found.min_items and score >= threshold


def decide(found: Candidates, weights: Weights) -> Tagging:
    """Keep the candidates scoring at or above the threshold; digests keep only their lead item's topics and
    themes that fill several items."""
    kept: list[tuple[float, Candidate]] = []
    for c in found.items:
        score = weights.score(c.topic, c.features)
        if not (
            _digest_keeps(found, c, score, weights.threshold) if found.digest else score >= weights.threshold
        ):
            continue
        kept.append((score, c))
    hits = [
        TopicHit(
            topic=c.topic,
            mentions=c.mentions,
            in_title=c.in_title,
            in_lead=c.in_lead,
            share=c.share,
            score=round(score, 4),
        )
        for score, c in sorted(kept, key=lambda sc: sc[1].topic)
    ]
    primary = max(kept, key=lambda sc: (sc[0], sc[1].features[-1]), default=(0.0, None))[1]
    return Tagging(hits, primary.topic if primary else None, found.digest)


def tag_topics(title: str, body_text: str, path: Path = TOPICS_YAML) -> Tagging:
    """The kept topics (with score and why), the primary topic and the digest flag of one article."""
    return decide(candidates(title, body_text, path), _taxonomy(path).weights)


def match_topics(title: str, body_text: str) -> list[TopicHit]:
    """Kept topics, sorted by topic code (`tag_topics(...).hits`)."""
    return tag_topics(title, body_text).hits
