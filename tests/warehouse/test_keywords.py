"""keyword_trends: the fast path (one OpenCC call, words judged once, documents by day) gives exactly what the
plain definition in keywords.py's docstring gives, computed here document by document."""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import date, timedelta

import opencc
import pyarrow as pa
import rjieba

from etl.warehouse import keywords
from etl.warehouse.keywords import Doc, Vocabulary, keyword_trends, simplified, term_of

CONVERTER = opencc.OpenCC("t2s")
WORDS = ["北约", "峰会", "乌克兰", "停火", "谈判", "台湾", "選舉", "軟體", "晶片", "出口", "管制", "央行"]
WORDS += ["利率", "洪水", "救灾", "疫苗", "新冠", "华盛顿", "东京", "會談"]


def reference_trends(docs, taxonomy, window_end, window_days=7, min_articles=3, top_n=200):
    """The definition, one document at a time in the order given (a term's first day is its minimum day;
    ties between example titles go to the first document met)."""
    docs = [d for d in docs if d.pub_date <= window_end]
    start = window_end - timedelta(days=window_days - 1)
    skip = keywords.TaxonomyFilter(taxonomy)
    recent, background, first, outlets, example = Counter(), Counter(), {}, {}, {}
    n_recent = n_background = 0
    for doc in docs:
        words = rjieba.cut(CONVERTER.convert(f"{doc.title}\n{doc.lead}"))
        terms = {t for t in (term_of(w) for w in words) if t}
        is_recent = doc.pub_date >= start
        n_recent += is_recent
        n_background += not is_recent
        for term in terms:
            first[term] = min(first.get(term, doc.pub_date), doc.pub_date)
            if is_recent:
                recent[term] += 1
                outlets.setdefault(term, set()).add(doc.outlet)
                candidate = (term in CONVERTER.convert(doc.title), doc.pub_date, doc.title)
                if term not in example or candidate[:2] > example[term][:2]:
                    example[term] = candidate
            else:
                background[term] += 1
    rows = []
    for term, count in recent.items():
        background_rate = (background[term] + 1) / (n_background + 1)
        lift = count / n_recent / background_rate
        if count >= min_articles and not skip(term) and lift > 1:
            rows.append(
                (-count * math.log(lift), term, count, background[term], first[term], example[term][2])
            )
    return sorted(rows)[:top_n]


def random_docs(seed: int, n: int) -> list[Doc]:
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    docs = []
    for i in range(n):
        day = start + timedelta(days=rng.randrange(40 if i % 3 else 45))  # the last days are the burst
        title = "".join(rng.choices(WORDS, k=rng.randint(2, 5))) + rng.choice(["", " 2024", "（更新）"])
        lead = "，".join("".join(rng.choices(WORDS, k=3)) for _ in range(rng.randint(1, 4)))
        docs.append(Doc(pub_date=day, outlet=rng.choice(["dw", "voa", "rfi"]), title=title, lead=lead))
    return docs


def as_rows(table: pa.Table) -> list[tuple]:
    return [
        (
            -r["score"],
            r["term"],
            r["recent_articles"],
            r["background_articles"],
            r["first_seen"],
            r["example_title"],
        )
        for r in table.to_pylist()
    ]


def test_fast_path_equals_the_definition_on_shuffled_documents():
    docs = random_docs(seed=7, n=1500)
    random.Random(1).shuffle(docs)  # first_seen and the example title must not depend on input order
    window_end = max(d.pub_date for d in docs)
    got = as_rows(keyword_trends(docs, ["停火谈判"], window_end=window_end, min_articles=2))
    want = reference_trends(docs, ["停火谈判"], window_end=window_end, min_articles=2)
    assert got and len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g[1:] == w[1:] and math.isclose(g[0], w[0])


def test_one_opencc_call_converts_like_one_call_per_text():
    texts = ["國際原子能機構\n發表報告", "", "軟體 出口管制", "abc 123", "台灣選舉\r\n結果"]
    assert simplified(texts, CONVERTER) == [CONVERTER.convert(t) for t in texts]
    with_separator = [*texts, "含\ue000分隔符的標題"]  # a text holding the separator: converted one by one
    assert simplified(with_separator, CONVERTER) == [CONVERTER.convert(t) for t in with_separator]


def test_vocabulary_keeps_the_terms_term_of_keeps():
    vocabulary = Vocabulary()
    for text in ["北约 峰会在华盛顿举行，我们 认为 2024", " 北约\t峰会 ", "\r\n北约", "乌克兰停火谈判"]:
        words = [*rjieba.cut(text), " 疫苗 ", "一个", "x"]  # a padded word counts once stripped
        assert vocabulary.terms(words) == {t for t in map(term_of, words) if t}
    assert vocabulary.terms([]) == set()
