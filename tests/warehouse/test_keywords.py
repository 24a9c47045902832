"""keyword_trends: the fast path (one OpenCC call, words judged once, documents by day) gives exactly what the
plain definition in keywords.py's docstring gives, computed here document by document; and what a reader of
the list sees on hand-made articles: names that rise across outlets, no function words, English stopwords or
one outlet's words."""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import date, timedelta

import opencc
import pyarrow as pa
import rjieba

from etl.warehouse import keywords
from etl.warehouse.keywords import Doc, Stopwords, TermRules, Vocabulary, keyword_trends, simplified

CONVERTER = opencc.OpenCC("t2s")
RULES = TermRules(Stopwords.load())
WORDS = ["北约", "峰会", "乌克兰", "停火", "谈判", "台湾", "選舉", "軟體", "晶片", "出口", "管制", "央行"]
WORDS += ["利率", "洪水", "救灾", "疫苗", "新冠", "华盛顿", "东京", "會談", " Yellen ", " NATO ", " yellen "]


def reference_terms(text: str) -> set[str]:
    chinese = (RULES.chinese_term(w) for w in rjieba.cut(text))
    english = (RULES.english_term(w) for w in keywords._ENGLISH_WORD.findall(text))
    return {t for t in [*chinese, *english] if t}


def reference_trends(docs, taxonomy, window_end, window_days=7, min_articles=3, min_outlets=3, top_n=200):
    """The definition, one document at a time in the order given (a term's first day is its minimum day;
    ties between example titles go to the first document met)."""
    docs = [d for d in docs if d.pub_date <= window_end]
    start = window_end - timedelta(days=window_days - 1)
    skip = keywords.TaxonomyFilter(taxonomy)
    recent, background, first, outlets, example = Counter(), Counter(), {}, {}, {}
    n_recent = n_background = 0
    for doc in docs:
        terms = reference_terms(CONVERTER.convert(f"{doc.title}\n{doc.lead}"))
        is_recent = doc.pub_date >= start
        n_recent += is_recent
        n_background += not is_recent
        for term in terms:
            first[term] = min(first.get(term, doc.pub_date), doc.pub_date)
            if is_recent:
                recent[term] += 1
                outlets.setdefault(term, set()).add(doc.outlet)
                holds = term.casefold() in CONVERTER.convert(doc.title).casefold()
                candidate = (holds, doc.pub_date, doc.title)
                if term not in example or candidate[:2] > example[term][:2]:
                    example[term] = candidate
            else:
                background[term] += 1
    rows = []
    for term, count in recent.items():
        background_rate = (background[term] + 1) / (n_background + 1)
        lift = count / n_recent / background_rate
        if count >= min_articles and len(outlets[term]) >= min_outlets and not skip(term) and lift > 1:
            row = (-count * math.log(lift), term.casefold(), count, background[term], first[term])
            rows.append((*row, example[term][2]))
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
            r["term"].casefold(),  # English terms are shown in their most frequent spelling
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
    assert any(row[1].isascii() for row in got)  # English terms take part
    assert got and len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g[1:] == w[1:] and math.isclose(g[0], w[0])


def test_one_opencc_call_converts_like_one_call_per_text():
    texts = ["國際原子能機構\n發表報告", "", "軟體 出口管制", "abc 123", "台灣選舉\r\n結果"]
    assert simplified(texts, CONVERTER) == [CONVERTER.convert(t) for t in texts]
    with_separator = [*texts, "含\ue000分隔符的標題"]  # a text holding the separator: converted one by one
    assert simplified(with_separator, CONVERTER) == [CONVERTER.convert(t) for t in with_separator]


def test_vocabulary_keeps_the_terms_the_rules_keep():
    vocabulary = Vocabulary(RULES)
    for text in ["北约 峰会在华盛顿举行，我们 认为 2024", " 北约\t峰会 ", "\r\n北约", "乌克兰停火谈判"]:
        words = [*rjieba.cut(text), " 疫苗 ", "一个", "x"]  # a padded word counts once stripped
        assert vocabulary.chinese_terms(words) == {t for t in map(RULES.chinese_term, words) if t}
    assert vocabulary.chinese_terms([]) == set()


OUTLETS = ["dw", "voa", "rfi", "bbc"]
WINDOW_END = date(2024, 3, 31)


def handmade_archive() -> list[Doc]:
    """30 quiet days, then a week in which four outlets report a name (蓬佩奥) in Chinese and in English, with
    generic words (专家, 公布, 措施, 采取), English function words (of, Yet, brought) and one outlet's own
    word (快讯) rising beside it."""
    docs = []
    for day in range(30):
        for outlet in OUTLETS:
            pub_date = WINDOW_END - timedelta(days=37 - day)
            docs.append(Doc(pub_date, outlet, "央行维持利率不变", "市场平稳，成交清淡。"))
            docs.append(Doc(pub_date, outlet, "洪水过后救灾继续", "灾区重建。"))
    for day in range(5):
        pub_date = WINDOW_END - timedelta(days=day)
        for outlet in OUTLETS:
            docs.append(Doc(pub_date, outlet, "蓬佩奥访问东京", "专家公布了措施，政府已采取多项手段。"))
            lead = "Yet the visit of Pompeo brought few results."
            docs.append(Doc(pub_date, outlet, "Pompeo lands in Tokyo", lead))
        docs.append(Doc(pub_date, "dw", "快讯：东京街头", "快讯，现场直击。"))
    return docs


def listed_terms(docs: list[Doc], **options) -> set[str]:
    return {r["term"] for r in keyword_trends(docs, [], window_end=WINDOW_END, **options).to_pylist()}


def test_a_name_rising_across_outlets_is_listed_and_the_noise_beside_it_is_not():
    listed = listed_terms(handmade_archive())
    assert {"蓬佩奥", "Pompeo"} <= listed
    for noise in ["专家", "公布", "措施", "采取", "of", "Yet", "yet", "brought", "the", "快讯"]:
        assert noise not in listed, noise


def test_the_noise_would_rise_without_the_filters():
    """The archive above does make the noise rise: without stopwords or the outlet rule it is listed."""
    no_stopwords = Stopwords(chinese=frozenset(), english=frozenset(), dropped_tags=frozenset())
    assert {"专家", "公布", "措施", "采取", "Yet", "brought", "of"} <= listed_terms(
        handmade_archive(), stopwords=no_stopwords
    )
    assert "快讯" in listed_terms(handmade_archive(), min_outlets=1)
    assert "快讯" not in listed_terms(handmade_archive(), min_outlets=2)


def test_english_is_counted_as_english_words_case_folded():
    rules = TermRules(Stopwords.load())
    vocabulary = Vocabulary(rules)
    # Not jieba's segmentation: whole words, possessive dropped, one term whatever the case; acronyms kept.
    # "who" and "us" are English stopwords; written WHO and US they are acronyms and stay.
    assert vocabulary.english_spellings("Yet BIDEN's aides told the WHO and us of Biden’s US plan") == {
        "biden": "BIDEN",
        "aides": "aides",
        "WHO": "WHO",
        "US": "US",
        "plan": "plan",
    }
    docs = [
        Doc(WINDOW_END - timedelta(days=40), "dw", "央行维持利率不变", ""),
        *[Doc(WINDOW_END, o, "Yellen visits Beijing", "yellen said") for o in OUTLETS],
        Doc(WINDOW_END, "dw", "YELLEN IN BEIJING", ""),
    ]
    rows = {r["term"]: r for r in keyword_trends(docs, ["BEIJING 北京"], window_end=WINDOW_END).to_pylist()}
    assert rows["Yellen"]["recent_articles"] == 5  # its most frequent spelling; counted once per article
    assert "Beijing" not in rows  # an English word of a registry term, whatever its case


def test_users_extend_the_stopword_registry(tmp_path):
    registry = tmp_path / "stopwords.yaml"
    registry.write_text(
        keywords.STOPWORDS_YAML.read_text(encoding="utf-8").replace(
            "  generic_verbs: [", "  my_words: [蓬佩奥]\n  generic_verbs: [", 1
        )
        + "  my_words: [POMPEO]\n",  # English words match whatever their case
        encoding="utf-8",
    )
    assert {"蓬佩奥", "Pompeo"} <= listed_terms(handmade_archive())
    listed = listed_terms(handmade_archive(), stopwords=Stopwords.load(registry))
    assert "蓬佩奥" not in listed and "Pompeo" not in listed and "东京" in listed
    assert Stopwords.load(tmp_path / "absent.yaml") == Stopwords.load()  # no file: the shipped registry
