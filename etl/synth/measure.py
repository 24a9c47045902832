"""Size and structure statistics of dump files, to compare a synthetic sample with real archives.

Statistics only (bytes, counts, shares): nothing of a file's text leaves this module. Used by the shape
test (tests/synth/test_shape.py) and by hand:

    .venv/bin/python -m etl.synth.measure ../shared/corpus /work/scratch/H/raw [--by outlet|variant]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# URL hosts of the outlets `etl synth` writes; other hosts are counted as "other".
HOST_OUTLETS = {
    "www.dw.com": "dw",
    "www.voachinese.com": "voa",
    "www.rfi.fr": "rfi",
    "cn.reuters.com": "reuters",
    "cn.nytimes.com": "nyt",
    "www.bbc.com": "bbc",
    "www.cna.com.tw": "cna",
    "www.rfa.org": "rfa",
    "cn.ft.com": "ft",
    "www.zaobao.com": "zaobao",
    "chinadigitaltimes.net": "cdt",
}
QUANTILES = (0.10, 0.25, 0.50, 0.75, 0.90, 0.99)

_LINK = re.compile(rb"^\[.*\]\((\S*)\)\r?$", re.M)
_RULE = re.compile(rb"^------\r?\n", re.M)
_TAG = re.compile(rb"<[^>]*>")
_PARAGRAPH = re.compile(rb"<p[ >]")
_IMAGE = re.compile(rb"<img[ />]")
_CAPTION = re.compile(rb"<figcaption|<small|class=\"(?:image-caption|picinfo)")
_EMBED = re.compile(rb"<(?:video|iframe|audio|embed|object)[ >]")
_SPACE = re.compile(rb"\s+")


@dataclass(frozen=True)
class FileStats:
    outlet: str
    variant: str  # "jekyll" | "exact"
    bytes: int  # the whole file
    body_bytes: int  # after the `------` rule
    text_bytes: int  # body with tags and whitespace removed (UTF-8 bytes)
    text_chars: int
    paragraphs: int  # <p> elements
    tags: int
    images: int
    captions: int
    embeds: int  # video, iframe, audio

    @property
    def markup_share(self) -> float:
        """Share of the body's bytes that is markup (tags and whitespace), not text."""
        return 1 - self.text_bytes / self.body_bytes if self.body_bytes else 0.0


def file_stats(data: bytes) -> FileStats:
    link = _LINK.search(data, 0, 4096 if not data.startswith(b"---") else len(data))
    host = urlsplit(link.group(1).decode("utf-8", "replace")).hostname if link else None
    rule = _RULE.search(data)
    body = data[rule.end() :] if rule else b""
    text = _SPACE.sub(b"", _TAG.sub(b"", body))
    return FileStats(
        outlet=HOST_OUTLETS.get(host or "", "other"),
        variant="jekyll" if data.lstrip(b"\xef\xbb\xbf").startswith(b"---") else "exact",
        bytes=len(data),
        body_bytes=len(body),
        text_bytes=len(text),
        text_chars=len(text.decode("utf-8", "replace")),
        paragraphs=len(_PARAGRAPH.findall(body)),
        tags=len(_TAG.findall(body)),
        images=len(_IMAGE.findall(body)),
        captions=len(_CAPTION.findall(body)),
        embeds=len(_EMBED.findall(body)),
    )


def dump_paths(root: Path) -> Iterator[Path]:
    """The dump files under root (.md and .txt), in a stable order."""
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            if name.endswith((".md", ".txt")) and name != "FORMAT.md":
                yield Path(folder) / name


def measure(paths: Iterable[Path]) -> list[FileStats]:
    return [file_stats(p.read_bytes()) for p in paths]


def quantile(values: list[float], q: float) -> float:
    """Linear interpolation between order statistics (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = q * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summary(stats: list[FileStats]) -> dict[str, float]:
    """One row of the comparison table: size quantiles and mean structure of a group of files."""
    n = len(stats) or 1
    sizes = [s.bytes for s in stats]
    row: dict[str, float] = {"files": len(stats), "mean_kb": sum(sizes) / n / 1000}
    row.update({f"p{round(q * 100)}_kb": quantile(sizes, q) / 1000 for q in QUANTILES})
    text = sum(s.text_bytes for s in stats)
    body = sum(s.body_bytes for s in stats)
    row["markup"] = 1 - text / body if body else 0.0
    for name in ("text_chars", "paragraphs", "tags", "images", "captions", "embeds"):
        row[name] = sum(getattr(s, name) for s in stats) / n
    row["chars_p50"] = quantile([s.text_chars for s in stats], 0.5)
    row["chars_p90"] = quantile([s.text_chars for s in stats], 0.9)
    return row


def grouped(stats: list[FileStats], by: str | None) -> dict[str, list[FileStats]]:
    groups: dict[str, list[FileStats]] = defaultdict(list)
    for s in stats:
        groups["all" if by is None else getattr(s, by)].append(s)
    return dict(sorted(groups.items(), key=lambda kv: -len(kv[1])))


def format_table(columns: dict[str, list[FileStats]], by: str | None) -> str:
    """Rows: group x source (one source per column key), fixed-width."""
    header = (
        f"{'group':<8} {'source':<10} {'files':>6} {'mean':>5} {'p10':>5} {'p25':>5} {'p50':>5} {'p75':>5} "
        f"{'p90':>5} {'p99':>5} {'markup':>6} {'chars':>6} {'ch50':>5} {'ch90':>6} {'paras':>5} {'tags':>5} "
        f"{'img':>4} {'cap':>4} {'emb':>4}"
    )
    lines = [header]
    groups = {name: grouped(stats, by) for name, stats in columns.items()}
    order = list(next(iter(groups.values()), {}))
    for other in groups.values():
        order += [g for g in other if g not in order]
    for group in order:
        for source, by_group in groups.items():
            if group not in by_group:
                continue
            r = summary(by_group[group])
            lines.append(
                f"{group:<8} {source:<10} {r['files']:>6.0f} {r['mean_kb']:>5.1f} {r['p10_kb']:>5.1f} "
                f"{r['p25_kb']:>5.1f} {r['p50_kb']:>5.1f} {r['p75_kb']:>5.1f} {r['p90_kb']:>5.1f} "
                f"{r['p99_kb']:>5.1f} {r['markup']:>6.2f} {r['text_chars']:>6.0f} {r['chars_p50']:>5.0f} "
                f"{r['chars_p90']:>6.0f} {r['paragraphs']:>5.1f} {r['tags']:>5.1f} {r['images']:>4.1f} "
                f"{r['captions']:>4.1f} {r['embeds']:>4.1f}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl.synth.measure", description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+", help="dump folders to compare (e.g. the corpus, a sample)")
    parser.add_argument("--by", choices=("outlet", "variant"), help="one row per outlet or variant")
    args = parser.parse_args(argv)
    columns = {}
    for folder in args.folders:
        root = Path(folder)
        if not root.is_dir():
            print(f"measure: not a folder: {root}", file=sys.stderr)
            return 2
        columns[root.name[:10]] = measure(dump_paths(root))
    print(format_table(columns, args.by))
    return 0


if __name__ == "__main__":
    sys.exit(main())
