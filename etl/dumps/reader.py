"""Split one raw dump file into its parts, or say precisely why it cannot be read.

Layout (see ../shared/corpus/FORMAT.md):

    [--- front matter ---]          jekyll variant only
    <!--1641655025000-->            feed pubDate, epoch ms UTC (absent in some China Digital Times files)
    [title](url)                    the title may contain ] and [ and raw newlines
    ------
    [日期：Sat, 27 Jun 2020 13:30:55 +0000]   China Digital Times files without the comment
    <html body…>

No HTML parsing happens here: this is the cheap header-level read.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from dataclasses import dataclass, field

# Caps that keep one file within a time and memory bound (tests/fuzz): the largest real dump is 0.38 MB with
# 7,715 tags and 16 line breaks. Files over the size cap are rejected before they are read. Each tag is a bs4
# element (~1 KB, ~20 us) and each line break a text block, and millions of either thrash the garbage
# collector (1.5 M `<p>` took 256 s and 1.6 GB; 1.1 M lines 9.6 s), so a body with more than MAX_BLOCKS tags
# and line breaks is no article and is rejected before bs4.
DEFAULT_MAX_BYTES = 4_000_000  # 10x the largest real dump; 4 MB of plain text costs ~0.6 s
MAX_BLOCKS = 40_000
DUMP_SUFFIXES = (".md", ".markdown", ".txt")


def is_dump_name(name: str) -> bool:
    """A file the pipeline reads: a dump suffix, not hidden (editors and git leave dotfiles around)."""
    return not name.startswith(".") and name.lower().endswith(DUMP_SUFFIXES)


MAX_BAD_UTF8 = 8  # invalid UTF-8 sequences tolerated (replaced by U+FFFD) before a file counts as not UTF-8

_COMMENT = re.compile(r"\A[ \t\n]*<!--\s*(-?\d{1,16})\s*-->[ \t]*\n?")
_SEPARATOR = re.compile(r"^-{3,}[ \t]*$", re.M)
_TITLE_LINE = re.compile(r"^\[(?P<title>.*)\]\((?P<url>[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)\)[ \t]*$", re.M)
_DATE_LINE = re.compile(r"\A\s*日期[：:]\s*(?P<value>[^\n<]{4,60}?)\s*(?:\n|$)")
_FRONT_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):[ \t]?(?P<value>.*)$")
# Control characters that never occur in text files (tab, LF, CR, FF excluded).
_BINARY_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_FRONT_END = re.compile(r"^---[ \t]*$", re.M)


class Rejected(Exception):
    """The file cannot become an article record; `reason` is a short code, `detail` a user-facing sentence."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass
class RawParts:
    title: str  # raw, as written (entities not yet decoded)
    url: str  # raw, as written
    html: str
    variant: str  # "exact" | "jekyll"
    feed_ms: int | None = None
    date_line: str | None = None  # value of a `日期：` line
    front_matter: dict[str, str] = field(default_factory=dict)


def regular_file_size(path: str) -> int:
    """Size of a regular file, or Rejected(unreadable) for a folder, FIFO, socket or device (reading a FIFO
    blocks until some other program writes to it: a scan would hang)."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise Rejected(
            "unreadable",
            "not a regular file (a folder, FIFO, socket or device); remove it from the raw folder",
        )
    return info.st_size


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise Rejected(
            "too_large",
            f"file is {size / 1e6:.1f} MB, above the {max_bytes / 1e6:.0f} MB limit for one article; "
            "check that it is a single dump file (raise the limit with max_bytes if it really is)",
        )


def decode(data: bytes) -> str:
    """Bytes -> text with LF line ends, or Rejected(empty_file | binary | not_utf8)."""
    return decode_text(data)[0]


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Bytes -> (text with LF line ends, note), or Rejected(empty_file | binary | not_utf8).

    UTF-8 is the format; archives written by other programs also hold UTF-16 (with or without a byte-order
    mark) and GB18030/GBK or Big5 files, which are decoded rather than lost. `note` then names the encoding
    (a sentence for the record's detail); it is None for UTF-8.
    """
    if not data.strip():
        raise Rejected(
            "empty_file", "file is empty (or whitespace only); re-fetch the article or delete the file"
        )
    note = None
    utf16 = _utf16_codec(data)
    if utf16 is not None:
        codec, label = utf16
        text = _tolerant(data, codec)
        if text is None:
            raise Rejected(
                "not_utf8", f"file looks {label} encoded but does not decode as it; convert it to UTF-8"
            )
        _check_not_binary(text[:4096].encode("utf-8", "surrogatepass"))
        text = text.removeprefix("\ufeff")
        note = f"file is {label} encoded, not UTF-8: decoded as {label}"
    else:
        _check_not_binary(data[:8192])
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text, note = _not_utf8(data, exc)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, note


def _check_not_binary(head: bytes) -> None:
    # bytes.translate counts them in C (a regex findall over 8 KB cost more than the rest of decoding)
    if b"\x00" in head or len(head) - len(head.translate(None, _BINARY_BYTES)) > 8:
        raise Rejected("binary", "file holds binary data (NUL or control bytes), not a text dump; remove it")


def _utf16_codec(data: bytes) -> tuple[str, str] | None:
    """(codec, label) when the bytes are UTF-16: a byte-order mark, or NUL high bytes of ASCII characters
    (the header and the markup) on one side of each 2-byte unit only."""
    if data[:2] == b"\xff\xfe":
        return "utf-16-le", "UTF-16 LE (with BOM)"
    if data[:2] == b"\xfe\xff":
        return "utf-16-be", "UTF-16 BE (with BOM)"
    head = data[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    units = len(head) // 2
    # Han characters U+xx00 (一 is U+4E00) put NULs on the other side: a real dense text had 40 against 271.
    if odd >= max(4, units // 20) and even * 3 <= odd:
        return "utf-16-le", "UTF-16 LE (no BOM)"
    if even >= max(4, units // 20) and odd * 3 <= even:
        return "utf-16-be", "UTF-16 BE (no BOM)"
    return None


def _bad_allowed(size: int) -> int:
    return max(MAX_BAD_UTF8, size // 1000)


def _tolerant(data: bytes, codec: str) -> str | None:
    """`data` decoded, a few bad sequences (a cut-off last character, a damaged byte) replaced by U+FFFD;
    None when there are too many for the bytes to be in this encoding."""
    decoded = _decode_counting(data, codec)
    return decoded[0] if decoded[1] <= _bad_allowed(len(data)) else None


def _decode_counting(data: bytes, codec: str) -> tuple[str, int]:
    """(text with bad sequences replaced by U+FFFD, how many there were)."""
    try:
        return data.decode(codec), 0
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
    return text, text.count("\ufffd") - data.decode(codec, errors="ignore").count("\ufffd")


# Legacy Chinese encodings tried on bytes that are not UTF-8, with the label a user reads.
# cp950 (Windows' Big5, what Taiwanese files are written in) holds characters big5 lacks and reads 0xA145 as
# U+2027 (the dot in transliterated names), where Python's big5 has U+2022; it wins ties.
LEGACY_ENCODINGS = (("gb18030", "GB18030 (GBK)"), ("cp950", "Big5 (cp950)"), ("big5", "Big5"))
# Share of the Han characters that must be common ones (GB2312 level 1 or Big5 frequent) for a legacy
# decoding to count: real text scores above 0.9, the same bytes read in the wrong encoding far lower.
MIN_COMMON_HAN = 0.6
_HAN = re.compile(r"[\u3400-\u9fff]")


def _not_utf8(data: bytes, exc: UnicodeDecodeError) -> tuple[str, str | None]:
    """Text of bytes that are not clean UTF-8: damaged UTF-8, GB18030/GBK or Big5, or Rejected(not_utf8)."""
    text, bad = _decode_counting(data, "utf-8")
    best = None
    for codec, label in LEGACY_ENCODINGS:
        legacy, legacy_bad = _decode_counting(data, codec)
        if legacy_bad > _bad_allowed(len(data)):
            continue
        score = (_common_han_share(legacy, legacy_bad), -legacy_bad)  # a tie goes to the cleaner decoding
        if score[0] >= MIN_COMMON_HAN and (best is None or score > best[0]):
            best = (score, legacy, label)
    # A few bad sequences in otherwise Chinese UTF-8 is damage; a legacy decoding must read better than that.
    if best is not None and (bad > _bad_allowed(len(data)) or best[0][0] > _common_han_share(text, bad)):
        return best[1], f"file is {best[2]} encoded, not UTF-8: decoded as {best[2]}"
    if bad <= _bad_allowed(len(data)):
        return text, None
    raise Rejected(
        "not_utf8",
        f"file is not valid UTF-8 (first bad byte 0x{data[exc.start]:02x} at offset {exc.start}, "
        f"{bad} bad sequences) and does not read as GB18030/GBK or Big5 either; convert it to UTF-8",
    )


def _common_han_share(text: str, bad: int) -> float:
    """Share of common characters among the Han ones, a bad sequence counting as an uncommon character (a
    wrong codec that trips on a character can resync onto common-looking pairs)."""
    han = _HAN.findall(text)
    if not han:
        return 0.0
    common = _common_han()
    return sum(c in common for c in han) / (len(han) + bad)


@functools.cache
def _common_han() -> frozenset[str]:
    """The most used Han characters: GB2312 level 1 (3,755 simplified), Big5 level 1 (5,401 traditional)."""
    chars = set()
    for codec, leads, trails in (
        ("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)),
        ("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)]),
    ):
        for lead in leads:
            for trail in trails:
                chars.update(bytes((lead, trail)).decode(codec, errors="ignore"))
    return frozenset(chars)


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Jekyll front matter as a flat dict (continuation lines join the previous key), and the rest."""
    if not text.startswith("---"):
        return {}, text
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].strip() != "---":
        return {}, text
    end = _FRONT_END.search(text, first_nl + 1)
    if end is None:
        return {}, text
    fm: dict[str, str] = {}
    key = None
    for line in text[first_nl + 1 : end.start()].split("\n"):
        m = _FRONT_KEY.match(line)
        if m:
            key = m.group("key")
            fm[key] = m.group("value").strip()
        elif key is not None and line.strip():
            fm[key] = f"{fm[key]}\n{line.strip()}"
    for k, v in fm.items():
        if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
            fm[k] = v[1:-1].replace('\\"', '"')
    return fm, text[end.end() :].lstrip("\n")


def _split_title_block(block: str) -> tuple[str, str] | None:
    block = block.strip()
    if not block.startswith("[") or not block.endswith(")"):
        return None
    cut = block.rfind("](")
    if cut <= 0:
        return None
    url = block[cut + 2 : -1].strip()
    if not url or len(url.split()) != 1:
        return None
    return block[1:cut], url


def read_parts(text: str) -> RawParts:
    """Decoded text -> RawParts, or Rejected(no_title_line)."""
    fm, rest = _front_matter(text)
    variant = "jekyll" if fm else "exact"
    feed_ms = None
    m = _COMMENT.match(rest)
    if m:
        feed_ms = int(m.group(1))
        rest = rest[m.end() :]

    title = url = None
    html = ""
    sep = _SEPARATOR.search(rest)
    if sep is not None:
        parts = _split_title_block(rest[: sep.start()])
        if parts:
            title, url = parts
            html = rest[sep.end() :]
    if title is None:
        # No separator (or a malformed block before it): accept the first `[title](url)` line.
        m = _TITLE_LINE.search(rest, 0, 20000)
        if m:
            title, url = m.group("title"), m.group("url")
            html = rest[m.end() :]
            after = _SEPARATOR.match(html.lstrip("\n"))
            if after:
                html = html.lstrip("\n")[after.end() :]
    if title is None:
        if fm.get("title") and fm.get("from"):
            # Some archives keep only front matter (title, date, from) before the HTML.
            title, url, html = fm["title"], fm["from"], rest
        else:
            raise Rejected(
                "no_title_line",
                "no `[title](url)` line found after the feed comment; the file is not an article dump "
                "or its header is damaged",
            )

    tags = html.count("<")
    breaks = html.count("\n") + html.count("\u2028") + html.count("\u2029") + html.count("\x85")
    if tags + breaks > MAX_BLOCKS:
        raise Rejected(
            "too_complex",
            f"the body holds {tags:,} tags and {breaks:,} line breaks, above the {MAX_BLOCKS:,} limit for "
            "one article (real ones stay under 10,000); the file is not a single article or its markup is "
            "damaged",
        )
    date_line = None
    m = _DATE_LINE.match(html)
    if m:
        date_line = m.group("value")
        html = html[m.end() :]
    return RawParts(
        title=title,
        url=url,
        html=html.strip("\n"),
        variant=variant,
        feed_ms=feed_ms,
        date_line=date_line,
        front_matter=fm,
    )
