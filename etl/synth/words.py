"""Word lists and sentence templates for synthetic stories, written for this project (not from the corpus).

Templates are simplified Chinese; traditional-script items are converted with OpenCC. Placeholders in
braces are filled by `etl.synth.story`: {place} {person} {official} {org} {n} {pct} {weekday} {day}
{month}, {kw} (a topic keyword) and {leader} {putin} {zelensky} (name variants).
"""

from __future__ import annotations

SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶"
    "蒋杜苏魏程吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段"
    "雷黎史龙陶贺顾毛郝龚邵万钱严覃武戚"
)
GIVEN = (
    "安宁远方明华新文秋雨晨光子青云海宇嘉欣逸凡志诚思涵若溪一鸣"
    "佳怡晓峰静婷立伟春燕冬梅雪松建国永红小川乐天慧敏俊杰"
)

# Invented western names for quoted experts and NYT-style bylines.
WESTERN_NAMES = [
    "Anna Berger",
    "Lukas Hartwig",
    "Maria Sandoval",
    "Peter Lindqvist",
    "Clara Novak",
    "Jonas Ekberg",
    "Helen Whitcombe",
    "Samuel Okafor",
    "Ines Morel",
    "David Ashworth",
    "Laura Kessler",
    "Tomas Varga",
    "Rachel Pembrook",
    "Oliver Dunmore",
    "Sofia Lanza",
    "Martin Kowalczyk",
    "Emily Rutherford",
    "Felix Brandt",
]
WESTERN_NAMES_ZH = [
    "伯格",
    "哈特维希",
    "桑多瓦尔",
    "林德奎斯特",
    "诺瓦克",
    "埃克伯格",
    "惠特科姆",
    "奥卡福",
    "莫雷尔",
    "阿什沃思",
    "凯斯勒",
    "瓦尔加",
    "彭布鲁克",
    "邓莫尔",
    "兰扎",
    "科瓦尔奇克",
    "拉瑟福德",
    "布兰特",
]

# Neutral venues: no place here names a topic. Passing mentions of places that are topics are seeded on
# purpose, from each topic's "passing" sentences, so that the truth can say which mentions must not count.
PLACES = [
    "日内瓦",
    "维也纳",
    "赫尔辛基",
    "哥本哈根",
    "奥斯陆",
    "里斯本",
    "马德里",
    "罗马",
    "布拉格",
    "雅典",
    "斯德哥尔摩",
    "布加勒斯特",
    "苏黎世",
    "布达佩斯",
    "阿姆斯特丹",
    "卢森堡",
]
ORGS = [
    "联合国",
    "国际红十字会",
    "国际货币基金组织",
    "七国集团",
    "二十国集团",
    "经合组织",
    "国际劳工组织",
    "联合国开发计划署",
]
OFFICIAL_ROLES = [
    "外交部发言人",
    "交通部长",
    "总理",
    "议会议长",
    "市长",
    "内政部长",
    "政府发言人",
]
WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]

# Name variants: which spelling an outlet uses is part of its style (RULES: no converter maps these).
LEADER_VARIANTS = {
    "trump": ("特朗普", "川普"),
    "putin": ("普京", "普丁"),
    "zelensky": ("泽连斯基", "泽伦斯基"),
}

# Topic code (as in etl/registries/topics.yaml) -> what a story ON that topic says, and what a story on
# something else says of it in passing. Keys:
#   kw         the topic's names ({kw} in a template is one of them; DW and CDT mark them up as tags)
#   titles     headline templates on the topic
#   sentences  sentences of substance: a story seeded with the topic gets a paragraph of them
#   passing    one sentence naming the topic only in passing (a stopover, a background fact, a side remark):
#              TOPIC-RULES.md does not count it, and the round trip checks that the tagger does not either
# Every sentence names its own topic and, as far as the wording allows, no other: a story's truth is then
# exactly the topics it was seeded with. {place} is a neutral venue (words.PLACES), never a topic.
TOPICS: dict[str, dict[str, list[str]]] = {
    "afghanistan": {
        "kw": ["阿富汗", "塔利班", "喀布尔"],
        "titles": ["塔利班接管三年 阿富汗重建陷入停滞", "喀布尔街头：阿富汗民众的日常生活"],
        "sentences": [
            "塔利班{weekday}在喀布尔宣布，将重新开放部分政府机构。",
            "阿富汗临时政府的代表表示，他们希望获得国际社会的承认。",
            "自塔利班重新掌权以来，阿富汗得到的外来援助大幅减少。",
            "喀布尔的一名店主说，阿富汗人的生活比以往更加艰难。",
        ],
        "passing": ["他早年曾在阿富汗担任观察员。", "报告的附录里也简短提到了阿富汗。"],
    },
    "africa": {
        "kw": ["非洲", "肯尼亚", "尼日利亚", "埃塞俄比亚"],
        "titles": [
            "非洲联盟峰会闭幕 呼吁加强地区合作",
            "尼日利亚新政府承诺整顿治安",
            "埃塞俄比亚与邻国签署和平协议",
        ],
        "sentences": [
            "非洲联盟轮值主席{weekday}表示，非洲国家应在国际事务中发出更强的声音。",
            "尼日利亚和加纳的政府说，将在边境地区增派警力，非洲联盟对此表示支持。",
            "埃塞俄比亚总理在亚的斯亚贝巴会见了肯尼亚总统。",
            "肯尼亚官员表示，肯尼亚与坦桑尼亚、乌干达之间的合作正在加深。",
            "南非总统{weekday}呼吁非洲各国加强基础设施建设。",
        ],
        "passing": ["他此前在肯尼亚住过几年。", "与会者中也有一位来自尼日利亚的学者。"],
    },
    "australia": {
        "kw": ["澳大利亚", "澳洲", "澳大利亚政府"],
        "titles": ["澳大利亚总理出访太平洋岛国 承诺增加援助", "澳大利亚各州就原住民权利展开讨论"],
        "sentences": [
            "澳大利亚总理{weekday}在堪培拉表示，政府将继续加强与太平洋岛国的联系。",
            "澳大利亚政府说，新的援助计划将在明年开始实施。",
            "墨尔本和布里斯班的居民对这项计划看法不一。",
            "澳洲反对党领袖指责政府的做法过于仓促。",
        ],
        "passing": ["会后他飞往悉尼。", "他曾在澳大利亚读书。"],
    },
    "belarus": {
        "kw": ["白俄罗斯", "卢卡申科"],
        "titles": ["卢卡申科改组白俄罗斯政府", "白俄罗斯与邻国的边境口岸重新开放"],
        "sentences": [
            "卢卡申科{weekday}在明斯克签署命令，任命了新的总理。",
            "白俄罗斯反对派领袖季哈诺夫斯卡娅在维尔纽斯发表讲话。",
            "白俄罗斯政府表示，将恢复与邻国的正常往来。",
            "明斯克的观察人士说，卢卡申科正在进一步巩固自己的权力。",
            "白俄罗斯议会{weekday}批准了卢卡申科提名的新内阁。",
        ],
        "passing": ["代表团途经明斯克。", "他在讲话中提到了白俄罗斯，但没有展开。"],
    },
    "belt_and_road": {
        "kw": ["一带一路", "中欧班列", "亚投行"],
        "titles": [
            "一带一路倡议十周年 沿线项目前景不一",
            "中欧班列开行数量创新高",
            "亚投行批准新一批基础设施项目",
        ],
        "sentences": [
            "一带一路框架下的一条铁路{weekday}正式开工。",
            "中欧班列今年已开行{n}列，比去年同期有所增加。",
            "亚投行行长表示，将继续支持一带一路沿线国家的基础设施建设。",
            "反对者认为，部分一带一路项目让当地背上了沉重的债务陷阱。",
        ],
        "passing": ["这座港口曾被称为一带一路的样板。", "他在演讲中顺带提到了一带一路。"],
    },
    "canada": {
        "kw": ["加拿大", "特鲁多", "渥太华"],
        "titles": ["特鲁多宣布改组加拿大内阁", "加拿大议会通过新的住房补贴法案"],
        "sentences": [
            "加拿大总理特鲁多{weekday}宣布了新的内阁名单。",
            "加拿大政府表示，住房补贴将优先发放给首次购房者。",
            "多伦多和温哥华的居民对这项政策反应不一。",
            "加拿大反对党指责特鲁多的计划缺乏细节。",
        ],
        "passing": ["他此前在温哥华出席了一场会议。", "与会者中也有来自加拿大的学者。"],
    },
    "central_asia": {
        "kw": ["中亚", "哈萨克斯坦", "乌兹别克斯坦"],
        "titles": ["哈萨克斯坦总统宣布政治改革方案", "中亚五国领导人举行峰会"],
        "sentences": [
            "哈萨克斯坦总统托卡耶夫{weekday}在阿斯塔纳发表国情咨文。",
            "乌兹别克斯坦政府说，将简化外国游客的手续。",
            "中亚国家希望在大国之间保持平衡。",
            "吉尔吉斯斯坦和塔吉克斯坦就边界划分达成了初步协议。",
        ],
        "passing": ["代表团随后前往塔什干。", "他列举了中亚的一个例子。"],
    },
    "china_politics": {
        "kw": ["中共中央", "政治局", "中纪委"],
        "titles": ["中共中央政治局召开会议 部署下半年工作", "中纪委通报多名官员严重违纪"],
        "sentences": [
            "中共中央政治局{weekday}召开会议，研究部署下一阶段的重点工作。",
            "会议强调，全党要坚持党中央的集中统一领导。",
            "中纪委网站通报，一名副部级官员因严重违纪被立案调查。",
            "分析人士认为，反腐仍是巩固权力的重要手段。",
            "政治局常委们近期密集到地方考察。",
        ],
        "passing": ["消息最早由人民日报刊出。", "此事发生在两会前夕。"],
    },
    "china_society": {
        "kw": ["农民工", "养老金", "出生率"],
        "titles": ["农民工讨薪难问题再受关注", "出生率再创新低 年轻人不愿生育"],
        "sentences": [
            "一名农民工说，他已经半年没有拿到工钱，只能四处讨薪。",
            "多地政府{weekday}宣布提高城乡居民的养老金标准。",
            "全国的出生率连续多年下降，老龄化问题日益突出。",
            "专家认为，高房租和育儿成本让许多年轻人推迟生育。",
            "在城中村，许多外卖骑手挤在狭小的出租屋里。",
        ],
        "passing": ["她在一所幼儿园旁边开了一家小店。", "他以前当过外卖骑手。"],
    },
    "climate": {
        "kw": ["气候变化", "碳排放", "全球变暖"],
        "titles": ["报告：去年是有记录以来最热的一年 全球变暖加速", "{place}峰会闭幕 各国承诺应对气候变化"],
        "sentences": [
            "专家警告，气候变化导致的极端天气越来越频繁。",
            "发展中国家要求富裕国家为应对全球变暖提供更多资金。",
            "新的目标要求到2035年将碳排放减少一半。",
            "环保团体指责这份协议缺乏约束力，无法遏制全球变暖。",
        ],
        "passing": ["会场外有一小群环保人士举着标语。", "他此前的工作与气候有关。"],
    },
    "covid19": {
        "kw": ["新冠", "新冠病毒", "新冠疫情"],
        "titles": ["新冠后遗症研究获新发现", "回顾新冠疫情三年：防疫政策的教训"],
        "sentences": [
            "官方数据显示，上周新增新冠确诊病例{n}例。",
            "专家提醒，高风险人群仍应按时接种新冠疫苗加强针。",
            "专家正在追踪新冠病毒的新变种。",
            "因新冠疫情推迟的手术至今仍未全部完成。",
        ],
        "passing": ["疫情期间，这家店曾一度停业。", "他说，新冠疫情过后，客流一直没有恢复。"],
    },
    "culture_arts": {
        "kw": ["电影节", "导演", "博物馆"],
        "titles": ["{place}电影节开幕 多部华语影片入围", "博物馆新展：百年来的水墨绘画"],
        "sentences": [
            "这部影片的导演{weekday}在首映式上说，拍摄过程历时三年。",
            "电影节评委会主席称赞今年的入围作品风格多样。",
            "博物馆馆长表示，这批文物将首次对公众展出。",
            "多位艺术家的作品在开幕当天吸引了大批观众。",
            "一位年轻作家获得了本届文学奖。",
        ],
        "passing": ["采访安排在一家博物馆的咖啡厅里。", "他的妻子是一名演员。"],
    },
    "disasters": {
        "kw": ["洪水", "地震", "台风"],
        "titles": ["强烈地震袭击山区 救援人员争分夺秒", "台风登陆 沿海各地数十万人紧急撤离"],
        "sentences": [
            "当地官员说，地震已造成至少{n}人罹难。",
            "洪水冲毁了多座桥梁，灾区的道路交通中断。",
            "台风带来的暴雨引发了山体滑坡。",
            "救援人员{weekday}仍在废墟中搜寻幸存者，灾民被安置在临时帐篷里。",
        ],
        "passing": ["这座桥在多年前的一场洪水后重建。", "他说，那次地震之后，他搬到了城里。"],
    },
    "economy_markets": {
        "kw": ["股市", "通胀", "经济增长", "央行"],
        "titles": ["通胀数据好于预期 股市情绪回暖", "央行维持利率不变 经济增长压力犹存"],
        "sentences": [
            "最新数据显示，{month}份消费者价格指数同比上涨{pct}，通胀压力有所缓解。",
            "亚洲股市{weekday}普遍收高。",
            "分析师预计今年的经济增长将放缓至{pct}左右。",
            "央行行长表示，现行政策将在较长时间内保持不变。",
            "分析师正在等待下周公布的通胀数据。",
        ],
        "passing": ["那一年股市大跌，他丢了工作。", "他曾是一名经济学家。"],
    },
    "elections": {
        "kw": ["大选", "选举", "选民"],
        "titles": ["{place}大选投票率创新高", "反对党在议会选举中大胜"],
        "sentences": [
            "选举委员会说，计票工作预计将在{weekday}完成。",
            "反对党候选人获得了超过{pct}的选票。",
            "许多选民在投票站外排起了长队。",
            "观察员表示，这次选举总体上自由公正。",
        ],
        "passing": ["他在上一次选举后辞去了职务。", "这个问题在竞选期间曾被提起。"],
    },
    "energy": {
        "kw": ["石油", "天然气", "油价"],
        "titles": ["欧佩克决定延长减产 油价应声上涨", "天然气价格飙升 多国启动应急计划"],
        "sentences": [
            "欧佩克及其盟友{weekday}同意将减产措施延长至年底。",
            "国际油价随即上涨{pct}，原油期货成交活跃。",
            "天然气库存偏低令今冬的供应前景堪忧。",
            "多家石油巨头表示将加快开发新油田。",
        ],
        "passing": ["他的父亲曾在油田工作。", "他说，油价一涨，出租车司机就叫苦不迭。"],
    },
    "espionage_cyber": {
        "kw": ["黑客", "网络攻击", "间谍"],
        "titles": ["政府网站遭黑客入侵 大量数据泄露", "一名前官员被控为外国从事间谍活动"],
        "sentences": [
            "调查人员说，这次网络攻击使用了勒索软件。",
            "黑客窃取了{n}万名用户的个人信息。",
            "网络安全专家警告，关键基础设施面临越来越多的威胁。",
            "检方指控他长期为外国从事间谍活动。",
        ],
        "passing": ["他年轻时爱看间谍片。", "这家机构去年也曾遭黑客攻击，但很快恢复。"],
    },
    "eu": {
        "kw": ["欧盟", "欧盟委员会", "欧洲议会"],
        "titles": ["欧盟峰会讨论扩大议题", "欧盟委员会提出新的预算框架"],
        "sentences": [
            "欧盟成员国领导人{weekday}在布鲁塞尔举行峰会。",
            "欧盟委员会主席表示，联盟必须减少对单一供应国的依赖。",
            "欧洲议会议员以多数票通过了这项欧盟法案。",
            "多个欧盟成员国对这一方案持保留态度。",
        ],
        "passing": ["他曾在布鲁塞尔工作多年。", "会议期间，他也简短提到了欧盟。"],
    },
    "france": {
        "kw": ["法国", "马克龙", "法国政府"],
        "titles": ["马克龙任命新总理 法国政坛迎来变局", "法国政府推动退休制度改革 工会呼吁罢工"],
        "sentences": [
            "法国总统马克龙{weekday}在巴黎会见了法国各党派领袖。",
            "法国政府发言人说，改革方案将在下月提交法国议会。",
            "马赛和里昂的工会计划举行联合罢工。",
            "不少法国人认为这项改革过于仓促。",
            "马克龙政府的这项改革在法国社会引发了激烈争论。",
        ],
        "passing": ["他们在巴黎转机。", "他的妻子是法国人。"],
    },
    "gender": {
        "kw": ["性别平等", "家暴", "性骚扰"],
        "titles": ["女权团体呼吁修法打击家暴", "职场性骚扰调查结果出炉"],
        "sentences": [
            "女权团体{weekday}在议会外集会，要求加强对家暴受害者的保护。",
            "调查显示，有{pct}的受访者曾在职场遭遇性骚扰。",
            "倡导者认为，性别平等和女性权益不应只停留在口号上。",
            "新法案将延长性侵和家暴案件的追诉期。",
        ],
        "passing": ["他曾在一个倡导性别平等的组织工作。", "发言者中有一位研究家暴问题的学者。"],
    },
    "german_politics": {
        "kw": ["联邦议院", "朔尔茨", "社民党"],
        "titles": ["联邦议院审议预算方案 执政联盟分歧公开化", "朔尔茨：执政联盟将继续合作"],
        "sentences": [
            "联邦议院{weekday}以多数票通过了一项颇具争议的法案。",
            "反对党基民盟指责朔尔茨政府在预算问题上摇摆不定。",
            "总理朔尔茨表示，社民党、绿党和自民党的执政联盟将继续合作。",
            "社民党和绿党的议员在会上相互指责。",
            "默克尔时代结束后，基民盟与基社盟的关系也出现了裂痕。",
        ],
        "passing": ["他曾在柏林住过一段时间。", "会议由德国政府资助的一个机构主办。"],
    },
    "hong_kong": {
        "kw": ["香港", "港府", "立法会"],
        "titles": ["香港立法会通过二十三条立法", "港府公布新一轮施政报告"],
        "sentences": [
            "港府{weekday}表示，相关立法是为了填补法律漏洞。",
            "香港立法会的审议持续了一整天。",
            "多名香港民主派人士的案件审理持续数月。",
            "港府官员说，将推出更多措施吸引人才来港。",
        ],
        "passing": ["他途经香港。", "这个机构在香港设有办事处。"],
    },
    "human_rights": {
        "kw": ["人权", "人权律师", "异见人士"],
        "titles": ["人权组织发表报告谴责人权状况恶化", "人权律师刑满后仍遭软禁"],
        "sentences": [
            "人权组织在报告中说，当地的状况在过去一年进一步恶化。",
            "一名异见人士的家人{weekday}说，他们已经数月无法见到他。",
            "国际特赦组织呼吁当局立即释放所有被关押者。",
            "律师说，他的当事人在关押期间遭受了酷刑。",
        ],
        "passing": ["他在发言中也简单提到了人权。", "这份报告得到了一个人权组织的资助。"],
    },
    "india": {
        "kw": ["印度", "莫迪", "印度政府"],
        "titles": ["印度总理莫迪宣布新一轮基建计划", "印度政府推出农业补贴新政"],
        "sentences": [
            "印度总理莫迪{weekday}宣布了新的基建计划。",
            "印度政府说，补贴将覆盖{n}万农户。",
            "孟买的商界人士对这项政策表示欢迎。",
            "印度反对派指责莫迪政府忽视了中小城市。",
        ],
        "passing": ["他曾在印度做过几年生意。", "与会者包括一位印度学者。"],
    },
    "japan": {
        "kw": ["日本", "日本政府", "日本首相"],
        "titles": ["日本首相内阁支持率再创新低", "日本议会通过育儿支援法案"],
        "sentences": [
            "日本首相{weekday}在议会答辩时表示，将继续推进育儿支援政策。",
            "日本政府官员说，相关预算将在日本下一个财年落实。",
            "日本自民党内部对这项方案存在分歧。",
            "大阪和冲绳的地方议员对日本政府的做法表示不满。",
        ],
        "passing": ["他在东京转机。", "他说自己很喜欢日本料理。"],
    },
    "korean_peninsula": {
        "kw": ["朝鲜", "韩国", "朝鲜半岛"],
        "titles": ["韩国总统宣布改组内阁", "朝鲜召开劳动党会议 金正恩发表讲话"],
        "sentences": [
            "韩国总统{weekday}在首尔主持召开了内阁会议。",
            "朝鲜官方说，金正恩在会上强调要改善民众生活。",
            "韩国统一部表示，希望与朝鲜恢复对话。",
            "分析人士认为，朝鲜半岛局势短期内难以缓和。",
        ],
        "passing": ["他在首尔转机。", "他的太太是韩国人。"],
    },
    "latin_america": {
        "kw": ["拉美", "巴西", "墨西哥", "阿根廷"],
        "titles": ["墨西哥新总统宣誓就职", "阿根廷政府推出新一轮改革"],
        "sentences": [
            "墨西哥总统{weekday}在墨西哥城宣誓就职。",
            "阿根廷政府说，改革将从下月开始实施，邻国巴西也在观望。",
            "巴西和智利的领导人就地区合作进行了通话。",
            "分析人士认为，拉美左翼政府面临越来越大的压力。",
        ],
        "passing": ["他曾在巴西度过童年。", "与会者中也有几位来自墨西哥的代表。"],
    },
    "middle_east": {
        "kw": ["中东", "以色列", "加沙", "伊朗"],
        "titles": ["加沙停火谈判在{place}重启", "联合国警告加沙人道危机加剧"],
        "sentences": [
            "据加沙当地官员统计，以色列与哈马斯的冲突已造成数万人死亡。",
            "调解方希望促成以色列与哈马斯在加沙的临时停火。",
            "国际救援组织说，进入加沙的援助卡车数量远远不够，以色列应开放更多口岸。",
            "伊朗外长表示，中东局势正处在危险的关头。",
        ],
        "passing": ["他此前曾在以色列访学。", "他在卡塔尔转机。"],
    },
    "migration_refugees": {
        "kw": ["难民", "移民", "寻求庇护"],
        "titles": ["新移民法案收紧庇护申请", "难民营人满为患 救援组织呼吁援助"],
        "sentences": [
            "新的移民法案将大幅缩短庇护申请的审理时间。",
            "难民营里的{n}名难民正在等待安置。",
            "移民局官员说，今年寻求庇护的人数增加了{pct}。",
            "人道组织指责政府把难民挡在门外。",
        ],
        "passing": ["他的祖父是一名移民。", "谈话中，他也提到了难民问题。"],
    },
    "military_defense": {
        "kw": ["军演", "国防部", "军舰"],
        "titles": ["海军举行大规模军演", "国防预算再创新高 新型战机列装"],
        "sentences": [
            "国防部{weekday}宣布，将在附近海域举行联合军演。",
            "新型驱逐舰将参加此次演习。",
            "国防预算比去年增加了{pct}。",
            "军方官员说，这次军演旨在检验作战能力。",
        ],
        "passing": ["他退役前曾在海军服役。", "他年轻时当过空军飞行员。"],
    },
    "nato": {
        "kw": ["北大西洋公约组织", "斯托尔滕贝格"],
        "titles": ["北约峰会聚焦东扩", "北约秘书长：成员国须团结一致"],
        "sentences": [
            "北大西洋公约组织秘书长斯托尔滕贝格{weekday}表示，成员国必须在联盟内部保持团结。",
            "北大西洋公约组织的东扩改变了地区的安全格局。",
            "斯托尔滕贝格说，联盟欢迎新成员国加入。",
            "北大西洋公约组织成员国的外长将在下月开会讨论这一计划。",
            "北约峰会的公报草案仍在各国之间磋商。",
        ],
        "passing": ["他曾在北约总部做过翻译。", "主办方是一个与北约有合作的智库。"],
    },
    "press_freedom": {
        "kw": ["新闻自由", "记者", "审查"],
        "titles": ["无国界记者发布新闻自由指数", "多名记者被捕 新闻自由再受关注"],
        "sentences": [
            "无国界记者{weekday}发布年度报告，称全球新闻自由状况恶化。",
            "报告说，至少有{n}名记者因工作遭到拘押。",
            "网络审查和删帖让独立报道越来越难。",
            "外国记者在当地采访时屡屡受到阻挠，言论自由每况愈下。",
        ],
        "passing": ["这篇文章在网上一度被删帖。", "他在接受一名记者采访时说了这番话。"],
    },
    "public_health": {
        "kw": ["流感", "公共卫生", "糖尿病"],
        "titles": ["流感季提前到来 急诊室人满为患", "研究：肥胖率持续上升 糖尿病患者增多"],
        "sentences": [
            "卫生部门说，今年的流感季比往年提前了约两周。",
            "专家建议高风险人群尽早接种流感疫苗。",
            "公共卫生专家警告，糖尿病正在成为沉重的负担。",
            "控烟组织{weekday}呼吁提高烟草税，以减少吸烟带来的疾病。",
        ],
        "passing": ["他的父亲多年前死于癌症。", "他在一家公共卫生机构担任顾问。"],
    },
    "race_policing": {
        "kw": ["种族歧视", "警察暴力", "少数族裔"],
        "titles": ["警察枪杀非裔青年引发抗议", "民权团体抗议种族歧视 要求警务改革"],
        "sentences": [
            "民权团体{weekday}在市政厅外集会，抗议警察暴力和种族歧视。",
            "调查显示，少数族裔遭警察拦查的比例明显偏高。",
            "黑命贵的支持者再次走上街头。",
            "活动人士要求彻底调查这起警察枪杀案。",
            "市长承诺推动警务改革，消除警察执法里的种族歧视。",
        ],
        "passing": ["他在一个少数族裔社区长大。", "他曾参加过一场反对种族歧视的游行。"],
    },
    "religion": {
        "kw": ["宗教", "教会", "天主教"],
        "titles": ["教宗呼吁和平 数万天主教信众聚集广场", "宗教自由报告：多国教会受到限制"],
        "sentences": [
            "教宗{weekday}在梵蒂冈主持弥撒，呼吁各方坚持对话。",
            "数万名天主教信徒聚集在圣彼得广场。",
            "宗教自由组织说，多个国家的教会活动受到限制。",
            "一位牧师说，他们的聚会场所被迫关闭。",
        ],
        "passing": ["婚礼在一座教堂举行。", "他的家人都是佛教徒。"],
    },
    "russia": {
        "kw": ["俄罗斯", "克里姆林宫", "俄罗斯政府"],
        "titles": ["{putin}签署法令 加强对外国代理人的管控", "俄罗斯政府改组 多名部长被撤换"],
        "sentences": [
            "{putin}{weekday}在克里姆林宫签署了一项新法令。",
            "俄罗斯政府发言人说，新规将从下月起生效。",
            "克里姆林宫发言人佩斯科夫拒绝对此置评。",
            "莫斯科的观察人士认为，俄罗斯的政治空间进一步收紧。",
            "俄罗斯国家杜马将在下周审议{putin}提交的相关法案。",
        ],
        "passing": ["他在莫斯科转机。", "他年轻时曾在俄罗斯留学。"],
    },
    "russia_ukraine": {
        "kw": ["乌克兰", "俄乌战争", "顿巴斯", "基辅"],
        "titles": [
            "乌克兰前线再传激战 基辅呼吁增加援助",
            "{zelensky}访问{place} 寻求更多援助",
            "分析：俄乌战争进入第三年，谈判前景黯淡",
        ],
        "sentences": [
            "{zelensky}{weekday}在视频讲话中表示，乌克兰东部的局势依然十分紧张。",
            "据当地官员介绍，过去24小时内顿巴斯有{n}处民用设施遭到袭击。",
            "西方国家正在讨论如何支持乌克兰的战后重建，基辅希望尽快获得资金。",
            "基辅市民说，防空警报几乎每晚都会响起，乌克兰东部更是如此。",
        ],
        "passing": ["他曾在基辅工作过。", "他的邻居是一个乌克兰家庭。"],
    },
    "science_space": {
        "kw": ["航天", "宇航员", "探测器"],
        "titles": ["探测器成功登陆火星", "宇航员完成出舱任务 空间站建设再进一步"],
        "sentences": [
            "航天部门{weekday}宣布，探测器已进入预定轨道。",
            "三名宇航员将在空间站停留约六个月。",
            "科学家希望通过这次任务了解火星的地质历史。",
            "运载火箭从发射中心顺利升空。",
        ],
        "passing": ["他小时候的梦想是当一名宇航员。", "他在一家天文馆工作过。"],
    },
    "south_china_sea": {
        "kw": ["南海", "南沙", "黄岩岛"],
        "titles": ["黄岩岛附近再起对峙 海警船使用水炮", "南海仲裁案八周年 各方立场未变"],
        "sentences": [
            "海警船{weekday}在黄岩岛附近对一艘补给船使用了水炮。",
            "南海争端各方都声称拥有相关岛礁的主权。",
            "南沙群岛的人工岛建设引起了周边国家的担忧。",
            "分析人士认为，南海的紧张局势可能进一步升级。",
        ],
        "passing": ["飞机在南海上空遇到了一阵气流。", "他的老家在南海之滨的一个渔村。"],
    },
    "southeast_asia": {
        "kw": ["东南亚", "越南", "泰国", "马来西亚"],
        "titles": ["泰国新总理宣誓就职", "越南领导层人事调整引关注"],
        "sentences": [
            "泰国新总理{weekday}在曼谷宣誓就职。",
            "越南政府说，将继续推进行政改革。",
            "马来西亚和印度尼西亚的领导人就区域合作举行了会谈。",
            "东南亚国家希望在大国竞争中保持中立。",
        ],
        "passing": ["他在曼谷转机。", "他曾在新加坡工作过两年。"],
    },
    "sports": {
        "kw": ["足球", "奥运会", "世界杯"],
        "titles": ["世界杯预选赛：主队补时绝杀", "奥运会倒计时一百天 场馆建设收尾"],
        "sentences": [
            "这名球员在比赛最后一分钟打进制胜一球。",
            "球迷们{weekday}涌上街头，庆祝球队晋级世界杯。",
            "奥运会组委会说，所有场馆将在下月完工。",
            "赛后，足球队的教练表示，球员们的表现令人满意。",
            "这场足球比赛吸引了数万名球迷到场观战。",
        ],
        "passing": ["他业余时间喜欢踢足球。", "采访在一场篮球比赛之后进行。"],
    },
    "taiwan": {
        "kw": ["台湾", "两岸", "立法院"],
        "titles": ["台湾立法院通过新预算案", "两岸交流再受关注 学者：对话仍有空间"],
        "sentences": [
            "台湾行政院{weekday}表示，将加快推动相关改革。",
            "立法院的朝野政党就预算案激烈交锋。",
            "陆委会说，两岸交流应在对等的基础上进行。",
            "调查显示，多数台湾民众希望维持现状。",
        ],
        "passing": ["他在台北转机。", "这家店的老板来自台湾。"],
    },
    "tech_chips": {
        "kw": ["芯片", "半导体", "人工智能"],
        "titles": ["半导体巨头宣布新建晶圆厂", "人工智能热潮推动芯片需求激增"],
        "sentences": [
            "这家半导体厂商{weekday}宣布，将新建一座芯片工厂。",
            "业内人士说，芯片产业链的重组需要数年时间。",
            "人工智能应用的普及带动了对高端芯片的需求。",
            "研发人员正在开发新一代半导体材料，以提升芯片的性能。",
            "多家科技公司加大了对人工智能的投入。",
        ],
        "passing": ["他以前在一家芯片厂当工程师。", "他说，连人工智能也给不出答案。"],
    },
    "tibet": {
        "kw": ["西藏", "藏人", "达赖喇嘛"],
        "titles": ["西藏寄宿学校引发关注", "流亡藏人纪念达赖喇嘛生日"],
        "sentences": [
            "观察人士说，西藏的藏族儿童被大量送往寄宿学校。",
            "达赖喇嘛{weekday}在达兰萨拉会见了来自各地的藏人。",
            "官方表示，西藏自治区的发展取得了巨大成就。",
            "流亡藏人团体呼吁国际社会关注西藏的文化传承。",
        ],
        "passing": ["他曾去西藏旅行。", "这家餐馆由一位藏人经营。"],
    },
    "trade_tariffs": {
        "kw": ["关税", "贸易战", "贸易谈判"],
        "titles": ["政府宣布对外国钢铁加征关税", "贸易谈判陷入僵局 双方互相指责"],
        "sentences": [
            "新一轮关税可能让日用品变得更贵，贸易摩擦恐将加剧。",
            "商务部回应称，将采取必要措施应对贸易摩擦。",
            "双方的贸易谈判{weekday}在{place}继续进行。",
            "外贸商家担心贸易战会持续升级。",
            "世贸组织呼吁双方通过谈判化解争端，避免加征更多关税。",
        ],
        "passing": ["他说，关税只是原因之一。", "他曾在海关工作。"],
    },
    "turkey": {
        "kw": ["土耳其", "埃尔多安", "安卡拉"],
        "titles": ["埃尔多安宣布改组内阁", "土耳其议会通过新的宪法修正案"],
        "sentences": [
            "土耳其总统埃尔多安{weekday}宣布了新的内阁名单。",
            "土耳其反对党指责埃尔多安政府的做法违背了宪法精神。",
            "伊斯坦布尔和安卡拉的市民对这项改革看法不一。",
            "安卡拉的外交官说，土耳其希望在东西方之间保持平衡。",
            "土耳其政府发言人说，改革将增强国家的稳定。",
        ],
        "passing": ["他在伊斯坦布尔转机。", "他的妻子是土耳其人。"],
    },
    "uk": {
        "kw": ["英国", "英国政府", "唐宁街"],
        "titles": ["英国首相宣布改组内阁", "英国议会审议新的住房法案"],
        "sentences": [
            "英国首相{weekday}在唐宁街宣布了新的内阁名单。",
            "英国政府发言人说，新法案将在下月提交英国议会。",
            "工党和保守党的议员在下院激烈交锋。",
            "威尔士和北爱尔兰的地方官员对英国政府的做法表示不满。",
            "脱欧之后，英国的政治版图仍在重塑。",
        ],
        "passing": ["他在伦敦转机。", "他在英国读完了大学。"],
    },
    "us_china": {
        "kw": ["中美关系", "美中关系"],
        "titles": ["中美关系：高层通话后紧张局势略有缓和", "美国国务卿访华 中美关系能否止跌"],
        "sentences": [
            "双方同意恢复多个工作层级的沟通渠道，为中美关系降温。",
            "分析人士指出，美中关系仍面临诸多结构性分歧，华盛顿的对华政策短期内难有转变。",
            "美国和中国的外交官员{weekday}在{place}举行了会谈。",
            "北京和华盛顿都表示，希望避免误判导致中美关系失控。",
            "有学者担心，中美两国正滑向一场新冷战。",
        ],
        "passing": ["他曾在一家研究中美关系的智库工作。", "他在演讲中只是顺带提到了中美关系。"],
    },
    "us_politics": {
        "kw": ["共和党", "民主党", "参议院"],
        "titles": ["参议院通过临时拨款法案 避免政府停摆", "众议院共和党人推动弹劾调查"],
        "sentences": [
            "参议院{weekday}以多数票通过了临时拨款法案。",
            "共和党和民主党在预算问题上的分歧依然很大。",
            "众议院议长表示，将尽快安排对法案的表决。",
            "最高法院的大法官将在下月就此案举行听证。",
            "民主党和共和党的议员在国会山激烈交锋。",
        ],
        "passing": ["他曾在国会山当过实习生。", "他的父亲是一名共和党人。"],
    },
    "xinjiang": {
        "kw": ["新疆", "维吾尔", "乌鲁木齐"],
        "titles": ["报告：新疆劳动力转移规模扩大", "海外维吾尔人讲述家人近况"],
        "sentences": [
            "报告指出，新疆的棉花仍出现在全球的纺织品中，喀什等地的工厂也在其列。",
            "官方否认新疆的维吾尔人受到任何侵害。",
            "维吾尔族学者说，维吾尔人的文化传统正在受到冲击。",
            "乌鲁木齐的官员{weekday}表示，新疆社会保持稳定。",
            "伊犁和喀什的维吾尔族家庭讲述了亲人的遭遇。",
        ],
        "passing": ["他去过一次乌鲁木齐。", "餐桌上摆着一盘新疆的葡萄干。"],
    },
}

# A story's main subject named again further down ({kw}: one of the topic's names).
ECHOES = [
    "围绕{kw}的争论预计还会持续一段时间。",
    "{kw}仍是各方关注的焦点。",
    "外界将继续关注{kw}的后续发展。",
    "不少人认为，{kw}的走向将在未来几个月变得更加清晰。",
]

# Second subjects a story may have: topic pairs that hand labellers gave together to at least 3 articles
# (../shared/gold/topics-dev.jsonl and bench/topic_labels/*.jsonl, topic ids only, read once to write this
# table). Real stories pair related subjects (Hong Kong and press freedom), not a film festival and a war;
# a topic without such a partner gets no second subject.
RELATED: dict[str, tuple[str, ...]] = {
    "australia": (
        "covid19",
        "military_defense",
        "trade_tariffs",
    ),
    "china_politics": (
        "economy_markets",
        "human_rights",
        "press_freedom",
    ),
    "china_society": (
        "economy_markets",
        "human_rights",
    ),
    "covid19": (
        "australia",
        "culture_arts",
        "economy_markets",
        "elections",
        "eu",
        "france",
        "german_politics",
        "hong_kong",
        "india",
        "korean_peninsula",
        "latin_america",
        "middle_east",
        "press_freedom",
        "public_health",
        "sports",
        "taiwan",
        "uk",
        "us_china",
        "us_politics",
    ),
    "culture_arts": (
        "covid19",
        "hong_kong",
        "us_politics",
    ),
    "disasters": (
        "middle_east",
        "taiwan",
    ),
    "economy_markets": (
        "china_politics",
        "china_society",
        "covid19",
        "elections",
        "eu",
        "hong_kong",
        "taiwan",
        "tech_chips",
        "trade_tariffs",
        "uk",
        "us_china",
        "us_politics",
    ),
    "elections": (
        "covid19",
        "economy_markets",
        "espionage_cyber",
        "france",
        "hong_kong",
        "us_china",
        "us_politics",
    ),
    "energy": ("russia",),
    "espionage_cyber": (
        "elections",
        "eu",
        "france",
        "tech_chips",
        "us_china",
    ),
    "eu": (
        "covid19",
        "economy_markets",
        "espionage_cyber",
        "german_politics",
        "hong_kong",
        "tech_chips",
        "trade_tariffs",
        "uk",
        "us_china",
    ),
    "france": (
        "covid19",
        "elections",
        "espionage_cyber",
    ),
    "german_politics": (
        "covid19",
        "eu",
        "hong_kong",
    ),
    "hong_kong": (
        "covid19",
        "culture_arts",
        "economy_markets",
        "elections",
        "eu",
        "german_politics",
        "human_rights",
        "migration_refugees",
        "press_freedom",
        "taiwan",
        "uk",
        "us_china",
        "xinjiang",
    ),
    "human_rights": (
        "china_politics",
        "china_society",
        "hong_kong",
        "press_freedom",
        "religion",
        "us_china",
        "xinjiang",
    ),
    "india": (
        "covid19",
        "military_defense",
        "tech_chips",
    ),
    "japan": ("military_defense",),
    "korean_peninsula": ("covid19",),
    "latin_america": ("covid19",),
    "middle_east": (
        "covid19",
        "disasters",
    ),
    "migration_refugees": (
        "hong_kong",
        "uk",
    ),
    "military_defense": (
        "australia",
        "india",
        "japan",
        "south_china_sea",
        "southeast_asia",
        "taiwan",
        "us_china",
    ),
    "press_freedom": (
        "china_politics",
        "covid19",
        "hong_kong",
        "human_rights",
        "tech_chips",
        "us_china",
        "us_politics",
    ),
    "public_health": ("covid19",),
    "race_policing": ("us_politics",),
    "religion": ("human_rights",),
    "russia": ("energy",),
    "south_china_sea": (
        "military_defense",
        "southeast_asia",
        "us_china",
    ),
    "southeast_asia": (
        "military_defense",
        "south_china_sea",
        "us_china",
    ),
    "sports": ("covid19",),
    "taiwan": (
        "covid19",
        "disasters",
        "economy_markets",
        "hong_kong",
        "military_defense",
        "tech_chips",
        "trade_tariffs",
        "us_china",
    ),
    "tech_chips": (
        "economy_markets",
        "espionage_cyber",
        "eu",
        "india",
        "press_freedom",
        "taiwan",
        "uk",
        "us_china",
        "us_politics",
    ),
    "trade_tariffs": (
        "australia",
        "economy_markets",
        "eu",
        "taiwan",
        "uk",
        "us_china",
    ),
    "uk": (
        "covid19",
        "economy_markets",
        "eu",
        "hong_kong",
        "migration_refugees",
        "tech_chips",
        "trade_tariffs",
        "us_china",
        "xinjiang",
    ),
    "us_china": (
        "covid19",
        "economy_markets",
        "elections",
        "espionage_cyber",
        "eu",
        "hong_kong",
        "human_rights",
        "military_defense",
        "press_freedom",
        "south_china_sea",
        "southeast_asia",
        "taiwan",
        "tech_chips",
        "trade_tariffs",
        "uk",
        "xinjiang",
    ),
    "us_politics": (
        "covid19",
        "culture_arts",
        "economy_markets",
        "elections",
        "press_freedom",
        "race_policing",
        "tech_chips",
    ),
    "xinjiang": (
        "hong_kong",
        "human_rights",
        "uk",
        "us_china",
    ),
}

# Topics too close to tell apart in a mention: 北约 names a military alliance, so a NATO story that also names
# a warship or a pilot in passing, or has a second subject in defence, may or may not be on defence as well.
# The generator keeps such neighbours out of each other's stories (second subject, passing mention, item).
NEIGHBOURS = {
    "nato": ("military_defense",),
    "military_defense": ("nato",),
    # TOPIC-RULES.md: journalists detained for their work are a human-rights story too; in a market report
    # the pandemic may be background (a judgement call the labellers made case by case).
    "economy_markets": ("covid19",),
    "covid19": ("economy_markets",),
    "press_freedom": ("human_rights",),
    "human_rights": ("press_freedom",),
    # US policy toward China is us_china; us_politics only when domestic politics is discussed at length.
    "us_politics": ("us_china",),
    "us_china": ("us_politics",),
}

# Names for a list of countries ("A, B, C and D sent delegates"): each is a passing mention (TOPIC-RULES.md:
# "a country in a list" is not counted).
LIST_NAMES = {
    "afghanistan": "阿富汗",
    "australia": "澳大利亚",
    "canada": "加拿大",
    "central_asia": "哈萨克斯坦",
    "france": "法国",
    "india": "印度",
    "japan": "日本",
    "korean_peninsula": "韩国",
    "latin_america": "巴西",
    "russia": "俄罗斯",
    "southeast_asia": "越南",
    "turkey": "土耳其",
    "uk": "英国",
    "africa": "南非",
}
LIST_TEMPLATES = [
    "{a}、{b}、{c}和{d}等国的代表也出席了会议。",
    "来自{a}、{b}、{c}、{d}等国的{n}名学者参加了讨论。",
    "这份名单还包括{a}、{b}、{c}和{d}。",
]

# How a digest's items start (TOPIC-RULES.md: digests string unrelated items together).
DIGEST_BULLETS = ["", "", "■ ", "● ", "{i}. "]

# Filler sentences on no topic: they avoid even the words that name a topic weakly (记者, 媒体, 企业, 增长 …),
# which would add up over a long story or a digest of many items.
FILLER = [
    "{official}{weekday}在发布会上说，政府将在{day}日前公布具体方案。",
    "这一决定在网上引发了广泛讨论，不少网友表示支持。",
    "{person}在接受采访时说：“我们需要更多的时间来评估这些措施的效果。”",
    "据估计，相关项目的总投资约为{n}亿元。",
    "当地居民说，过去几个月物价明显上涨，生活压力越来越大。",
    "{org}的一份报告指出，有{pct}的受访者对未来表示担忧。",
    "反对者认为，这项政策缺乏透明度，也没有充分征求公众意见。",
    "{place}市政府表示，将从下个月起试行新的交通管理办法。",
    "一位不愿透露姓名的官员说，谈判仍在进行中，结果尚难预料。",
    "专家指出，问题的根源在于长期投入不足。",
    "该计划预计将创造约{n}个工作岗位。",
    "{person}是{place}一所大学的研究员，长期关注这一领域。",
    "事件发生后，警方拉起了警戒线，并展开调查。",
    "有观察人士认为，这一变化反映出决策层的优先顺序正在调整。",
    "相关部门尚未就此发表评论。",
    "组织者说，活动吸引了约{n}名参与者。",
    "{official}强调，政府会继续与各方保持沟通。",
    "统计数据显示，{month}份的相关指标比去年同期上升{pct}。",
    "{person}表示，这样的结果“并不令人意外”。",
    "许多商家已经开始调整经营策略，以应对新的环境。",
    "议会预计将在下周就该法案进行表决。",
    "{place}的抗议活动持续了数个小时，大体上和平进行。",
]

CAPTIONS = [
    "资料照片：{place}街头的行人。",
    "{place}的一处会议现场。",
    "{person}在发布会上讲话。",
    "图为{place}港口的集装箱码头。",
    "{weekday}在{place}举行的集会。",
]

# In-text citations: cite an agency without crediting it ({a} is the agency's Chinese name).
CITATION_TEMPLATES = [
    "据{a}报道，{clause}",
    "{person}告诉{a}：“{quote}”",
    "{a}援引知情人士的话说，{clause}",
    "据{a}等媒体报道，{clause}",
]
CITATION_CLAUSES = [
    "双方的会谈持续了大约两个小时。",
    "相关文件已经提交给了议会。",
    "有关方面正在评估下一步行动。",
    "事件造成至少{n}人受伤。",
]
CITATION_QUOTES = ["我们会继续关注事态发展。", "这并不是一个容易的决定。", "局势仍然非常不确定。"]

FEEDX_DOMAINS = ["feedx.xyz", "feedx.top", "feedx.run", "feedx.site"]

# Outlet display names used in Jekyll front matter (author/tags/categories).
JEKYLL_AUTHORS = {
    "dw": "德国之声",
    "voa": "美国之音",
    "rfi": "法广",
    "reuters": "路透",
    "nyt": "纽约时报",
    "bbc": "BBC",
    "cna": "(臺)中央社CNA",
    "rfa": "自由亚洲电台",
    "ft": "金融时报",
    "zaobao": "联合早报",
    "cdt": "中国数字时代",
}
# Folder names of the second exact-variant path form, `_posts/<folder>/<id>_<title>.md`.
POSTS_FOLDERS = {**JEKYLL_AUTHORS, "dw": "德国之声", "cna": "中央社", "nyt": "纽约时报", "ft": "金融时报"}

RFI_PROGRAMMES = ["要闻分析", "法国世界报", "国际纵横", "文化时空"]


# Made-up names (etl.synth.story.Cast): every story has its own person, place and organisation, as real news
# has, so that unrelated synthetic stories do not read alike (reprint and event detection, issue 12). Drawn
# from these characters: GB2312 level-1 characters written the same in both scripts (OpenCC s2t and t2s leave
# them alone, so a name never changes an article's script) and found in none of etl/registries/*.yaml when
# this list was made (a made-up name never spells a topic keyword, an agency or an outlet).
MADE_UP_CHARS = (
    "啊挨哎唉哀矮隘鞍氨俺按暗胺盎凹敖熬翱傲懊芭捌扒叭吧笆八疤拔跋靶把耙霸爸百佰稗斑搬扳般板扮拌瓣梆榜膀磅蚌傍苞胞褒薄雹抱豹碑悲卑焙奔苯笨崩甭泵蹦迸逼鼻鄙彼碧蓖毖痹敝必臂避陛鞭便卞辨遍彪膘憋彬冰柄丙秉炳菠勃"
    "搏箔帛舶脖膊渤泊卜哺埠簿怖猜材才睬踩菜餐操糙槽曹草蹭插茬茶碴搽岔柴豺猖敞倡抄嘲巢吵炒扯撤掣澈郴辰晨忱趁橙乘澄逞秤匙池弛侈尺赤翅斥崇抽酬稠愁瞅臭躇滁楚矗搐揣穿椽喘串窗幢吹炊捶垂椿醇淳蠢戳疵磁雌慈瓷匆粗醋"
    "簇篡摧崔催脆瘁粹淬翠存寸磋撮搓挫搭答瘩呆歹傣殆袋怠耽氮淡蛋刀倒稻悼蹬瞪凳堤滴笛狄翟嫡抵帝弟掂滇碘靛佃店惦奠殿碉叼凋刁掉吊爹碟蝶迭盯叮鼎董懂侗恫洞兜陡逗痘堵睹肚妒短堆墩蹲盾遁掇哆垛躲朵跺舵剁惰蛾峨扼遏鄂"
    "洱筏乏藩帆番樊繁凡坊芳肪妨仿啡匪吠沸芬酚吩氛焚汾粉份忿蜂烽逢奉敷孵拂幅氟符俘服浮涪袱甫俯釜斧脯腑赴傅付阜腹附咐噶嘎概溉杆柑竿肝敢缸肛篙皋膏羔糕搞稿戈胳疙割葛蛤跟耕庚羹埂耿梗恭躬弓汞拱勾苟狗垢辜菇咕箍沽"
    "孤姑鼓骨固刮寡褂乖拐怪棺罐灌逛瑰鬼癸桂跪棍郭裹骸孩氦亥酣憨邯含涵寒函喊罕撼捍憾悍焊夯杭壕嚎豪毫郝耗浩呵喝荷菏禾盒貉涸褐嘿痕很狠哼亨衡哄烘虹弘喉侯猴吼厚乎忽瑚葫蝴糊弧虎唬猾槐徊淮桓豢宦幻荒慌磺簧皇凰惶煌"
    "晃幌恍灰徽蛔悔卉惠晦昏魂混豁惑圾畸稽箕肌棘急汲即嫉脊冀伎祭悸寂既忌妓嘉枷佳甲稼嫁煎兼肩硷剪僵姜匠蕉椒郊嚼狡剿酵叫窖揭皆秸截劫桔捷睫竭姐藉芥借疥巾筋斤襟靳浸兢睛粳井景敬靖竟炯窘揪玖韭久灸臼舅咎疚鞠狙疽菊"
    "咀矩沮拒具踞俱句炬捐娟倦眷撅攫抉掘倔爵均峻俊竣浚郡咖咯揩楷慨勘坎慷糠扛亢炕拷烤靠坷苛棵磕咳渴啃坑吭扣寇枯窟苦垮挎胯筷匡筐狂框眶盔葵奎傀愧坤昆捆廓垃辣啦婪琅榔狼郎浪牢佬姥酪烙蕾磊累儡擂肋棱楞狸漓莉荔吏傈"
    "俐痢粒璃哩廉梁粱晾亮撩聊僚燎寥潦撂廖裂烈劣琳磷霖淋吝拎玲菱伶羚凌陵另溜琉榴硫瘤柳窿漏陋麓碌鹿潞戮旅履氯卵掠螺裸埋蔓慢漫芒茫盲氓忙莽茅毛矛卯冒帽貌玫枚酶眉昧寐妹媚萌蒙檬猛眯醚靡糜泌蜜眠冕免勉娩描瞄藐秒渺"
    "妙蔑抿皿螟摸摹蘑膜磨魔抹末沫漠寞陌牟某拇牡墓暮幕募睦哪娜氖乃奶耐囊淖呢妮霓倪匿溺蔫拈碾捻念娘捏孽您凝扭弄奴怒虐挪懦糯哦藕啪趴爬怕琶牌徘湃攀磐盼畔叛乓旁耪咆刨炮袍跑泡呸胚陪配沛盆砰抨烹澎棚硼篷膨捧碰坯砒"
    "霹披劈琵毗啤脾疲匹痞僻屁譬篇偏漂瓢撇瞥拼聘乒坪萍瓶婆破魄粕剖莆菩圃曝瀑戚妻七漆柒沏棋畦崎旗祈祁乞契砌迄泣掐恰洽扦仟黔嵌歉腔羌橇敲悄瞧巧鞘撬峭俏切茄怯琴勤芹擒禽沁擎晴氰秋丘邱囚泅蛆曲屈渠娶趣圈醛泉痊拳犬"
    "缺炔瘸榷雀裙燃冉瓤攘嚷惹壬仁忍刃妊扔戎茸蓉熔溶冗揉柔茹蠕儒孺辱乳汝褥阮蕊若腮散嗓搔嫂瑟僧砂傻啥煞珊苫杉衫擅膳善汕扇墒晌裳梢捎稍芍勺韶哨邵奢蛇舌涉砷呻伸身娠沈甚慎甥牲升省剩拾矢屎柿拭誓逝嗜噬仕侍恃瘦蔬梳"
    "殊抒叔舒淑疏孰熟薯暑曙署蜀黍戍墅庶漱恕刷耍摔甩栓拴霜爽睡吮瞬舜撕嘶肆嗣伺似巳宋搜艘嗽酥粟僳宿蒜隋髓碎穗遂隧祟蓑梭唆蹋踏苔抬酞汰檀痰潭毯袒塘搪棠膛倘淌趟掏滔逃淘陶套藤疼梯剔踢蹄啼替嚏惕涕剃添填甜恬舔腆迢"
    "眺汀挺桐酮瞳彤桶捅筒痛凸途屠吐兔湍腿褪吞屯臀拖陀妥拓唾挖哇蛙娃歪豌玩丸烷完碗挽皖惋宛婉腕枉旺忘妄巍桅惟萎尾蔚味畏胃喂魏渭尉慰瘟蚊吻紊嗡斡握沃巫屋梧毋捂侮戊晤勿悟昔熙硒矽晰嘻稀膝夕惜熄烯汐犀檄席媳洗隙瞎"
    "匣霞暇夏掀先仙舷涎弦嫌腺箱襄湘翔祥享巷橡向象霄削哮宵淆孝肖笑效楔鞋邪斜械卸蟹懈屑欣辛忻腥猩惺形邢醒幸杏姓兄胸匈熊羞朽嗅秀袖墟戌徐蓄酗旭恤絮婿喧旋玄眩靴薛穴血循旬殉迅呀丫芽蚜崖衙涯焉咽淹蜒沿奄掩衍堰燕雁"
    "唁焰宴殃秧佯羊氧漾邀腰妖姚咬舀椰噎冶掖曳腋夜揖依衣夷胰疑沂宜姨彝椅倚乙矣邑屹臆逸肄亦溢翼翌茵殷吟淫尹迎硬映臃庸雍踊蛹恿幽悠尤酉右佑釉又迂淤盂榆虞愚俞逾愉渝隅予禹羽玉芋喻峪御愈欲裕豫垣袁猿苑怨曰耘允孕匝"
    "砸栽哉宰咱葬遭糟藻澡蚤躁噪燥憎曾喳渣札眨榨咋乍宅窄瞻詹粘沾蘸湛樟彰漳掌杖丈仗瘴障招昭找沼照兆肇召遮折哲蔗浙珍斟甄砧臻枕振蒸怔整拯芝枝吱蜘肢脂汁植殖侄址趾只旨峙秩稚炙痔窒盅忠衷粥肘帚咒宙株蛛朱煮拄著柱蛀"
    "祝抓爪拽撰篆撞椎追捉拙卓桌琢茁酌啄灼姿淄孜紫仔籽滓鬃棕奏揍卒祖纂嘴醉遵左柞做坐座"
)
MADE_UP_PLACE_SUFFIXES = ("镇", "县", "港", "湾", "岭", "州", "堡", "川")
MADE_UP_ORG_SUFFIXES = ("集团", "协会", "基金会", "研究所", "联合会", "公司")
