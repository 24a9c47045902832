"""Rising terms outside the taxonomy: a new story shows up before anyone adds it to topics.yaml.

Titles and lead paragraphs are converted to simplified script (OpenCC t2s) and segmented with rjieba. A term
is counted once per article (document frequency). The recent window is the `window_days` days up to
`window_end` (the warehouse passes coverage.edge_day, the archive's "now", not today: archives are
historical); the background is every earlier day; articles after window_end are left out. For each term:

    recent_rate     = recent_articles / articles in the window
    background_rate = (background_articles + 1) / (articles in the background + 1)   # add-one smoothing
    lift            = recent_rate / background_rate
    score           = recent_articles * ln(lift)

so a term scores high when it is both frequent in the window and much more frequent than before. Terms seen in
fewer than `min_articles` recent articles, with lift <= 1, shorter than two characters, made of digits or
punctuation, in the stopword list, or overlapping a registry term (topic keywords, agency and outlet names, in
either direction: `疫情` is left out when `新冠疫情` is a keyword) are dropped.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import ahocorasick_rs
import opencc
import pyarrow as pa
import rjieba

WINDOW_DAYS = 7
MIN_ARTICLES = 3
TOP_N = 200

# Function words and news boilerplate that segmentation keeps as words (two characters or more).
STOPWORDS = frozenset(
    """
    我们 你们 他们 她们 它们 自己 这个 那个 这些 那些 这样 那样 这里 那里 什么 怎么 为什么 如何 因为 所以 但是
    而且 并且 或者 以及 如果 虽然 不过 还是 已经 正在 可能 可以 应该 需要 没有 不是 就是 一个 一些 一名 一位
    一次 一种 表示 认为 指出 称 说 报道 报导 消息 新闻 记者 周一 周二 周三 周四 周五 周六 周日 星期一 星期二
    星期三 星期四 星期五 星期六 星期日 今天 昨天 明天 今年 去年 明年 目前 当地 时间 日前 近日 此前 之后 之前
    以来 期间 其中 其他 包括 进行 通过 对于 关于 根据 由于 以及 此外 同时 继续 开始 发生 成为 问题 情况 方面
    有关 相关 表明 宣布 发布 举行 会议 官员 政府 国家 地区 人士 民众 视频 图片 直播 专题 评论 分析 观点 更新
    中文 网站 版权 所有 文章 全文 阅读 更多 获取 订阅 德国之声 美国之音 法广 路透 纽约时报 中文网
    这一 这次 不少 许多 大量 广泛 充分 进一步 部分 方式 作为 实际 重要 主要 一直 仍然 并未 是否 以上 以下
    """.split()  # noqa: SIM905 (a block of words reads better than a list literal)
)

_DROP = re.compile(r"^[\d\W_]+$")  # digits, punctuation, whitespace only


@dataclass(frozen=True)
class Doc:
    pub_date: date
    outlet: str
    title: str
    lead: str


class TaxonomyFilter:
    """True for terms that overlap a registry term in either direction."""

    def __init__(self, terms: Iterable[str]):
        cjk_terms = sorted({t for t in terms if len(t) >= 2})
        self._contains = ahocorasick_rs.AhoCorasick(cjk_terms) if cjk_terms else None
        self._parts = {t[i:j] for t in cjk_terms for i in range(len(t)) for j in range(i + 2, len(t) + 1)}

    def __call__(self, term: str) -> bool:
        if term in self._parts:
            return True
        return bool(self._contains and self._contains.find_matches_as_indexes(term))


def term_of(word: str) -> str | None:
    """The term a segmented word counts as, or None when it is dropped."""
    word = word.strip()
    if len(word) >= 2 and word not in STOPWORDS and not _DROP.match(word):
        return word
    return None


class Vocabulary:
    """Turns a document's segmented words into its set of terms, judging each distinct word once: a corpus
    repeats the same few ten thousand words millions of times, so the per-document work is set algebra."""

    def __init__(self) -> None:
        self._judged: set[str] = set()
        self._kept: set[str] = set()  # words that are their own term
        self._stripped: dict[str, str] = {}  # words kept once stripped of surrounding whitespace

    def terms(self, words: Iterable[str]) -> set[str]:
        words = set(words)
        for word in words - self._judged:
            term = term_of(word)
            if term == word:
                self._kept.add(word)
            elif term is not None:
                self._stripped[word] = term
            self._judged.add(word)
        terms = words & self._kept
        if self._stripped:
            terms.update(self._stripped[w] for w in words.intersection(self._stripped))
        return terms


# Joins texts for one OpenCC call (a call costs far more than its characters). A private-use character is in
# no conversion phrase, so no conversion spans two texts; texts holding it are converted one by one.
_SEPARATOR = "\ue000"


def simplified(texts: list[str], converter: opencc.OpenCC) -> list[str]:
    if not any(_SEPARATOR in t for t in texts):
        converted = converter.convert(_SEPARATOR.join(texts)).split(_SEPARATOR)
        if len(converted) == len(texts):
            return converted
    return [converter.convert(t) for t in texts]


def keyword_trends(
    docs: Iterable[Doc],
    taxonomy: Iterable[str],
    window_end: date | None = None,
    window_days: int = WINDOW_DAYS,
    min_articles: int = MIN_ARTICLES,
    top_n: int = TOP_N,
) -> pa.Table:
    docs = list(docs)
    window_end = window_end or max((d.pub_date for d in docs), default=None)
    # By day (a stable sort): a term's first day is the day it is first met, and documents of one day keep
    # their order, which decides between equally good example titles.
    docs = sorted((d for d in docs if window_end and d.pub_date <= window_end), key=lambda d: d.pub_date)
    schema = pa.schema(
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
    if not docs:
        return schema.empty_table()
    window_start = window_end - timedelta(days=window_days - 1)
    counts = _count(docs, window_start)
    skip = TaxonomyFilter(taxonomy)
    rows = []
    for term, count in counts.recent.items():
        if count < min_articles or skip(term):
            continue
        recent_rate = count / counts.n_recent
        background_rate = (counts.background[term] + 1) / (counts.n_background + 1)
        lift = recent_rate / background_rate
        if lift <= 1:
            continue
        rows.append(
            {
                "term": term,
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
    return pa.Table.from_pylist(rows[:top_n], schema=schema)


@dataclass
class _Counts:
    """What keyword_trends needs from the documents, counted in day order."""

    window_start: date
    recent: Counter = field(default_factory=Counter)
    background: Counter = field(default_factory=Counter)
    first_seen: dict[str, date] = field(default_factory=dict)
    outlets: dict[str, set[str]] = field(default_factory=dict)
    example: dict[str, tuple[bool, date, str]] = field(default_factory=dict)  # latest recent title holding it
    n_recent: int = 0
    n_background: int = 0

    def count(self, docs: list[Doc], texts: list[str], converter: opencc.OpenCC) -> _Counts:
        vocabulary = Vocabulary()
        for doc, text in zip(docs, texts, strict=True):
            terms = vocabulary.terms(rjieba.cut(text))
            for term in terms.difference(self.first_seen):
                self.first_seen[term] = doc.pub_date
            if doc.pub_date < self.window_start:
                self.n_background += 1
                self.background.update(terms)
                continue
            self.n_recent += 1
            self.recent.update(terms)
            title = converter.convert(doc.title)
            for term in terms:
                self.outlets.setdefault(term, set()).add(doc.outlet)
                self._offer(term, (term in title, doc.pub_date, doc.title))
        return self

    def _offer(self, term: str, candidate: tuple[bool, date, str]) -> None:
        """A later title replaces the example only when strictly better (holding the term, then newer)."""
        if term not in self.example or candidate[:2] > self.example[term][:2]:
            self.example[term] = candidate


def _count(docs: list[Doc], window_start: date) -> _Counts:
    converter = opencc.OpenCC("t2s")
    texts = simplified([f"{d.title}\n{d.lead}" for d in docs], converter)
    return _Counts(window_start).count(docs, texts, converter)
