"""Outlet-independent story content: title, paragraphs, captions, seeded topics and in-text citations."""

from __future__ import annotations

import random
from dataclasses import dataclass

from etl.synth import words
from etl.synth.agencies import CITABLE, zh_name
from etl.synth.shape import Shape

SENTENCE_CHARS = 24  # mean length of a filled-in FILLER sentence
TOPIC_CODES = sorted(words.TOPICS)
# How often a primary topic with a related partner (words.RELATED) gets it as a clear second subject.
SECOND_SUBJECT_RATE = 0.4
DIGEST_TITLE = "简报：{}；{}"  # digests as the corpus has them (NYT 简报, 104 of its 630 files)
DIGEST_ITEMS = 10  # at most this many items of a digest have a topic (one each); the rest are topic-free


@dataclass(frozen=True)
class Cast:
    """Who and where a story is about: made-up names (a person, another person, a place, an organisation, a
    project), written in Latin letters as foreign names often are (one word each for a segmenter, where
    made-up Chinese names fall apart into single characters), and a figure, fixed for the whole story; and the
    story's main topic when it is given (an event's reports share it). Two stories share a cast only when they
    report one happening: that is what tells an event's reports from unrelated stories built on the same
    templates, and a copy from a look-alike."""

    person: str
    other: str
    place: str
    org: str
    project: str
    district: str
    envoy: str
    vessel: str
    extras: tuple[str, ...]  # more made-up names: a story's opening is mostly its own
    figure: str
    topic: str | None = None


_CONSONANTS = "bcdfgklmnprstvz"
_VOWELS = "aeiou"


def _made_up(rng: random.Random, syllables: int) -> str:
    r = rng.random
    return "".join(
        _CONSONANTS[int(r() * len(_CONSONANTS))] + _VOWELS[int(r() * len(_VOWELS))] for _ in range(syllables)
    ).capitalize()


def make_cast(rng: random.Random, topic: str | None = None) -> Cast:
    return Cast(
        person=_made_up(rng, 3),
        other=_made_up(rng, 3),
        place=_made_up(rng, 3),
        org=_made_up(rng, 2) + pick(rng, ("集团", "协会", "基金会", "研究所", "联合会", "公司")),
        project=_made_up(rng, 3),
        district=_made_up(rng, 3),
        envoy=_made_up(rng, 3),
        vessel=_made_up(rng, 3),
        extras=tuple(_made_up(rng, 3) for _ in range(8)),
        figure=f"{1 + int(rng.random() * 9)},{int(rng.random() * 1000):03d}",
        topic=topic,
    )


def cast_title(cast: Cast | None, title: str, subjects: int = 1) -> str:
    """A headline names the story's place, project and more of its names: "<names>：<headline>". A headline
    of two subjects (two topic headlines, long enough to stay Chinese beside more Latin letters) names more:
    its topic headlines are shared by every story on those topics."""
    if cast is None:
        return title
    names = (cast.place, cast.project, *cast.extras[: 1 if subjects == 1 else 5])
    return f"{'、'.join(names)}：{title}"


_CAST_SENTENCES = (
    (
        "{place}消息，{org}的{person}与{other}就{project}计划达成一致。",
        "{org}的{person}和{other}在{place}就{project}计划谈妥。",
        "据{place}方面消息，{person}与{other}代表{org}签署了{project}计划。",
    ),
    (
        "这一计划涉及{district}地区约{figure}人。",
        "{district}地区约有{figure}人受到影响。",
        "受影响的{figure}人大多住在{district}。",
    ),
    (
        "{e0}、{e1}、{e2}、{e3}、{e4}、{e5}、{e6}和{e7}出席。",
        "出席的有{e0}、{e1}、{e2}、{e3}、{e4}、{e5}、{e6}和{e7}。",
        "{e0}、{e1}、{e2}、{e3}、{e4}、{e5}、{e6}、{e7}在场。",
    ),
    (
        "{other}说，{project}计划将在{district}先行实施。",
        "按照{other}的说法，{district}会最先推行{project}计划。",
        "{project}计划首先在{district}试行，{other}表示。",
    ),
)


def cast_lead(rng: random.Random, cast: Cast) -> tuple[str, str]:
    """The sentences naming a story's cast, as (opening, later): who did what where and how many open the
    story (mostly Chinese: a video teaser keeps only its opening, whose script must stay Chinese), who was
    there and what comes next follow its topic paragraph. Each report of one happening words them its
    own way (one of three forms per sentence, the names in its own order): reports of an event are written
    independently, not copies."""
    fields = {
        "person": cast.person, "other": cast.other, "place": cast.place, "org": cast.org,
        "project": cast.project, "district": cast.district, "envoy": cast.envoy, "vessel": cast.vessel,
        "figure": cast.figure,
        # the names present, in each report's own order
        **{f"e{k}": name for k, name in enumerate(rng.sample(cast.extras, k=len(cast.extras)))},
    }  # fmt: skip
    sentences = [pick(rng, forms).format(**fields) for forms in _CAST_SENTENCES]
    return sentences[0] + sentences[1], "".join(rng.sample([sentences[2], sentences[3]], k=2))


_CAST_CLAUSES = ("{person}说，", "据{org}介绍，", "在{place}，", "{other}表示，", "围绕{project}计划，")


def cast_clause(rng: random.Random, cast: Cast) -> str:
    """A clause naming the cast, opening a later paragraph (a story keeps naming its people and places)."""
    return pick(rng, _CAST_CLAUSES).format(
        person=cast.person, org=cast.org, place=cast.place, other=cast.other, project=cast.project
    )


@dataclass
class Story:
    title: str
    paragraphs: list[str]  # plain text, no markup
    captions: list[str]
    topics: tuple[str, ...]  # sorted: the topics the story is ABOUT (TOPIC-RULES.md), its truth
    cited: tuple[str, ...]  # agency codes named in running text (cited, not credited)
    seeded: tuple[str, ...] = ()  # topics with a paragraph of their own, primary first
    headlines: tuple[str, ...] = ()  # topics the title announces, in order ("A；B")
    passing: tuple[str, ...] = ()  # sorted: topics named only in passing, which must not count
    digest: bool = False  # a digest of short unrelated items: only its lead item's topic counts
    cast: Cast | None = None  # the made-up names of the story (a digest has none in its title)

    @property
    def primary(self) -> str | None:
        return self.seeded[0] if self.seeded else None


def pick(rng: random.Random, seq):
    """rng.choice without its overhead (this is the generator's hot path)."""
    return seq[int(rng.random() * len(seq))]


def person(rng: random.Random) -> str:
    r = rng.random
    given = words.GIVEN
    name = words.SURNAMES[int(r() * len(words.SURNAMES))] + given[int(r() * len(given))]
    return name + given[int(r() * len(given))] if r() < 0.67 else name


_DRAWS = {
    "place": lambda r: pick(r, words.PLACES),
    "person": person,
    "official": lambda r: pick(r, words.PLACES) + pick(r, words.OFFICIAL_ROLES),
    "org": lambda r: pick(r, words.ORGS),
    "n": lambda r: str(3 + int(r.random() * 978)),
    "pct": lambda r: f"{1 + int(r.random() * 60)}.{int(r.random() * 10)}%",
    "weekday": lambda r: pick(r, words.WEEKDAYS),
    "day": lambda r: str(1 + int(r.random() * 28)),
    "month": lambda r: f"{1 + int(r.random() * 12)}月",
}


class Slots(dict):
    """Placeholder values for str.format_map: fixed ones set up front, the rest drawn fresh per use."""

    def __init__(self, rng: random.Random, fixed: dict[str, str]):
        super().__init__(fixed)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        return _DRAWS[key](self.rng)


def leader_names(traditional_style: bool) -> dict[str, str]:
    pick = 1 if traditional_style else 0
    return {
        "leader": words.LEADER_VARIANTS["trump"][pick],
        "putin": words.LEADER_VARIANTS["putin"][pick],
        "zelensky": words.LEADER_VARIANTS["zelensky"][pick],
    }


# What a story's headline says after its topic keyword. The topic's own headline templates describe one
# happening each ("X 宣布 Y"): two unrelated stories on one topic would carry the same headline and read as
# reports of one event. A story with a cast says its topic and its own names instead.
TITLE_TAILS = ("问题再受关注", "相关争议升温", "出现新进展", "引发各方回应", "局势出现新变化", "议题讨论持续")


def make_title(rng: random.Random, topic: str, slots: Slots, cast: Cast | None = None) -> str:
    spec = words.TOPICS[topic]
    slots["kw"] = pick(rng, spec["kw"])
    if cast is not None:
        return slots["kw"] + pick(rng, TITLE_TAILS)
    return pick(rng, spec["titles"]).format_map(slots)


def _topic_sentences(rng: random.Random, topic: str, slots: Slots, count: int) -> list[str]:
    """`count` different sentences on the topic (fewer when its vocabulary has fewer), in random order."""
    pool = words.TOPICS[topic]["sentences"]
    chosen = rng.sample(pool, k=min(count, len(pool)))
    out = []
    for template in chosen:
        slots["kw"] = pick(rng, words.TOPICS[topic]["kw"])
        out.append(template.format_map(slots))
    return out


def _citation(rng: random.Random, agency: str, slots: Slots) -> str:
    template = rng.choice(words.CITATION_TEMPLATES)
    fixed = {
        "a": zh_name(agency),
        "clause": rng.choice(words.CITATION_CLAUSES).format_map(slots),
        "quote": rng.choice(words.CITATION_QUOTES),
    }
    return template.format_map(Slots(rng, {**slots, **fixed}))


def _filler_paragraphs(rng: random.Random, slots: Slots, shape: Shape, chars: int) -> list[str]:
    """Topic-free paragraphs of about `chars` characters in all (the last overshoots by half a paragraph)."""
    # Sentences per paragraph: uniform over 1 .. 2m-1, whose mean m gives the outlet's paragraph length.
    spread = max(1.0, 2 * shape.para_chars / SENTENCE_CHARS - 1)
    filler, r = words.FILLER, rng.random
    n_filler = len(filler)
    paragraphs, total = [], 0
    while total < chars:
        n = 1 + int(r() * spread)
        text = "".join(filler[int(r() * n_filler)].format_map(slots) for _ in range(n))
        paragraphs.append(text)
        total += len(text)
    return paragraphs


def _echo(rng: random.Random, topic: str, slots: Slots) -> str:
    """A sentence naming the topic again ("X remains the focus")."""
    slots["kw"] = pick(rng, words.TOPICS[topic]["kw"])
    return pick(rng, words.ECHOES).format_map(slots)


def _near(topics) -> set[str]:
    """The topics and their neighbours (words.NEIGHBOURS): what another mention in the story must avoid."""
    return set(topics).union(*(words.NEIGHBOURS.get(t, ()) for t in topics))


def _passing_mentions(rng: random.Random, truth: set[str], slots: Slots) -> tuple[list[str], set[str]]:
    """Sentences that name other topics only in passing (a stopover, a side remark, a list of countries),
    and those topics. Half the stories get one, some two, some a list of four countries."""
    others = [t for t in TOPIC_CODES if t not in _near(truth) and words.TOPICS[t]["passing"]]
    count = (rng.random() < 0.5) + (rng.random() < 0.2)
    topics = rng.sample(others, k=count)
    sentences = [pick(rng, words.TOPICS[t]["passing"]) for t in topics]
    if rng.random() < 0.15:
        listed = rng.sample([t for t in words.LIST_NAMES if t not in _near(truth) and t not in topics], k=4)
        names = dict(zip("abcd", (words.LIST_NAMES[t] for t in listed), strict=True))
        sentences.append(pick(rng, words.LIST_TEMPLATES).format_map(Slots(rng, names)))
        topics += listed
    return [s.format_map(slots) for s in sentences], set(topics)


def make_story(
    rng: random.Random,
    *,
    traditional_style: bool,
    shape: Shape,
    exclude_cited: tuple[str, ...] = (),
    reserve: int = 0,
    digest_rate: float = 0.0,
    dateline: tuple[str, ...] = (),
    cast: Cast | None = None,
) -> Story:
    """A story on one or two topics, sometimes a digest of short items. Each seeded topic is a subject of
    substance as TOPIC-RULES.md labels one: it is announced in the title and has a paragraph of its own at
    the top; other topics may be named in passing further down. Its length is drawn from the outlet's shape,
    less `reserve` characters that the layout writes around it (galleries, credits); short draws still hold
    every topic paragraph. `dateline`: topics the layout may name in a dateline before the lead ("路透香港"):
    a dateline is a venue, so those topics are neither a second subject nor named in passing again.
    `cast`: the made-up names (and the main topic, when set) of the happening the story reports; a story
    without one gets its own. A story with a given cast is never a digest."""
    given = cast is not None
    cast = cast or make_cast(rng)
    # Every person, venue and organisation of the story is its cast's: stories on one topic differ.
    slots = Slots(rng, {**leader_names(traditional_style), "person": cast.person, "place": cast.place})
    slots["org"] = cast.org
    target = shape.article_chars(rng) - reserve
    if not given and digest_rate and rng.random() < digest_rate:
        story = _digest(rng, slots, shape, target)
    else:
        story = _article(rng, slots, shape, target, set(dateline), cast)
    cited: list[str] = []
    paragraphs = story.paragraphs
    if rng.random() < 0.3:
        pool = [a for a in CITABLE if a not in exclude_cited]
        for agency in rng.sample(pool, k=rng.choice((1, 1, 2))):
            # min(): a one-paragraph story carries its citation in its only paragraph
            position = min(rng.randint(1, max(1, len(paragraphs) - 1)), len(paragraphs) - 1)
            paragraphs[position] = paragraphs[position] + _citation(rng, agency, slots)
            cited.append(agency)
    story.captions = [pick(rng, words.CAPTIONS).format_map(slots) for _ in range(pick(rng, (0, 1, 1, 2)))]
    story.cited = tuple(sorted(set(cited)))
    story.cast = cast
    return story


def _headline(rng: random.Random, topics, slots: Slots, cast: Cast) -> str:
    """One subject: its keyword (the cast names the story). Two: both subjects' own headlines, "A；B", as the
    topic tagger needs them to rank a main and a second subject."""
    if len(topics) == 1:
        return make_title(rng, topics[0], slots, cast)
    return "；".join(make_title(rng, t, slots) for t in topics)


def _subjects(rng: random.Random, cast: Cast, dateline: set[str]) -> list[str]:
    """The story's subjects: its cast's topic or a random one, sometimes a related second subject."""
    seeded = [cast.topic or pick(rng, TOPIC_CODES)]
    partners = [t for t in words.RELATED.get(seeded[0], ()) if t not in _near(seeded) | dateline]
    # An event's reports (a cast with its topic) have one subject: each report opens on the happening.
    if partners and rng.random() < SECOND_SUBJECT_RATE and cast.topic is None:
        seeded.append(pick(rng, partners))
    return seeded


def _lead_paragraphs(rng: random.Random, seeded: list[str], slots: Slots, cast: Cast) -> list[str]:
    """The primary topic fills the two lead paragraphs; a second topic has the next paragraph of its own."""
    first = _topic_sentences(rng, seeded[0], slots, 5)
    leads = [
        "".join(first[:3]) + _echo(rng, seeded[0], slots),
        pick(rng, words.FILLER).format_map(slots) + "".join(first[3:]) + _echo(rng, seeded[0], slots),
    ]
    if len(seeded) > 1:
        leads.append("".join(_topic_sentences(rng, seeded[1], slots, 3)))
    # A story opens on its cast (who did what where), short enough that its topic paragraph still opens it
    # for a reader and the tagger; the rest of the cast follows that paragraph.
    opening, later = cast_lead(rng, cast)
    if len(seeded) == 1:
        leads[1:1] = [later]
        leads.insert(0, opening)
    else:  # two subjects: the topic paragraph opens the story (the tagger ranks the subjects by it)
        leads.insert(1, opening + later)
    return leads


def _weave(
    rng: random.Random,
    rest: list[str],
    leads: list[str],
    echoes: list[str],
    second_echoes: list[str],
    mentions: list[str],
) -> None:
    """Write the echoes into the first paragraphs after the leads, and the passing mentions anywhere below
    the topic paragraphs (into the last lead of a story with nothing below)."""
    near = min(6, len(rest))
    for at, echo in zip(rng.sample(range(near), k=min(4, near)), echoes, strict=False):
        rest[at] += echo
    for echo in second_echoes:
        if rest:
            rest[rng.randrange(near)] += echo
        else:
            leads[-1] += echo
    for sentence in mentions:
        if rest:
            at = rng.randrange(len(rest))
            rest[at] = rest[at] + sentence if rng.random() < 0.5 else sentence + rest[at]
        else:
            leads[-1] += sentence


def _article(
    rng: random.Random, slots: Slots, shape: Shape, target: int, dateline: set[str], cast: Cast
) -> Story:
    seeded = _subjects(rng, cast, dateline)
    truth = set(seeded)
    leads = _lead_paragraphs(rng, seeded, slots, cast)
    # A second subject is announced: "A；B".
    title = cast_title(cast, _headline(rng, seeded, slots, cast), len(seeded))
    # The main subject comes back further down, in four of the next six paragraphs, and a second subject
    # twice (a reader, and the tagger, judge a story by its opening); other topics are named in passing.
    echoes = [_echo(rng, seeded[0], slots) for _ in range(4)]
    second_echoes = [_echo(rng, seeded[1], slots) for _ in range(2)] if len(seeded) > 1 else []
    mentions, passing = _passing_mentions(rng, truth | dateline, slots)
    added = sum(map(len, [*echoes, *second_echoes, *mentions]))  # written into the filler: part of the length
    rest = _filler_paragraphs(
        rng, slots, shape, target - sum(map(len, leads)) - added - shape.para_chars // 2
    )
    _weave(rng, rest, leads, echoes, second_echoes, mentions)
    rest = [cast_clause(rng, cast) + text for text in rest]
    seeded = tuple(seeded)
    return Story(title, leads + rest, [], tuple(sorted(truth)), (), seeded, seeded, tuple(sorted(passing)))


def _digest(rng: random.Random, slots: Slots, shape: Shape, target: int) -> Story:
    """A 简报-style digest: the lead item has a paragraph on its topic, every other item is one sentence on
    a topic of its own (never a theme filling several items), then topic-free items. TOPIC-RULES.md labels
    the lead item's topic only."""
    lead = pick(rng, TOPIC_CODES)
    truth = {lead}
    others = rng.sample([t for t in TOPIC_CODES if t not in _near(truth)], k=DIGEST_ITEMS)
    bullet = pick(rng, words.DIGEST_BULLETS)
    items = ["".join(_topic_sentences(rng, lead, slots, rng.randint(3, 4)))]
    chars, used = len(items[0]), []
    while chars < target or not used:
        if len(used) < len(others):
            used.append(others[len(used)])
            text = _topic_sentences(rng, used[-1], slots, 1)[0]
        else:
            text = pick(rng, words.FILLER).format_map(slots)
        if rng.random() < 0.4:  # some items run to two sentences
            text += pick(rng, words.FILLER).format_map(slots)
        items.append(text)
        chars += len(text)
    paragraphs = [bullet.format(i=i) + text for i, text in enumerate(items, 1)]
    headlines = (lead, used[0])  # the NYT form: "简报：<lead item>；<next item>"
    title = DIGEST_TITLE.format(*(make_title(rng, t, slots) for t in headlines))
    return Story(
        title, paragraphs, [], tuple(sorted(truth)), (), (lead,), headlines, tuple(sorted(used)), digest=True
    )


def retitle(rng: random.Random, story: Story, traditional_style: bool) -> str:
    """A changed headline for a re-capture that says what the first one said: the same topics announced
    (the primary first), a digest still a digest."""
    slots = Slots(rng, leader_names(traditional_style))
    if story.cast:
        slots.update(person=story.cast.person, place=story.cast.place, org=story.cast.org)
    if story.digest:
        return DIGEST_TITLE.format(*(make_title(rng, t, slots) for t in story.headlines))
    return cast_title(story.cast, _headline(rng, story.headlines, slots, story.cast), len(story.headlines))


def filler(rng: random.Random, sentences: int) -> str:
    """Topic-free text, for photo galleries and captions."""
    slots = Slots(rng, leader_names(False))
    return "".join(pick(rng, words.FILLER).format_map(slots) for _ in range(sentences))


def caption(rng: random.Random) -> str:
    """A picture caption without topic or agency."""
    return pick(rng, words.CAPTIONS).format_map(Slots(rng, leader_names(False)))
