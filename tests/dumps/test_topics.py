"""Topic tagging on synthetic snippets: one test per rule of ../shared/gold/TOPIC-RULES.md it encodes."""

from __future__ import annotations

import dataclasses

import yaml

from etl.dumps.normalize import fold_aliases, normalize, to_simplified
from etl.dumps.record import TopicHit
from etl.dumps.topics import (
    FEATURES,
    TOPIC_MODEL_YAML,
    TOPICS_YAML,
    candidates,
    decide,
    load_weights,
    match_topics,
    tag_topics,
    tag_topics_many,
)

RULES_TAXONOMY = [  # the taxonomy section of TOPIC-RULES.md
    "afghanistan",
    "africa",
    "australia",
    "belarus",
    "belt_and_road",
    "canada",
    "central_asia",
    "china_politics",
    "china_society",
    "climate",
    "covid19",
    "culture_arts",
    "disasters",
    "economy_markets",
    "elections",
    "energy",
    "espionage_cyber",
    "eu",
    "france",
    "gender",
    "german_politics",
    "hong_kong",
    "human_rights",
    "india",
    "japan",
    "korean_peninsula",
    "latin_america",
    "middle_east",
    "migration_refugees",
    "military_defense",
    "nato",
    "press_freedom",
    "public_health",
    "race_policing",
    "religion",
    "russia",
    "russia_ukraine",
    "science_space",
    "south_china_sea",
    "southeast_asia",
    "sports",
    "taiwan",
    "tech_chips",
    "tibet",
    "trade_tariffs",
    "turkey",
    "uk",
    "us_china",
    "us_politics",
    "xinjiang",
]


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


def test_the_main_subject_is_kept_with_its_evidence():
    body = "北约秘书长斯托尔滕贝格周二在北约峰会上表示，北约将加强东翼部署。\n北约成员国同意增加防务开支。"
    hit = topics_of("北约峰会讨论东翼部署", body)["nato"]
    assert hit.in_title and hit.in_lead
    assert hit.mentions == 6 and hit.share == 1.0  # 北约 x5 (title included), 斯托尔滕贝格
    assert 0.5 <= hit.score <= 1.0


def test_one_passing_mention_is_not_a_topic():
    body = (
        "日本首相菅义伟周二宣布新的经济刺激方案，日本政府将投入巨资。\n他此前曾批评北约。\n"
        "日本国会将审议该方案。"
    )
    assert set(topics_of("日本推出经济刺激方案", body)) >= {"japan"}
    assert "nato" not in topics_of("日本推出经济刺激方案", body)


def test_the_venue_of_talks_is_not_a_country_topic():
    # "talks in Moscow" is not `russia`: 莫斯科 as the place of a meeting is passing evidence
    body = (
        "亚美尼亚和阿塞拜疆外长周五在莫斯科举行会谈，讨论纳卡地区停火。\n"
        "双方同意交换战俘，停火协议从周六中午生效。\n纳卡冲突已造成数百人死亡，军队在前线对峙。"
    )
    assert "russia" not in topics_of("亚阿外长会谈同意纳卡停火", body)


def test_a_country_in_a_list_is_not_a_country_topic():
    body = (
        "世卫组织周二表示，全球新冠病毒确诊病例超过一千万，死亡病例持续上升。\n"
        "确诊病例最多的国家包括美国、巴西、印度、俄罗斯、英国、法国和日本。\n"
        "世卫组织呼吁各国加强新冠病毒检测和隔离措施，新冠疫苗研发仍在进行。"
    )
    got = topics_of("全球新冠确诊病例破千万", body)
    assert "covid19" in got
    assert not {"india", "russia", "uk", "france", "japan", "latin_america"} & set(got)


def test_the_pandemic_as_background_is_not_covid19():
    body = (
        "疫情期间，台积电股价持续走高，周二收盘再创新高。\n分析师指出，台积电先进制程领先，"
        "投资者看好其营收。\n台股加权指数同步上涨，外资买超台积电。"
    )
    got = topics_of("台积电股价创新高", body)
    assert "economy_markets" in got
    assert "covid19" not in got


def test_the_us_state_department_is_not_chinese_politics():
    body = (
        "美国国务院周三宣布，对参与南海岛礁建设的中国企业实施签证限制。\n美国国务院发言人表示，"
        "美国国务院将继续采取行动。\n中方表示坚决反对美方制裁中国企业。"
    )
    got = topics_of("美国国务院宣布制裁中国企业", body)
    assert "china_politics" not in got
    assert "us_china" in got


def test_the_state_council_is_chinese_politics_when_the_party_is_the_subject():
    body = (
        "中共中央政治局周五召开会议，习近平主持会议，研究部署十四五规划。\n会议强调，要坚持党中央集中统一领导，"
        "中央纪委要加强监督。\n政治局会议还审议了反腐工作报告。"
    )
    assert "china_politics" in topics_of("中共中央政治局召开会议", body)


def test_word_senses_are_blocked():
    # 数字移民 (digital immigrants) is not migration; a WTO post's 候选人 is not an election
    assert "migration_refugees" not in topics_of("数字移民的烦恼", "老人是数字移民，数字移民不会用手机。")
    body = "世贸组织总干事候选人周一接受成员国面试。\n总干事候选人来自尼日利亚和韩国。"
    assert "elections" not in topics_of("世贸组织遴选新总干事", body)
    institute = "澳大利亚战略政策研究所发布报告。澳大利亚战略政策研究所称。"
    assert "australia" not in topics_of("智库报告", institute)


def test_blockers_hide_keywords():
    assert "us_china" not in topics_of("中美洲移民潮", "中美洲国家。中美洲难民。中美洲边境。")
    assert "uk" not in topics_of("一则消息", "英国广播公司报道。英国广播公司获悉。英国广播公司称。")


def test_us_officials_on_china_policy_are_us_china_not_us_politics():
    body = (
        "美国国务卿蓬佩奥周三宣布，美国将对中国官员实施签证限制。\n特朗普政府此前已将多家中国企业列入实体清单，"
        "中方表示将采取反制措施。\n北京表示，美方此举严重干涉中国内政，中美关系进一步恶化。"
    )
    got = tag_topics("蓬佩奥宣布对中国官员实施签证限制", body)
    assert "us_china" in got.topics and got.primary == "us_china"
    assert "us_politics" not in got.topics


def test_us_domestic_politics_is_us_politics():
    body = (
        "美国众议院周三以232票对197票通过弹劾条款，指控特朗普煽动叛乱。\n民主党领袖佩洛西表示，"
        "参议院将尽快审理弹劾案。\n共和党人对弹劾意见分歧，多名共和党众议员投下赞成票。"
    )
    assert tag_topics("众议院通过弹劾特朗普", body).primary == "us_politics"


def test_english_keywords_match_any_case_as_whole_words():
    body = (
        "A ransomware attack hit the pipeline operator on Friday.\nThe FBI said the hackers were "
        "based abroad; Five Eyes partners shared intelligence on the ransomware group."
    )
    assert "espionage_cyber" in topics_of("Ransomware attack shuts pipeline", body)
    euphoria = "Reuters reports euphoria in markets. Euphoria everywhere."
    assert "eu" not in topics_of("A neutral title", euphoria)


def test_new_wording_is_matched():
    body = (
        "阿拉伯联合大公国周一宣布与以色列建交。\n阿联酋外交部表示，两国将互设使馆。\n伊朗批评阿联酋的决定。"
    )
    assert "middle_east" in topics_of("阿拉伯联合大公国与以色列建交", body)


def test_a_digest_gets_only_its_lead_items_topics():
    body = "\n".join(
        [
            "• 青岛展开全民新冠病毒检测。新增确诊病例后，当局对全市居民进行核酸检测，新冠疫情防控升级。",
            "• 欧洲收紧防疫措施，英国首相宣布关闭酒吧。",
            "• 印度与巴基斯坦边境再起冲突。",
            "• 日本首相菅义伟访问越南。",
            "• 巴西总统博索纳罗批评环保组织。",
            "• 诺贝尔经济学奖揭晓。",
            "• 土耳其埃尔多安批评法国总统马克龙。",
            "• 苹果推出新款iPhone。",
            "感谢阅读今天的简报，新读者请点击此处订阅。",
        ]
    )
    got = tag_topics("简报：青岛展开全民大检测；苹果推出新手机", body)
    assert got.digest
    assert got.topics == ["covid19"] and got.primary == "covid19"


def test_a_digest_keeps_a_theme_of_two_full_items_not_a_one_line_bullet():
    body = "\n".join(
        [
            "• 青岛展开全民新冠病毒检测。新增确诊病例后，当局对全市居民进行核酸检测，新冠疫情防控升级。",
            "• 香港警方依据港区国安法拘捕多名民主派人士，香港立法会选举押后一年，港府称是为了防疫。"
            "多名香港民主派议员批评港府借疫情打压反对派，香港市民担心言论空间进一步收窄。",
            "• 香港法院拒绝民主派人士保释申请，香港律师公会表示关注，港区国安法下的首宗案件将于下月开审。"
            "香港政府发言人表示，法院独立审理案件，外界不应干预香港司法。",
            "• 日本首相菅义伟访问越南。",
            "• 诺贝尔经济学奖揭晓。",
            "• 苹果推出新款iPhone。",
            "感谢阅读今天的简报，新读者请点击此处订阅。",
        ]
    )
    got = tag_topics("简报：青岛展开全民大检测；香港民主派人士被捕", body)
    assert got.digest
    assert "covid19" in got.topics and "hong_kong" in got.topics  # lead item; two full items on Hong Kong
    assert "japan" not in got.topics  # one line


OIL = "欧佩克周四决定将减产协议延长三个月，国际油价应声上涨，布伦特原油价格升至每桶八十美元以上。\n" + (
    "分析人士说，原油供应偏紧的局面将持续到明年，天然气价格也随之走高。"
)
CABINET = "另据报道，俄罗斯政府周四改组，多名部长被撤换。莫斯科的分析人士说，俄罗斯新内阁将专注经济。"


def test_each_headline_of_a_title_of_several_is_a_subject():
    body = OIL + "\n" + CABINET
    two = tag_topics("欧佩克决定延长减产 油价应声上涨；俄罗斯政府改组 多名部长被撤换", body)
    # (Oil prices may also count as markets: economy_markets is not what this test is about.)
    assert {"energy", "russia"} <= set(two.topics) and two.primary == "energy"
    # The same paragraph under a one-headline title is a short aside, under the threshold.
    one = tag_topics("欧佩克决定延长减产 油价应声上涨 俄罗斯政府改组", body)
    assert "energy" in one.topics and "russia" not in one.topics


def test_the_first_of_several_headlines_is_the_primary_topic():
    got = tag_topics("俄罗斯政府改组 多名部长被撤换；欧佩克决定延长减产 油价应声上涨", CABINET + "\n" + OIL)
    assert {"energy", "russia"} <= set(got.topics) and got.primary == "russia"
    assert {h.topic: h.score for h in got.hits}["energy"] > {h.topic: h.score for h in got.hits}["russia"]


def test_headline_lists_keep_the_lead_item_alone():
    headlines = [
        "习近平主持中共中央政治局会议 研究部署十四五规划",
        "李克强主持召开国务院常务会议",
        "新冠肺炎确诊病例新增10例",
        "香港各界支持国安法",
        "台风登陆浙江",
        "全国粮食生产形势良好",
        "国际联播快讯",
        "美国新冠确诊病例超过千万",
    ]
    got = tag_topics("2020-10-29 新闻联播 文字版" + "".join(headlines), "\n".join(headlines))
    assert got.digest
    assert got.topics == ["china_politics"]


def test_an_ordinary_article_is_not_a_digest():
    body = "香港立法会周三通过议案。\n港府表示将尽快实施。\n民主派议员批评港府。"
    got = tag_topics("香港立法会通过议案", body)
    assert not got.digest and got.primary == "hong_kong"


def test_traditional_text_and_name_variants_match():
    body = "美國總統川普週五在白宮簽署命令，共和黨與民主黨議員就國會法案展開辯論。\n參議院將於下週表決。"
    hits = topics_of("川普簽署行政命令 國會辯論法案", body)
    assert hits["us_politics"].in_title


def test_hits_are_sorted_one_per_topic_and_empty_input_is_fine():
    body = "香港与台湾的新冠疫情。\n香港新增新冠病例，台湾新增新冠病例。\n香港和台湾加强新冠防疫。"
    hits = match_topics("香港与台湾新冠疫情", body)
    assert [h.topic for h in hits] == sorted({h.topic for h in hits})
    assert {"covid19", "hong_kong", "taiwan"} <= {h.topic for h in hits}
    assert match_topics("", "") == []
    assert tag_topics("", "").primary is None


def test_the_primary_topic_is_the_best_scored_kept_topic():
    body = (
        "香港警方周一拘捕黎智英，港区国安法实施后首次搜查苹果日报。\n香港记者协会批评港府打压新闻自由。"
        "\n港区国安法下，香港新闻自由受到威胁。"
    )
    got = tag_topics("香港警方搜查苹果日报 拘捕黎智英", body)
    scores = {h.topic: h.score for h in got.hits}
    assert got.primary == max(scores, key=scores.get) == "hong_kong"


def test_features_are_bounded_and_named():
    found = candidates("香港立法会通过议案", "香港立法会周三通过议案。\n港府表示将尽快实施。")
    assert found.items and all(0 <= c.features[2] <= 1 for c in found.items)  # share


def test_registry_holds_exactly_the_50_topics_of_the_rules_with_names():
    data = yaml.safe_load(TOPICS_YAML.read_text(encoding="utf-8"))
    topics = data["topics"]
    assert sorted(topics) == sorted(RULES_TAXONOMY)
    for code, entry in topics.items():
        assert entry["name"] and entry["name_en"] and entry["keywords"], code
        for keyword in entry["keywords"] + (entry.get("weak") or []):
            assert to_simplified(str(keyword)) == str(keyword), (code, keyword)
            assert str(keyword) == str(keyword).lower(), (code, keyword)  # English keywords in lower case
    for canonical in data["aliases"]:
        assert to_simplified(canonical) == canonical


def test_a_press_review_is_a_digest():
    lead = "法国《费加罗报》，《十字架报》，《巴黎人报》周五关注的重点是欧盟峰会。"
    body = lead + "\n欧盟27国就重建资金展开讨论。\n另有报纸关注中国在澳大利亚的网络攻击。"
    assert tag_topics("欧盟峰会", body).digest
    assert tag_topics("欧盟峰会", "欢迎收听今天的法国报纸摘要。欧盟峰会开幕。\n欧盟27国讨论。").digest
    assert not tag_topics("欧盟峰会", "法国《世界报》报道，欧盟峰会周五开幕。\n欧盟27国讨论。").digest


def test_keyword_weights_of_the_model_move_a_topics_score():
    title, body = "股市收高", "疫苗进展提振股市，新冠疫苗消息传出后道指上涨。\n股市投资者关注新冠疫苗。"
    found = candidates(title, body)
    weights = load_weights()
    plain = dataclasses.replace(weights, terms={})
    against = dataclasses.replace(weights, terms={"covid19": {"股市": -3.0}})
    plain_hits = {h.topic: h.score for h in decide(found, dataclasses.replace(plain, threshold=0.0)).hits}
    against_hits = {h.topic: h.score for h in decide(found, dataclasses.replace(against, threshold=0.0)).hits}
    assert against_hits["covid19"] < plain_hits["covid19"]
    assert against_hits["economy_markets"] == plain_hits["economy_markets"]


def test_the_model_registry_weighs_only_known_topics_and_keywords():
    data = yaml.safe_load(TOPIC_MODEL_YAML.read_text(encoding="utf-8"))
    taxonomy = yaml.safe_load(TOPICS_YAML.read_text(encoding="utf-8"))
    spelled = {
        normalize(str(k)).lower()
        for e in taxonomy["topics"].values()
        for k in e["keywords"] + (e.get("weak") or [])
    }
    spelled |= {normalize(str(k)).lower() for k in taxonomy["blockers"]}
    spelled |= {
        normalize(str(k)).lower() for sides in taxonomy["pairs"].values() for side in sides for k in side
    }
    assert set(data["offsets"]) <= set(RULES_TAXONOMY) and set(data["terms"]) <= set(RULES_TAXONOMY)
    unknown = {
        k for terms in data["terms"].values() for k in terms if normalize(str(k)).lower() not in spelled
    }
    assert not unknown  # a term no keyword spells would never be matched
    assert 0 < data["threshold"] < 1 and set(data["weights"]) == set(FEATURES)


def test_a_batch_tags_each_article_as_if_alone():
    articles = [
        ("香港警方搜查苹果日报 拘捕黎智英", "香港警方周四搜查苹果日报。\n英国外交部召见中国大使。"),
        ("", ""),  # nothing to read
        ("欧盟峰会", "欢迎收听今天的法国报纸摘要。欧盟峰会开幕。\n欧盟27国讨论。"),  # a digest
        (
            "美國對香港官員實施制裁",
            "美國財政部宣布制裁香港官員。\n中美關係進一步緊張。",
        ),  # traditional script
        ("股市收高", "疫苗进展提振股市，新冠疫苗消息传出后道指上涨。\n股市投资者关注新冠疫苗。"),
    ]
    alone = [tag_topics(title, body) for title, body in articles]
    assert any(t.hits for t in alone) and any(t.digest for t in alone) and not alone[1].hits
    together = tag_topics_many([t for t, _ in articles], [b for _, b in articles])
    assert together == alone
    assert tag_topics_many(*zip(*articles[::-1], strict=True)) == alone[::-1]  # order does not matter
