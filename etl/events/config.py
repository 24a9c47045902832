"""Parameters of reprint and event detection, read from etl/registries/events.yaml (which explains them)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

EVENTS_YAML = Path(__file__).resolve().parent.parent / "registries" / "events.yaml"


@dataclass(frozen=True)
class ReprintParams:
    max_chars: int = 500
    shingle_chars: int = 5
    min_shingles: int = 100  # shorter bodies (captions, teasers) are too short to call copies
    num_perm: int = 96
    bands: int = 32
    min_jaccard: float = 0.45
    # Containment (etl/registries/events.yaml): the smaller text largely inside the other, over the longer
    # verified window; None: the Jaccard rule alone.
    verify_chars: int = 800
    min_containment: float | None = 0.6
    containment_min_shingles: int = 200
    containment_min_order: float = 0.8
    lead_shingles: int = 150
    min_lead_overlap: float = 0.3
    serial_min_lag_hours: float = 12
    serial_min_numbers: int = 3
    serial_max_number_jaccard: float = 0.5


@dataclass(frozen=True)
class EventParams:
    window_hours: float = 72
    lead_chars: int = 300
    title_weight: int = 2
    min_similarity: float = 0.28
    half_life_hours: float | None = None
    outlet_apart_hours: float = 12
    max_document_share: float = 0.05  # words in more than this share of the articles carry no event
    # Regular expressions of stock notices cut out of the leads (a subscription note, a dateline, a credit):
    # they repeat across an outlet's articles and would join stories that share nothing else.
    lead_boilerplate: tuple[str, ...] = ()
    # Words that attribute (agency and outlet names, "quoted", "sources"): they name no happening.
    attribution_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    reprints: ReprintParams
    events: EventParams
    digest_titles: tuple[str, ...]


def _event_params(data: dict) -> EventParams:
    lists = {key: tuple(data[key]) for key in ("lead_boilerplate", "attribution_words") if data.get(key)}
    return EventParams(**(data | lists))


@lru_cache(maxsize=4)
def load(path: Path = EVENTS_YAML) -> Config:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return Config(
        reprints=ReprintParams(**(data.get("reprints") or {})),
        events=_event_params(data.get("events") or {}),
        digest_titles=tuple(data.get("digest_titles") or ()),
    )
