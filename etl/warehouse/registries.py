"""The registries (etl/registries/*.yaml) as Arrow tables: the dimension tables of the warehouse.

Each registry is a mapping `<kind>: {code: {field: value, ...}}`. Every field a user adds to the YAML becomes
a column without code changes: scalars as text, lists of strings as VARCHAR[], anything else as JSON text.
`label` is an ASCII display name for charts (the machine here has no CJK font): the entry's `label`/`name_en`
field when present, else the ASCII words of `name`, else the code.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import yaml

REGISTRIES_DIR = Path(__file__).resolve().parent.parent / "registries"

# table name -> (yaml file stem, key column)
DIMENSIONS = {"outlets": "outlet", "agencies": "agency", "topics": "topic"}

_ASCII_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9&.'\- ]*[A-Za-z0-9.]|[A-Za-z]")


def ascii_label(code: str, entry: dict) -> str:
    for key in ("label", "name_en", "english", "en"):
        if isinstance(entry.get(key), str) and entry[key].strip():
            return entry[key].strip()
    words = _ASCII_WORDS.findall(str(entry.get("name") or ""))
    return " ".join(w.strip() for w in words).strip() or code


# libyaml's safe loader when PyYAML was built with it (the wheels are): the same documents, parsed in C. A
# build reads the registries seven times; the pure-Python loader took 0.19 CPU-s of keyword trends' 1.77 s at
# 20,000 articles (topics.yaml alone 60 ms a read, 8 ms with libyaml).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path):
    """A YAML file's content, as yaml.safe_load would give it."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)


def load_entries(path: Path, kind: str) -> dict[str, dict]:
    """{code: fields} from one registry file; {} when the file does not exist yet."""
    if not path.exists():
        return {}
    data = read_yaml(path) or {}
    entries = data.get(kind, data) if isinstance(data, dict) else data
    if isinstance(entries, list):  # also accept a list of {code: ..., ...}
        entries = {str(e.get("code") or e.get("id")): e for e in entries if isinstance(e, dict)}
    if not isinstance(entries, dict):
        raise ValueError(f"{path}: expected a mapping `{kind}: {{code: {{...}}}}`")
    return {
        str(code): (fields if isinstance(fields, dict) else {"name": fields})
        for code, fields in entries.items()
    }


def _column(values: list) -> tuple[pa.DataType, list]:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in present):
        return pa.list_(pa.string()), values
    out = []
    for v in values:
        if v is None or isinstance(v, str):
            out.append(v)
        elif isinstance(v, bool | int | float):
            out.append(str(v).lower() if isinstance(v, bool) else str(v))
        else:
            out.append(json.dumps(v, ensure_ascii=False))
    return pa.string(), out


def dimension_table(table: str, registries_dir: Path = REGISTRIES_DIR) -> pa.Table:
    key = DIMENSIONS[table]
    entries = load_entries(registries_dir / f"{table}.yaml", table)
    codes = sorted(entries)
    fields = [f for e in entries.values() for f in e if f not in (key, "code", "id", "name", "label")]
    extra = list(dict.fromkeys(fields))  # first-seen order
    columns: dict[str, pa.Array] = {
        key: pa.array(codes, pa.string()),
        "name": pa.array([str(entries[c].get("name") or c) for c in codes], pa.string()),
        "label": pa.array([ascii_label(c, entries[c]) for c in codes], pa.string()),
    }
    for field in extra:
        dtype, values = _column([entries[c].get(field) for c in codes])
        columns[field] = pa.array(values, dtype)
    return pa.table(columns)


def taxonomy_terms(registries_dir: Path = REGISTRIES_DIR) -> set[str]:
    """Every string in the topic, agency and outlet registries (names, keywords, aliases): the terms that
    keyword_trends leaves out, since they are already counted elsewhere."""
    terms: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            terms.add(value.strip())
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)

    for table in DIMENSIONS:  # the whole file: topic keywords, but also aliases and blockers beside them
        path = registries_dir / f"{table}.yaml"
        if path.exists():
            walk(read_yaml(path))
            terms.update(load_entries(path, table))
    return {t for t in terms if t}
