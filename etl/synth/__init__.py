"""Deterministic synthetic dump files for demos, tests and benchmarks (`etl synth`).

`generate(out_dir, articles, days, start, seed)` writes the files and returns a `SynthSummary` whose `truth`
holds one `FileTruth` per file: what a correct parser must make of it. Text comes from the templates and
word lists in `words.py`, never from real archives.

Shape (`shape.py`): each outlet's article length is log-normal, with its median and spread, paragraph length,
in-body pictures and links per 1,000 characters fitted to the real corpus (statistics only), and layouts
add the outlet's page furniture; files then match the real dumps' size distribution (median ~4.3 KB, p90
~11.5 KB, long tail) and markup weight. `python -m etl.synth.measure <corpus> <sample> --by outlet` compares.

Layouts (`layouts.py`, the `layout` field of the truth): dw (header byline + ms UTC time, captions, closing
credits, copyright, AUTO_TOPIC spans, galleries; traditional and mixed-script variants; video teasers), voa
(RFC 822 GMT header, credit sentences), rfi_afp / rfi_own / rfi_truncated (Paris-time date div, AFP
datelines and ©, programme suffixes, read-more cut), reuters (ISO time with/without Z, dateline, （完）;
date-only), nyt_2020 / nyt_2022 (Beijing-time header, or <address> + <time pudate>, translator footer),
bbc (date-only <time>, 图像来源 photo credits; title-only), cna (traditional, 中央社 datelines, editor +
ROC date code), rfa (photo captions with agency names, 记者/责编), ft and zaobao (no time markup), cdt
(`日期：` line instead of the feed comment). Files: exact (articles/<outlet>/<id>.md, _posts/<outlet>/
<id>_<title>.md, some .txt) and Jekyll (_posts/YYYY-MM-DD-<title>.md), some CRLF or BOM; re-captures with
changed titles, feed times, URL spellings and dates; ~1% malformed files.
"""

from etl.synth.generate import (
    DEFAULT_ARTICLES,
    DEFAULT_DAYS,
    DEFAULT_SEED,
    DEFAULT_START,
    SynthError,
    SynthSummary,
    generate,
    marker_path,
)
from etl.synth.truth import EXPECTED_REASONS, FileTruth

__all__ = [
    "DEFAULT_ARTICLES",
    "DEFAULT_DAYS",
    "DEFAULT_SEED",
    "DEFAULT_START",
    "EXPECTED_REASONS",
    "FileTruth",
    "SynthError",
    "SynthSummary",
    "generate",
    "marker_path",
]
