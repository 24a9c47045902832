"""Canonical article URLs and the stable article id derived from them.

Every spelling of one article's URL must give one id: http/https, `//` in the path, percent-encoding case and
`%20`/`%C2%A0` noise in slugs, a trailing slash, view parameters such as `?full=y`, fragments.
"""

from __future__ import annotations

import hashlib
import html
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from etl.dumps.outlets import view_param_matcher

_SLASHES = re.compile(r"/{2,}")
_HOST = re.compile(r"^[^\s/@:]+\.[^\s/@:.]+$")
# Whitespace noise inside slugs (`%20`, `%C2%A0`, ideographic and zero-width spaces).
_SPACE_NOISE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_PATH_SAFE = "/-._~!$&'()*+,;=:@"
_DEFAULT_PORTS = {":80", ":443"}


# A segment of only these characters comes out of _clean_segment unchanged (no %, no space, all safe).
_PLAIN_SEGMENT = re.compile(r"[A-Za-z0-9_.~!$&'()*+,;=:@-]*")


def _clean_segment(segment: str) -> str:
    if _PLAIN_SEGMENT.fullmatch(segment):
        return segment
    text = unquote(segment, errors="surrogateescape")
    text = _SPACE_NOISE.sub("", text)  # slugs gain and lose spaces between captures: never identifying
    return quote(text, safe=_PATH_SAFE, errors="surrogateescape")


# A URL that none of canonical_url's repairs change but for the scheme, the host's case and a trailing slash:
# http(s), a dotted host of letters, digits and hyphens, a path of plain segments (no `//`, no `%`, no
# entity), no port, query or fragment. Most feed URLs are like this; they skip urlsplit and friends.
_PLAIN_URL = re.compile(
    r"https?://(?P<host>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?P<path>(?:/[A-Za-z0-9_.~!$'()*+,;=:@-]+)*/?)"
)


def canonical_url(raw: str) -> str:
    """A normalised https URL: lower-case host, clean path, only identifying query parameters, no fragment."""
    plain = _PLAIN_URL.fullmatch(raw.strip())
    if plain:
        return f"https://{plain['host'].lower()}{plain['path'].rstrip('/') or '/'}"
    return _canonical_url(raw)


def _canonical_url(raw: str) -> str:
    url = html.unescape(raw.strip()).strip("<>")
    if url.startswith("//"):
        url = "https:" + url
    elif "://" not in url:
        url = "https://" + url.lstrip("/")
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    netloc = parts.netloc.rsplit("@", 1)[-1].lower()
    port = netloc[len(netloc.split(":")[0]) :] if ":" in netloc and not netloc.endswith("]") else ""
    if port in _DEFAULT_PORTS:
        port = ""
    path = _SLASHES.sub("/", parts.path or "/")
    path = "/".join(_clean_segment(seg) for seg in path.split("/"))
    path = _SLASHES.sub("/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    is_view = view_param_matcher()
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_view(k.lower())]
    return urlunsplit(("https", host + port, path or "/", urlencode(sorted(query), doseq=True), ""))


def article_id(canonical: str) -> str:
    """First 16 hex digits of the SHA-1 of the canonical URL (host without `www.`): short, stable,
    collision-safe at this scale."""
    key = canonical.replace("://www.", "://", 1)
    return hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def host_of(raw: str) -> str:
    plain = _PLAIN_URL.fullmatch(raw.strip())
    if plain:
        return plain["host"].lower()
    url = raw.strip()
    if url.startswith("//"):
        url = "https:" + url
    elif "://" not in url:
        url = "https://" + url.lstrip("/")
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""
    return host if _HOST.match(host) else ""
