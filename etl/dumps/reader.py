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

import re
from dataclasses import dataclass, field

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
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


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise Rejected(
            "too_large",
            f"file is {size / 1e6:.1f} MB, above the {max_bytes / 1e6:.0f} MB limit for one article; "
            "check that it is a single dump file (raise the limit with max_bytes if it really is)",
        )


def decode(data: bytes) -> str:
    """Bytes -> text with LF line ends, or Rejected(empty_file | binary | not_utf8)."""
    if not data.strip():
        raise Rejected(
            "empty_file", "file is empty (or whitespace only); re-fetch the article or delete the file"
        )
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise Rejected("not_utf8", "file is UTF-16 encoded; re-save it as UTF-8")
    head = data[:8192]
    # bytes.translate counts them in C (a regex findall over 8 KB cost more than the rest of decoding)
    if b"\x00" in head or len(head) - len(head.translate(None, _BINARY_BYTES)) > 8:
        raise Rejected("binary", "file holds binary data (NUL or control bytes), not a text dump; remove it")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A few stray bad bytes (a capture cut inside a character, a damaged byte) leave a readable article;
        # many mean another encoding.
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd") - data.count("\ufffd".encode())
        if bad > max(MAX_BAD_UTF8, len(data) // 1000):
            raise Rejected(
                "not_utf8",
                f"file is not valid UTF-8 (first bad byte 0x{data[exc.start]:02x} at offset {exc.start}, "
                f"{bad} bad sequences); convert it to UTF-8",
            ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


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
