"""Text normalisation before keyword matching: traditional -> simplified, then name aliases folded.

- `to_simplified`: OpenCC `t2s` (the C++ `opencc` package, ~60 M chars/s here). It converts characters,
  not vocabulary: 報導 becomes 报导 (not 报道), 晶片 stays 晶片, 川普 stays 川普.
- `fold_aliases`: rewrites the name and vocabulary variants listed under `aliases:` in
  etl/registries/topics.yaml to one canonical spelling (川普 -> 特朗普, 普丁 -> 普京, 晶片 -> 芯片), so
  topic keywords are written once, in simplified, in their canonical form.
- `normalize` = both, in that order (aliases are written in simplified).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import ahocorasick_rs
import opencc
import yaml

TOPICS_YAML = Path(__file__).resolve().parent.parent / "registries" / "topics.yaml"


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if text else text


@lru_cache(maxsize=4)
def load_aliases(path: Path = TOPICS_YAML) -> dict[str, str]:
    """{variant: canonical} from the `aliases:` mapping of topics.yaml (canonical: [variants])."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    aliases: dict[str, str] = {}
    for canonical, variants in (data.get("aliases") or {}).items():
        for variant in variants or []:
            variant = to_simplified(str(variant))
            if variant != canonical:
                aliases[variant] = str(canonical)
    return aliases


@lru_cache(maxsize=4)
def _alias_matcher(path: Path = TOPICS_YAML) -> tuple[ahocorasick_rs.AhoCorasick | None, list[str]]:
    aliases = load_aliases(path)
    if not aliases:
        return None, []
    # Canonical spellings map to themselves so that a variant inside one (世卫 in 世卫组织) stays put.
    mapping = {**{c: c for c in aliases.values()}, **aliases}
    patterns = list(mapping)
    matcher = ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    return matcher, [mapping[p] for p in patterns]


def fold_aliases(text: str, path: Path = TOPICS_YAML) -> str:
    matcher, canonical = _alias_matcher(path)
    if matcher is None or not text:
        return text
    matches = matcher.find_matches_as_indexes(text)
    if not matches:
        return text
    parts = []
    pos = 0
    for index, start, end in matches:
        parts.append(text[pos:start])
        parts.append(canonical[index])
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def normalize(text: str) -> str:
    return fold_aliases(to_simplified(text))
