"""Events on hand-written articles: one happening across outlets is one event; a follow-up days later, a
digest and an article alone are not in it."""

from __future__ import annotations

from datetime import timedelta

from handmade import T0, article, background, frame, to_traditional

from etl.events.detect import detect, event_id

# One happening, reported three times in different words (one in traditional script).
DEAL_DW = article(
    "dw1",
    "dw",
    "欧盟与越南签署渔业协定 布鲁塞尔资助岘港海防渔港改造",
    "欧盟委员会周一在布鲁塞尔与越南政府签署渔业合作协定，欧方将在五年内出资两亿欧元，帮助越南改造岘港和"
    "海防两座渔港，并培训渔业监管人员。越南常驻欧盟代表说，协定有助于越南水产品进入欧洲市场。",
    T0,
    topic="trade",
)
DEAL_VOA = article(
    "voa1",
    "voa",
    "越南欧盟签订渔业合作协议 岘港与海防渔港获两亿欧元",
    "越南和欧盟周一签订一项渔业合作协议。根据协议，欧盟将提供约两亿欧元，用于岘港与海防渔港的现代化改造。"
    "环保团体则担心，扩建渔港可能加剧南海的过度捕捞。",
    T0 + timedelta(hours=3, minutes=30),
    topic="trade",
)
DEAL_RFI = article(
    "rfi1",
    "rfi",
    to_traditional("欧盟越南签署渔业协定 岘港海防渔港改造获欧方资助"),
    to_traditional(
        "欧盟与越南周一签署渔业协定。法国渔业部门人士表示，欧方资助岘港和海防渔港改造，"
        "是欧盟在东南亚扩大影响力的一步。"
    ),
    T0 + timedelta(hours=12),
    script="hant",
    topic="environment",
)
# Five days later: the same ports, a new happening.
FOLLOW_UP = article(
    "dw2",
    "dw",
    "岘港渔民抗议欧盟越南渔业协定 渔港改造工程暂停",
    "岘港数百名渔民周六聚集抗议欧盟与越南签署的渔业协定，称渔港改造工程迫使他们迁离世代居住的码头。"
    "当地政府随后宣布暂停海防和岘港的部分工程。",
    T0 + timedelta(days=5),
)
DIGEST = article(
    "nyt1",
    "nyt",
    "简报：欧盟与越南签署渔业协定；日本央行维持利率不变",
    "欧盟与越南签署渔业协定，资助岘港和海防渔港改造。日本央行维持利率不变。美国参议院通过预算案。",
    T0 + timedelta(hours=14),
)
LONE = article(
    "rfa1",
    "rfa",
    "蒙古国总统访问哈萨克斯坦 双方讨论铁路联通",
    "蒙古国总统周一抵达阿斯塔纳，与哈萨克斯坦总统讨论修建跨境铁路和扩大煤炭贸易。",
    T0 + timedelta(hours=1),
)


def _detect(*rows):
    return detect(frame([*rows, *background(40)]))


def _members(found) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for event, article_id in found.event_articles.select("event_id", "article_id").rows():
        groups.setdefault(event, []).append(article_id)
    return groups


def _event_of(found, article_id: str) -> str | None:
    return next((e for e, members in _members(found).items() if article_id in members), None)


def test_the_same_event_across_outlets_and_scripts_is_one_event():
    found = _detect(DEAL_DW, DEAL_VOA, DEAL_RFI, LONE)
    event = _event_of(found, "dw1")
    assert event == event_id("dw1")
    assert sorted(_members(found)[event]) == ["dw1", "rfi1", "voa1"]
    row = found.events.filter(event_id=event).row(0, named=True)
    assert (row["articles"], row["outlets"], row["first_outlet"]) == (3, 3, "dw")
    assert row["main_topic"] == "trade"
    assert row["label"] in {DEAL_DW["title"], DEAL_VOA["title"], DEAL_RFI["title"]}
    lags = dict(found.event_articles.filter(event_id=event).select("article_id", "lag_seconds").rows())
    assert lags == {"dw1": 0, "voa1": 3.5 * 3600, "rfi1": 12 * 3600}
    firsts = found.event_articles.filter(event_id=event, is_first=True)["article_id"].to_list()
    assert firsts == ["dw1"]


def test_a_follow_up_days_later_joins_no_event_of_the_first_happening():
    found = _detect(DEAL_DW, DEAL_VOA, FOLLOW_UP)
    assert _event_of(found, "dw1") == _event_of(found, "voa1") is not None
    assert _event_of(found, "dw2") is None


def test_a_digest_joins_no_event_by_its_title_or_by_its_flag():
    flagged = {
        **DIGEST,
        "article_id": "flagged",
        "title": "欧盟与越南签署渔业协定 日本央行维持利率",
        "digest": True,
    }
    found = _detect(DEAL_DW, DEAL_VOA, DIGEST, flagged)
    assert _event_of(found, "dw1") is not None
    assert _event_of(found, "nyt1") is None
    assert _event_of(found, "flagged") is None


def test_an_article_alone_makes_no_event_and_an_article_is_in_at_most_one():
    found = _detect(DEAL_DW, DEAL_VOA, DEAL_RFI, FOLLOW_UP, DIGEST, LONE)
    assert _event_of(found, "rfa1") is None
    assert found.event_articles["article_id"].is_duplicated().sum() == 0
    assert all(len(m) >= 2 for m in _members(found).values())


def test_one_outlet_on_the_next_day_is_another_development_not_the_same_event():
    next_day = {
        **DEAL_VOA,
        "article_id": "voa2",
        "published_at": DEAL_VOA["published_at"] + timedelta(hours=20),
    }
    found = _detect(DEAL_DW, DEAL_VOA, next_day)
    assert _event_of(found, "dw1") == _event_of(found, "voa1") is not None
    assert _event_of(found, "voa2") is None


def test_a_two_article_event_is_labelled_by_its_first_report():
    # two reports are each as similar to the other: the tie goes to the first report, never float noise
    found = _detect(DEAL_VOA, DEAL_DW, LONE)
    event = found.events.filter(event_id=event_id("dw1"))
    assert event["label"].to_list() == [DEAL_DW["title"]]
