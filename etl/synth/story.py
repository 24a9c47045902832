"""Outlet-independent story content: title, paragraphs, captions, seeded topics and in-text citations."""

from __future__ import annotations

import random
from dataclasses import dataclass

from etl.synth import words
from etl.synth.agencies import CITABLE, zh_name
from etl.synth.shape import Shape

SENTENCE_CHARS = 24  # mean length of a filled-in FILLER sentence


@dataclass
class Story:
    title: str
    paragraphs: list[str]  # plain text, no markup
    captions: list[str]
    topics: tuple[str, ...]  # topic codes the text was seeded with
    cited: tuple[str, ...]  # agency codes named in running text (cited, not credited)


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


def make_title(rng: random.Random, topic: str, slots: Slots) -> str:
    spec = words.TOPICS[topic]
    slots["kw"] = pick(rng, spec["kw"])
    return pick(rng, spec["titles"]).format_map(slots)


def _topic_sentence(rng: random.Random, topic: str, slots: Slots, need_kw: bool) -> str:
    spec = words.TOPICS[topic]
    pool = [s for s in spec["sentences"] if "{kw}" in s] if need_kw else spec["sentences"]
    slots["kw"] = pick(rng, spec["kw"])
    return pick(rng, pool).format_map(slots)


def _citation(rng: random.Random, agency: str, slots: Slots) -> str:
    template = rng.choice(words.CITATION_TEMPLATES)
    fixed = {
        "a": zh_name(agency),
        "clause": rng.choice(words.CITATION_CLAUSES).format_map(slots),
        "quote": rng.choice(words.CITATION_QUOTES),
    }
    return template.format_map(Slots(rng, {**slots, **fixed}))


def make_story(
    rng: random.Random,
    *,
    traditional_style: bool,
    shape: Shape,
    exclude_cited: tuple[str, ...] = (),
    reserve: int = 0,
) -> Story:
    """A story on one or two topics; each seeded topic gets at least three keyword mentions in the text.
    Its length is drawn from the outlet's shape, less `reserve` characters that the layout writes around
    it (galleries, credits); short draws still hold every topic sentence."""
    topics = rng.sample(sorted(words.TOPICS), k=1 if rng.random() < 0.7 else 2)
    slots = Slots(rng, leader_names(traditional_style))
    title = make_title(rng, topics[0], slots)
    # Each seeded topic is a subject of substance, as TOPIC-RULES.md labels one: its sentences make up a
    # paragraph of their own at the top of the story (the lead), not phrases scattered through filler.
    leads = []
    for topic in topics:
        sentences = [_topic_sentence(rng, topic, slots, need_kw=True) for _ in range(3)]
        sentences.extend(_topic_sentence(rng, topic, slots, need_kw=False) for _ in range(rng.randint(0, 2)))
        leads.append("".join(sentences))
    target = shape.article_chars(rng)
    # Sentences per paragraph: uniform over 1 .. 2m-1, whose mean m gives the outlet's paragraph length.
    spread = max(1.0, 2 * shape.para_chars / SENTENCE_CHARS - 1)
    filler, r = words.FILLER, rng.random
    n_filler = len(filler)
    paragraphs = [leads[0] + pick(rng, filler).format_map(slots), *leads[1:]]
    if len(leads) > 1:  # a second subject is announced in the title, as "A, B" stories do
        title = f"{title}；{make_title(rng, topics[1], slots)}"
    total = sum(map(len, paragraphs))
    rest: list[str] = []
    target -= reserve + shape.para_chars // 2  # the last paragraph overshoots the target by half a paragraph
    while total < target:
        n = 1 + int(r() * spread)
        parts = [filler[int(r() * n_filler)].format_map(slots) for _ in range(n - 1 if rest else n)]
        if rest:
            parts.insert(int(r() * n), rest.pop())
        text = "".join(parts)
        paragraphs.append(text)
        total += len(text)
    paragraphs.extend(rest)

    cited: list[str] = []
    if rng.random() < 0.3:
        pool = [a for a in CITABLE if a not in exclude_cited]
        for agency in rng.sample(pool, k=rng.choice((1, 1, 2))):
            # min(): a one-paragraph story carries its citation in its only paragraph
            position = min(rng.randint(1, max(1, len(paragraphs) - 1)), len(paragraphs) - 1)
            paragraphs[position] = paragraphs[position] + _citation(rng, agency, slots)
            cited.append(agency)
    captions = [pick(rng, words.CAPTIONS).format_map(slots) for _ in range(pick(rng, (0, 1, 1, 2)))]
    return Story(title, paragraphs, captions, tuple(sorted(topics)), tuple(sorted(set(cited))))


def filler(rng: random.Random, sentences: int) -> str:
    """Topic-free text, for photo galleries and captions."""
    slots = Slots(rng, leader_names(False))
    return "".join(pick(rng, words.FILLER).format_map(slots) for _ in range(sentences))


def caption(rng: random.Random) -> str:
    """A picture caption without topic or agency."""
    return pick(rng, words.CAPTIONS).format_map(Slots(rng, leader_names(False)))
