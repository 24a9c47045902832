"""What a correct parser must make of each generated file: the generator's ground truth.

Truth is returned in memory (`SynthSummary.files`) or written as JSON lines OUTSIDE the raw folder
(`etl synth --truth PATH`): everything inside the raw folder is scanned as a dump.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

# Reject reasons a parser must give to each kind of malformed file (codes of `etl parse`, issue 2).
EXPECTED_REASONS = {
    "empty": "empty_file",
    "binary": "binary",
    "shift_jis": "not_utf8",
    "no_title_line": "no_title_line",
    "no_time": "no_publication_time",
    "before_1990": "implausible_date",
}


@dataclass(frozen=True)
class FileTruth:
    path: str  # relative to the output folder, POSIX separators
    status: str  # "ok" | "rejected"
    reason: str | None = None
    malformed: str | None = None  # kind of malformed file (EXPECTED_REASONS keys, or "truncated_html")
    article_key: str | None = None  # equal for every capture of one article; None for rejects
    capture: int = 0  # 0 = first capture of the article
    recapture_kinds: tuple[str, ...] = ()  # what changed against the first capture
    variant: str | None = None  # "exact" | "jekyll"
    layout: str | None = None
    outlet: str | None = None
    url: str | None = None  # as written in the file
    canonical_url: str | None = None  # the generator's canonical spelling (https, no noise)
    title: str | None = None  # suffixes removed, entities decoded
    feed_published_at: str | None = None
    outlet_published_at: str | None = None
    outlet_published_date: str | None = None
    published_at: str | None = None
    pub_date: str | None = None  # UTC date of this file's published_at
    article_pub_date: str | None = None  # the article's partition: date of its earliest published_at
    agencies_credited: tuple[str, ...] = ()
    agencies_cited: tuple[str, ...] = ()
    compiled: bool = False
    check_attribution: bool = True  # False where the text is cut (credit lost, topics not promised)
    # Topics (TOPIC-RULES.md): the article's topics of substance (each announced in the title with a paragraph
    # of its own), its primary topic, whether it is a digest, and topics it names only in passing (which must
    # not be counted). check_topics is False where nothing is promised (degenerate or cut bodies).
    topics: tuple[str, ...] = ()
    primary_topic: str | None = None
    digest: bool = False
    passing_topics: tuple[str, ...] = ()
    check_topics: bool = True
    script: str | None = None
    degenerate: str | None = None
    # Events and reprints (etl/synth/coverage.py): the planted event the article reports (a key shared by its
    # reports, written independently by 2-6 outlets within hours), and the article key of the story it
    # reprints (another outlet's copy, hours later). Unrelated stories have neither.
    event: str | None = None
    reprint_of: str | None = None
    crlf: bool = False
    bom: bool = False
    mtime: int = 0
    size: int = 0

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
