"""The outlet registry (etl/registries/outlets.yaml): host -> outlet code, titles, time zones."""

from __future__ import annotations

import fnmatch
import html
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

REGISTRY_PATH = Path(__file__).resolve().parent.parent / "registries" / "outlets.yaml"
OTHER = "other"
_UTC = ZoneInfo("UTC")
_NEWLINES = re.compile(r"\s*\n\s*")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Outlet:
    code: str
    name: str
    domains: tuple[str, ...]
    naive_tz: ZoneInfo = _UTC
    title_suffixes: tuple[re.Pattern, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Registry:
    outlets: dict[str, Outlet]
    view_params: tuple[str, ...]


@cache
def registry(path: Path = REGISTRY_PATH) -> Registry:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    outlets = {}
    for code, spec in data["outlets"].items():
        outlets[code] = Outlet(
            code=code,
            name=spec.get("name", code),
            domains=tuple(d.lower() for d in spec.get("domains", [])),
            naive_tz=ZoneInfo(spec.get("naive_tz", "UTC")),
            title_suffixes=tuple(re.compile(p) for p in spec.get("title_suffixes", [])),
        )
    outlets[OTHER] = Outlet(code=OTHER, name="other", domains=())
    return Registry(outlets=outlets, view_params=tuple(p.lower() for p in data.get("view_query_params", [])))


@cache
def outlet_for_host(host: str) -> Outlet:
    host = host.lower().rstrip(".")
    best: tuple[int, Outlet] | None = None
    for outlet in registry().outlets.values():
        for domain in outlet.domains:
            if (host == domain or host.endswith("." + domain)) and (best is None or len(domain) > best[0]):
                best = (len(domain), outlet)
    return best[1] if best else registry().outlets[OTHER]


@cache
def view_param_matcher():
    patterns = registry().view_params
    exact = {p for p in patterns if "*" not in p}
    globs = [p for p in patterns if "*" in p]
    return lambda name: name in exact or any(fnmatch.fnmatchcase(name, g) for g in globs)


def clean_title(raw: str, outlet: Outlet) -> str:
    """Entities decoded, newlines folded, outer whitespace trimmed, the outlet's site suffixes removed."""
    title = html.unescape(raw)
    title = _NEWLINES.sub(" ", title).strip()
    changed = True
    while changed and title:
        changed = False
        for suffix in outlet.title_suffixes:
            trimmed = suffix.sub("", title, count=1).rstrip()
            # A cut that takes every Chinese character with it removed the headline after a Latin topic
            # label ("Coronavirus – <headline>"), not a site or programme suffix.
            if trimmed and trimmed != title and (_HAN.search(trimmed) or not _HAN.search(title)):
                title, changed = trimmed, True
    return title
