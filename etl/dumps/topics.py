"""Topic tagging of one article against the taxonomy in etl/registries/topics.yaml.

Matching rule (also documented in the header of topics.yaml):
1. Title and body are normalised (etl.dumps.normalize): traditional -> simplified with OpenCC, and name
   variants count as their canonical spelling (川普 -> 特朗普, 普丁 -> 普京).
2. One Aho-Corasick pass (leftmost-longest, case-sensitive) over each of title and body counts the
   occurrences of every keyword; `blockers:` hide keywords inside longer words (中美洲 is not 中美).
3. An article is on a topic when a keyword occurs in the title, or title + body hold at least
   `min_mentions` occurrences, or the body holds at least `min_distinct` different keywords of the topic
   (defaults in topics.yaml, overridable per topic).
`TopicHit.mentions` counts occurrences in title + body; `in_title` says whether the title has one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick_rs
import yaml

from etl.dumps.normalize import load_aliases, normalize, to_simplified
from etl.dumps.record import TopicHit

REGISTRIES_DIR = Path(__file__).resolve().parent.parent / "registries"
TOPICS_YAML = REGISTRIES_DIR / "topics.yaml"


@dataclass(frozen=True)
class _Taxonomy:
    matcher: ahocorasick_rs.BytesAhoCorasick  # over UTF-8: no character-offset bookkeeping
    pattern_keyword: list[int]  # per pattern: keyword index (an alias counts as its canonical keyword)
    keyword_topics: list[tuple[int, ...]]  # per keyword: indexes into `topics` (empty for blockers)
    topics: list[str]  # topic codes, sorted
    min_mentions: list[int]
    min_distinct: list[int]
    newline_free: bool  # no pattern holds a newline (title and body can then be matched in one pass)


@lru_cache(maxsize=4)
def _taxonomy(path: Path = TOPICS_YAML) -> _Taxonomy:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    defaults = data.get("defaults") or {}
    entries = data.get("topics") or {}
    topics = sorted(entries)
    owners: dict[str, list[int]] = {}  # canonical keyword -> topic indexes
    min_mentions, min_distinct = [], []
    for i, code in enumerate(topics):
        entry = entries[code] or {}
        for keyword in entry.get("keywords") or []:
            owners.setdefault(normalize(str(keyword)), []).append(i)
        min_mentions.append(int(entry.get("min_mentions", defaults.get("min_mentions", 3))))
        min_distinct.append(int(entry.get("min_distinct", defaults.get("min_distinct", 2))))
    if not owners:
        raise ValueError(f"{path}: no topic keywords")
    for blocker in data.get("blockers") or []:
        owners.setdefault(normalize(str(blocker)), [])
    keywords = list(owners)
    keyword_index = {k: i for i, k in enumerate(keywords)}
    # Matching the alias variants directly equals folding them first (normalize.fold_aliases) and is
    # one pass cheaper; canonical spellings are patterns too, so leftmost-longest keeps them whole.
    pattern_keyword = {k: i for i, k in enumerate(keywords)}
    for variant, canonical in load_aliases(path).items():
        if canonical in keyword_index and variant not in pattern_keyword:
            pattern_keyword[variant] = keyword_index[canonical]
    patterns = list(pattern_keyword)
    matcher = ahocorasick_rs.BytesAhoCorasick(
        [p.encode() for p in patterns],
        matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
        implementation=ahocorasick_rs.Implementation.DFA,
    )
    return _Taxonomy(
        matcher,
        [pattern_keyword[p] for p in patterns],
        [tuple(owners[k]) for k in keywords],
        topics,
        min_mentions,
        min_distinct,
        not any("\n" in p for p in patterns),
    )


def _by_topic(tax: _Taxonomy, per_keyword: Counter) -> dict[int, dict[int, int]]:
    """{keyword index: occurrences} -> {topic index: {keyword index: occurrences}}."""
    found: dict[int, dict[int, int]] = {}
    for keyword, n in per_keyword.items():
        for topic in tax.keyword_topics[keyword]:
            found.setdefault(topic, {})[keyword] = n
    return found


def _count(tax: _Taxonomy, text: str) -> dict[int, dict[int, int]]:
    """{topic index: {keyword index: occurrences}} over the t2s-converted text."""
    if not text:
        return {}
    matches = tax.matcher.find_matches_as_indexes(to_simplified(text).encode())
    return _by_topic(tax, Counter([tax.pattern_keyword[m[0]] for m in matches]))


def _count_title_and_body(tax: _Taxonomy, title: str, body_text: str):
    """`_count` of title and of body in one conversion and one automaton pass over `title\nbody`.

    Equal to two separate passes because the title holds no newline and no keyword or alias does: OpenCC
    phrases and automaton matches cannot cross the newline, so it stays the first one after conversion.
    """
    if not title and not body_text:
        return {}, {}
    data = to_simplified(f"{title}\n{body_text}").encode()
    split = data.index(b"\n")
    pattern_keyword = tax.pattern_keyword
    in_title: list[int] = []
    in_body: list[int] = []
    for index, start, _end in tax.matcher.find_matches_as_indexes(data):
        (in_title if start < split else in_body).append(pattern_keyword[index])
    return _by_topic(tax, Counter(in_title)), _by_topic(tax, Counter(in_body))


def match_topics(title: str, body_text: str) -> list[TopicHit]:
    """Topics the article is on, sorted by topic code."""
    tax = _taxonomy()
    title, body_text = title or "", body_text or ""
    if "\n" in title or not tax.newline_free:
        in_title, in_body = _count(tax, title), _count(tax, body_text)
    else:
        in_title, in_body = _count_title_and_body(tax, title, body_text)
    hits = []
    for topic in sorted(in_title.keys() | in_body.keys()):
        body_keywords = in_body.get(topic, {})
        mentions = sum(in_title.get(topic, {}).values()) + sum(body_keywords.values())
        on_topic = (
            topic in in_title
            or mentions >= tax.min_mentions[topic]
            or len(body_keywords) >= tax.min_distinct[topic]
        )
        if on_topic:
            hits.append(TopicHit(topic=tax.topics[topic], mentions=mentions, in_title=topic in in_title))
    return hits
