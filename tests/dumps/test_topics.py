"""Topic matching and normalisation on synthetic snippets."""

from __future__ import annotations

import yaml

from etl.dumps.normalize import fold_aliases, normalize, to_simplified
from etl.dumps.record import TopicHit
from etl.dumps.topics import TOPICS_YAML, match_topics


def topics_of(title: str, body: str) -> dict[str, TopicHit]:
    return {h.topic: h for h in match_topics(title, body)}


def test_t2s_keeps_vocabulary():
    assert to_simplified("綜合報導 臺灣 美聯社") == "综合报导 台湾 美联社"
    assert to_simplified("") == ""


def test_aliases_fold_to_the_canonical_spelling():
    assert fold_aliases("川普与普丁通话") == "特朗普与普京通话"
    assert normalize("川普與普丁通話，討論晶片") == "特朗普与普京通话，讨论芯片"


def test_canonical_spellings_are_not_folded_again():
    # 世卫 is a variant of 世卫组织; the canonical form must stay as it is
    assert fold_aliases("世卫组织与世卫") == "世卫组织与世卫组织"


def test_a_title_keyword_puts_the_article_on_the_topic():
    hits = topics_of("北约峰会今日开幕", "各国领导人抵达会场。")
    assert hits["nato"] == TopicHit(topic="nato", mentions=1, in_title=True)


def test_one_body_mention_is_not_enough():
    assert "nato" not in topics_of("某国领导人出访", "他此前曾批评北约。")


def test_three_body_mentions_are_enough():
    hits = topics_of("某国领导人出访", "北约问题。北约会议。北约声明。")
    assert hits["nato"] == TopicHit(topic="nato", mentions=3, in_title=False)


def test_two_distinct_keywords_are_enough():
    hits = topics_of("一场会议", "乌克兰总统泽连斯基发表讲话。")
    assert hits["russia_ukraine"].mentions == 2


def test_mentions_count_title_and_body():
    hits = topics_of("台湾选举", "台湾选民今天投票。")
    assert hits["taiwan"] == TopicHit(topic="taiwan", mentions=2, in_title=True)


def test_traditional_text_and_name_variants_match():
    hits = topics_of("川普簽署行政命令", "美國總統川普週五在白宮簽署命令。")
    assert hits["us_politics"].in_title
    assert hits["us_politics"].mentions == 4  # 川普 x2, 美国总统, 白宫

    hits = topics_of("普丁會見外賓", "")
    assert hits["russia"].in_title


def test_blockers_hide_keywords():
    assert "us_china" not in topics_of("中美洲移民潮", "中美洲国家。中美洲难民。中美洲边境。")
    assert "us_china" in topics_of("中美贸易谈判", "")
    assert "uk" not in topics_of("一则消息", "英国广播公司报道。英国广播公司获悉。英国广播公司称。")


def test_hits_are_sorted_by_topic_and_empty_input_is_fine():
    hits = match_topics("香港与台湾", "新冠疫情。新冠疫苗。新冠病例。")
    assert [h.topic for h in hits] == sorted(h.topic for h in hits)
    assert {"covid19", "hong_kong", "taiwan"} <= {h.topic for h in hits}
    assert match_topics("", "") == []


def test_registry_has_30_topics_with_simplified_keywords():
    data = yaml.safe_load(TOPICS_YAML.read_text(encoding="utf-8"))
    topics = data["topics"]
    assert len(topics) >= 30
    for code, entry in topics.items():
        assert entry["name"] and entry["name_en"] and entry["keywords"], code
        for keyword in entry["keywords"]:
            assert to_simplified(keyword) == keyword, (code, keyword)
    for canonical in data["aliases"]:
        assert to_simplified(canonical) == canonical
