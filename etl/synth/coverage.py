"""Which articles of a sample report one happening, and which reprint another: the plan behind the events and
reprints truth (issue 12). `etl synth` (plan.iter_captures) renders the plan into files; bench/events.py
turns the same plan into article rows without files (`article_rows`), so both measure against one truth.

- Events: EVENT_SHARE of the plan's stories are happenings reported by 2-6 outlets (never one outlet twice)
  within EVENT_SPREAD_HOURS of the first report, each writing its own story around the happening's cast
  (etl.synth.story.Cast: the made-up names and figure, and the main topic).
- Reprints: REPRINT_SHARE of the stories are reposted by another outlet REPRINT_LAG_HOURS later (China
  Digital Times, Zaobao, VOA or DW), the same text, half the time in traditional script (DW's traditional
  edition); a reprint of Reuters copy by DW or VOA credits Reuters half the time.
Every other story has a cast of its own, so unrelated stories are neither one event nor copies.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import opencc

from etl.synth.shape import SHAPES
from etl.synth.story import TOPIC_CODES, Cast, make_cast, make_story, pick

EVENT_SHARE = 0.06  # of stories: with 2-6 reports each, ~20% of the articles are in events
EVENT_OUTLETS = ("dw", "voa", "rfi", "reuters", "bbc", "nyt", "cna", "rfa", "zaobao", "cdt", "ft")
EVENT_SPREAD_HOURS = (0.25, 20.0)
REPRINT_SHARE = 0.02
REPRINT_LAG_HOURS = (0.5, 30.0)
REPRINTERS = ("cdt", "zaobao", "voa", "dw")
AGENCY_OUTLETS = {"reuters": "Reuters"}  # an agency's own outlet: its copy is the agency's
HOUR_MS = 3_600_000


@dataclass
class Slot:
    """One article of the plan."""

    offset_ms: int  # after the sample's start
    outlet: str
    cast: Cast | None = None  # an event's reports share it; None: the story makes its own
    event: str | None = None  # event key, the same for every report of one happening
    source: Slot | None = None  # a reprint: the slot whose story it copies
    traditional: bool | None = None  # a reprint in traditional script
    credit: tuple[str, ...] | None = None  # a reprint crediting its source's agency
    reprinted: bool = False  # a reprint source: its story is kept until the reprint is made
    serial: int = -1  # position in publication order, set by `plan`


def plan(
    rng: random.Random, articles: int, span_ms: int, pick_outlet: Callable[[random.Random], str]
) -> list[Slot]:
    """`articles` slots in publication order (serials set). Event reports and reprints after the sample's
    end are dropped (an event may then have fewer reports, one report being no event)."""
    slots: list[Slot] = []
    events = 0
    while len(slots) < articles:
        roll = rng.random()
        offset = rng.randrange(span_ms)
        if roll < EVENT_SHARE:
            slots += _event_slots(rng, offset, span_ms, f"e{events}")
            events += 1
        elif roll < EVENT_SHARE + REPRINT_SHARE:
            slots += _reprint_slots(rng, offset, span_ms, pick_outlet)
        else:
            slots.append(Slot(offset, pick_outlet(rng)))
    slots = slots[:articles]
    _forget_lost_sources(slots)
    slots.sort(key=lambda s: s.offset_ms)  # stable: a reprint at its source's moment stays after it
    for serial, slot in enumerate(slots):
        slot.serial = serial
    return slots


def _event_slots(rng: random.Random, offset: int, span_ms: int, key: str) -> list[Slot]:
    """The reports of one happening by 2-6 outlets, the first at `offset`, those before `span_ms`."""
    cast = make_cast(rng, topic=pick(rng, TOPIC_CODES))
    slots = []
    for k, outlet in enumerate(rng.sample(EVENT_OUTLETS, rng.randint(2, 6))):
        lag = 0 if k == 0 else int(rng.uniform(*EVENT_SPREAD_HOURS) * HOUR_MS)
        if offset + lag < span_ms:
            slots.append(Slot(offset + lag, outlet, cast=cast, event=key))
    return slots


def _reprint_slots(
    rng: random.Random, offset: int, span_ms: int, pick_outlet: Callable[[random.Random], str]
) -> list[Slot]:
    """A story at `offset` and its reprint by another outlet later (unless that falls after `span_ms`)."""
    source = Slot(offset, pick_outlet(rng), reprinted=True)
    reprinter = pick(rng, [o for o in REPRINTERS if o != source.outlet])
    lag = int(rng.uniform(*REPRINT_LAG_HOURS) * HOUR_MS)
    traditional = reprinter == "dw" and rng.random() < 0.5
    agency = AGENCY_OUTLETS.get(source.outlet)
    credit = (agency,) if agency and reprinter in ("dw", "voa") and rng.random() < 0.5 else None
    if offset + lag >= span_ms:
        return [source]
    return [source, Slot(offset + lag, reprinter, source=source, traditional=traditional, credit=credit)]


def _forget_lost_sources(slots: list[Slot]) -> None:
    """A reprint whose source fell past the cut is a story of its own."""
    kept = {id(s) for s in slots}
    for slot in slots:
        if slot.source is not None and id(slot.source) not in kept:
            slot.source, slot.traditional, slot.credit = None, None, None


# ---------------------------------------------------------------- rows for bench/events.py

OUTLETS = tuple(SHAPES)


def article_rows(articles: int, days: int, start: datetime, seed: int) -> Iterator[dict]:
    """The plan as article rows (no files, no markup): article_id, outlet, title, body_text, published_at,
    script, digest, primary_topic, and the truth: event (key or None), reprint_of (article_id or None).
    Stories are etl.synth's (make_story, with the outlet's length shape); a reprint copies its source's
    title and text, converted to traditional script when the plan says so."""
    rng = random.Random(seed)
    to_traditional = opencc.OpenCC("s2t").convert
    slots = plan(rng, articles, days * 86_400_000, lambda r: pick(r, OUTLETS))
    kept: dict[int, dict] = {}
    for slot in slots:
        published = start + timedelta(milliseconds=slot.offset_ms)
        if slot.source is not None:
            source = kept.pop(slot.source.serial)
            title, body = source["title"], source["body_text"]
            if slot.traditional:
                title, body = to_traditional(title), to_traditional(body)
            row = {
                **source,
                "title": title,
                "body_text": body,
                "script": "hant" if slot.traditional else "hans",
            }
            row |= {"outlet": slot.outlet, "event": None, "reprint_of": source["article_id"]}
        else:
            story = make_story(
                rng,
                traditional_style=False,
                shape=SHAPES[slot.outlet],
                cast=slot.cast,
                digest_rate=0.05 if slot.outlet == "nyt" else 0.0,
            )
            row = {
                "outlet": slot.outlet,
                "title": story.title,
                "body_text": "\n".join(story.paragraphs),
                "script": "hans",
                "digest": story.digest,
                "primary_topic": story.primary,
                "event": slot.event,
                "reprint_of": None,
            }
        row |= {"article_id": f"s{slot.serial:09d}", "published_at": published}
        if slot.reprinted:
            kept[slot.serial] = row
        yield row
