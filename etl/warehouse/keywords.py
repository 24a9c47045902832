"""Rising terms outside the taxonomy: a new story shows up before anyone adds it to topics.yaml.

Titles and lead paragraphs are converted to simplified script (OpenCC t2s). Chinese is segmented with rjieba;
English words are found by a regular expression and counted case-folded (except that an English stopword
written in capitals is an acronym: US, WHO), and the table shows each English term in its most frequent
spelling. A term is counted once per article (document frequency). The recent window is the `window_days` days
up to `window_end` (the warehouse passes coverage.edge_day, the archive's "now", not today: archives are
historical); the background is every earlier day; articles after window_end are left out. For each term:

    recent_rate     = recent_articles / articles in the window
    background_rate = (background_articles + 1) / (articles in the background + 1)   # add-one smoothing
    lift            = recent_rate / background_rate
    score           = recent_articles * ln(lift)

so a term scores high when it is both frequent in the window and much more frequent than before. A term is
left out when it is in fewer than `min_articles` recent articles, or from fewer than `min_outlets` outlets in
the window (a term rising in one outlet is that outlet's story or its boilerplate, not a trend), or has lift
<= 1. Words are left out before counting when they are in the stopword registry
(etl/registries/stopwords.yaml, plus the English list of the `stop-words` package), carry a dropped part of
speech (function words, adjectives, numerals, time words: rjieba's tags, listed in the registry), are shorter
than two characters, hold no Chinese character (Chinese words) or overlap a registry term (topic keywords,
agency and outlet names, in either direction: `疫情` is left out when `新冠疫情` is a keyword; English words
when they are a word of one).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import ahocorasick_rs
import opencc
import pyarrow as pa
import rjieba
import stop_words

from etl.warehouse.registries import read_yaml

WINDOW_DAYS = 7
MIN_ARTICLES = 3
MIN_OUTLETS = 3  # outlets a term must come from in the window to count as a trend
TOP_N = 200

STOPWORDS_YAML = Path(__file__).resolve().parent.parent / "registries" / "stopwords.yaml"

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# An English word: letters and digits, joined by inner apostrophes or hyphens (Biden's, COVID-19, G7).
_ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
ACRONYM_MAX_LETTERS = 5


@dataclass(frozen=True)
class Stopwords:
    """What the stopword registry says: Chinese words, English words (case-folded) and jieba tags to drop."""

    chinese: frozenset[str]
    english: frozenset[str]
    dropped_tags: frozenset[str]

    @classmethod
    def load(cls, path: Path = STOPWORDS_YAML) -> Stopwords:
        """From a stopwords.yaml (the shipped one when `path` is absent), plus the package's English list."""
        data = read_yaml(path if path.exists() else STOPWORDS_YAML) or {}
        english = [*stop_words.get_stop_words("en"), *_listed_words(data.get("english"))]
        return cls(
            chinese=frozenset(_listed_words(data.get("chinese"))),
            english=frozenset(w.casefold() for w in english),
            dropped_tags=frozenset(data.get("drop_parts_of_speech") or ()),
        )


def _listed_words(section: object) -> list[str]:
    """The words of a registry section: a list, or a mapping of named lists (groups for the reader)."""
    if isinstance(section, dict):
        return [w for group in section.values() for w in _listed_words(group)]
    if isinstance(section, list):
        return [str(w).strip() for w in section if str(w).strip()]
    return []


def part_of_speech(word: str) -> str:
    """jieba's tag of a word: a dictionary word's own tag, "x" for a word jieba does not know (it splits it
    when alone), as rjieba.tag tags it inside a sentence."""
    tagged = rjieba.tag(word)
    return tagged[0][1] if len(tagged) == 1 else "x"


@dataclass(frozen=True)
class Doc:
    pub_date: date
    outlet: str
    title: str
    lead: str


class TaxonomyFilter:
    """True for terms that overlap a registry term in either direction; an English term when it is one of the
    English words of a registry term (case-insensitive: Reuters, AFP)."""

    def __init__(self, terms: Iterable[str]):
        terms = list(terms)
        cjk_terms = sorted({t for t in terms if len(t) >= 2})
        self._contains = ahocorasick_rs.AhoCorasick(cjk_terms) if cjk_terms else None
        self._parts = {t[i:j] for t in cjk_terms for i in range(len(t)) for j in range(i + 2, len(t) + 1)}
        self._english = {w.casefold() for t in terms for w in _ENGLISH_WORD.findall(t)}

    def __call__(self, term: str) -> bool:
        if term.isascii():
            return term.casefold() in self._english
        if term in self._parts:
            return True
        return bool(self._contains and self._contains.find_matches_as_indexes(term))


@dataclass(frozen=True)
class TermRules:
    """Which words count as terms, and as which term."""

    stopwords: Stopwords

    def chinese_term(self, word: str) -> str | None:
        """The term a segmented word counts as, or None when it is dropped. Words without a Chinese character
        (Latin, digits, punctuation) are left to english_term."""
        word = word.strip()
        if len(word) < 2 or not _HAN.search(word) or word in self.stopwords.chinese:
            return None
        return None if part_of_speech(word) in self.stopwords.dropped_tags else word

    def english_term(self, word: str) -> str | None:
        """The case-folded word, None when it is a stopword; but a stopword written in capitals (US, WHO, IT,
        up to ACRONYM_MAX_LETTERS letters) is an acronym and counts as itself."""
        word = _POSSESSIVE.sub("", word)
        folded = word.casefold()
        if len(folded) < 2:
            return None
        if folded not in self.stopwords.english:
            return folded
        return word if word.isupper() and len(word) <= ACRONYM_MAX_LETTERS else None


class Vocabulary:
    """Turns a document's text into its terms, judging each distinct word once: a corpus repeats the same few
    ten thousand words millions of times, so the per-document work is set algebra. Also remembers how each
    English term was spelled, to show its most frequent spelling."""

    def __init__(self, rules: TermRules) -> None:
        self._rules = rules
        self._judged: set[str] = set()
        self._kept: set[str] = set()  # words that are their own term
        self._stripped: dict[str, str] = {}  # words kept once stripped of surrounding whitespace
        self._english: dict[str, str | None] = {}

    def chinese_terms(self, words: Iterable[str]) -> set[str]:
        words = set(words)
        for word in words - self._judged:
            term = self._rules.chinese_term(word)
            if term == word:
                self._kept.add(word)
            elif term is not None:
                self._stripped[word] = term
            self._judged.add(word)
        terms = words & self._kept
        if self._stripped:
            terms.update(self._stripped[w] for w in words.intersection(self._stripped))
        return terms

    def english_spellings(self, text: str) -> dict[str, str]:
        """{English term: its first spelling in the text}."""
        spellings: dict[str, str] = {}
        for word in _ENGLISH_WORD.findall(text):
            if word not in self._english:
                self._english[word] = self._rules.english_term(word)
            term = self._english[word]
            if term is not None and term not in spellings:
                spellings[term] = _POSSESSIVE.sub("", word)
        return spellings


# Joins texts for one OpenCC call (a call costs far more than its characters). A private-use character is in
# no conversion phrase, so no conversion spans two texts; texts holding it are converted one by one.
_SEPARATOR = "\ue000"


def simplified(texts: list[str], converter: opencc.OpenCC) -> list[str]:
    if not any(_SEPARATOR in t for t in texts):
        converted = converter.convert(_SEPARATOR.join(texts)).split(_SEPARATOR)
        if len(converted) == len(texts):
            return converted
    return [converter.convert(t) for t in texts]


SCHEMA = pa.schema(
    [
        ("term", pa.string()),
        ("score", pa.float64()),
        ("lift", pa.float64()),
        ("recent_articles", pa.int64()),
        ("background_articles", pa.int64()),
        ("recent_rate", pa.float64()),
        ("background_rate", pa.float64()),
        ("outlets", pa.int64()),
        ("first_seen", pa.date32()),
        ("window_start", pa.date32()),
        ("window_end", pa.date32()),
        ("example_title", pa.string()),
    ]
)


def keyword_trends(
    docs: Iterable[Doc],
    taxonomy: Iterable[str],
    window_end: date | None = None,
    window_days: int = WINDOW_DAYS,
    min_articles: int = MIN_ARTICLES,
    min_outlets: int = MIN_OUTLETS,
    top_n: int = TOP_N,
    stopwords: Stopwords | None = None,
) -> pa.Table:
    """stopwords: None = the shipped registry (etl/registries/stopwords.yaml)."""
    docs = list(docs)
    window_end = window_end or max((d.pub_date for d in docs), default=None)
    # By day (a stable sort): a term's first day is the day it is first met, and documents of one day keep
    # their order, which decides between equally good example titles.
    docs = sorted((d for d in docs if window_end and d.pub_date <= window_end), key=lambda d: d.pub_date)
    if not docs:
        return SCHEMA.empty_table()
    window_start = window_end - timedelta(days=window_days - 1)
    counts = _count(docs, window_start, TermRules(stopwords or Stopwords.load()))
    skip = TaxonomyFilter(taxonomy)
    rows = []
    for term, count in counts.recent.items():
        if count < min_articles or len(counts.outlets[term]) < min_outlets or skip(term):
            continue
        recent_rate = count / counts.n_recent
        background_rate = (counts.background[term] + 1) / (counts.n_background + 1)
        lift = recent_rate / background_rate
        if lift <= 1:
            continue
        rows.append(
            {
                "term": counts.display(term),
                "score": count * math.log(lift),
                "lift": lift,
                "recent_articles": count,
                "background_articles": counts.background[term],
                "recent_rate": recent_rate,
                "background_rate": background_rate,
                "outlets": len(counts.outlets[term]),
                "first_seen": counts.first_seen[term],
                "window_start": window_start,
                "window_end": window_end,
                "example_title": counts.example[term][2],
            }
        )
    rows.sort(key=lambda r: (-r["score"], r["term"]))
    return pa.Table.from_pylist(rows[:top_n], schema=SCHEMA)


def mentions(title: str, term: str) -> bool:
    """Whether a (simplified) title holds the term; English terms regardless of case."""
    return term.casefold() in title.casefold() if term.isascii() else term in title


@dataclass
class _Counts:
    """What keyword_trends needs from the documents, counted in day order."""

    window_start: date
    recent: Counter = field(default_factory=Counter)
    background: Counter = field(default_factory=Counter)
    first_seen: dict[str, date] = field(default_factory=dict)
    outlets: dict[str, set[str]] = field(default_factory=dict)
    example: dict[str, tuple[bool, date, str]] = field(default_factory=dict)  # latest recent title holding it
    spellings: dict[str, Counter] = field(default_factory=dict)  # English term -> its spellings in the window
    n_recent: int = 0
    n_background: int = 0

    def count(self, docs: list[Doc], texts: list[str], converter: opencc.OpenCC, rules: TermRules) -> _Counts:
        vocabulary = Vocabulary(rules)
        for doc, text in zip(docs, texts, strict=True):
            english = vocabulary.english_spellings(text)
            terms = vocabulary.chinese_terms(rjieba.cut(text)) | set(english)
            for term in terms.difference(self.first_seen):
                self.first_seen[term] = doc.pub_date
            if doc.pub_date < self.window_start:
                self.n_background += 1
                self.background.update(terms)
                continue
            self.n_recent += 1
            self.recent.update(terms)
            for term, spelling in english.items():
                self.spellings.setdefault(term, Counter())[spelling] += 1
            title = converter.convert(doc.title)
            for term in terms:
                self.outlets.setdefault(term, set()).add(doc.outlet)
                self._offer(term, (mentions(title, term), doc.pub_date, doc.title))
        return self

    def _offer(self, term: str, candidate: tuple[bool, date, str]) -> None:
        """A later title replaces the example only when strictly better (holding the term, then newer)."""
        if term not in self.example or candidate[:2] > self.example[term][:2]:
            self.example[term] = candidate

    def display(self, term: str) -> str:
        """An English term in its most frequent spelling (ties: the first in code point order)."""
        spellings = self.spellings.get(term)
        return min(spellings, key=lambda s: (-spellings[s], s)) if spellings else term


def _count(docs: list[Doc], window_start: date, rules: TermRules) -> _Counts:
    converter = opencc.OpenCC("t2s")
    texts = simplified([f"{d.title}\n{d.lead}" for d in docs], converter)
    return _Counts(window_start).count(docs, texts, converter, rules)
