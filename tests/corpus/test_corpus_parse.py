"""Every file of the real corpus (../shared/corpus, read at test time) through the full parser, once."""

from __future__ import annotations

import csv
import fcntl
import os
import pickle
import re
from collections import defaultdict
from multiprocessing import Pool
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from etl.dumps.parse import parse_file
from etl.dumps.reader import decode, read_parts

pytestmark = pytest.mark.corpus

# Independent of the registry on purpose: the outlet each known host must get.
HOST_OUTLET = {
    "www.dw.com": "dw",
    "www.voachinese.com": "voa",
    "www.rfi.fr": "rfi",
    "cn.reuters.com": "reuters",
    "www.bbc.com": "bbc",
    "www.bbc.co.uk": "bbc",
    "cn.nytimes.com": "nyt",
    "cn.ft.com": "ft",
    "www.cna.com.tw": "cna",
    "www.rfa.org": "rfa",
    "www.rti.org.tw": "rti",
    "www.zaobao.com": "zaobao",
    "www.epochtimes.com": "epochtimes",
    "chinadigitaltimes.net": "cdt",
    "www.economist.com": "economist",
}


def _manifest(corpus: Path) -> list[dict[str, str]]:
    with open(corpus / "MANIFEST.tsv", encoding="utf-8", newline="") as handle:
        return [
            {k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle, delimiter="\t")
        ]


def _parse(path: str) -> dict:
    rec = parse_file(path).to_dict()
    rec.pop("body_text")  # keep the results small across processes
    try:
        rec["raw_url"] = read_parts(decode(Path(path).read_bytes())).url
    except Exception:  # the record already says why the file was rejected
        rec["raw_url"] = None
    return rec


def _parse_corpus(corpus_dir: Path) -> tuple[list[dict[str, str]], dict[str, dict]]:
    rows = _manifest(corpus_dir)
    paths = sorted({str(corpus_dir / r["local_path"]) for r in rows})
    with Pool(2) as pool:
        records = pool.map(_parse, paths, chunksize=64)
    return rows, dict(zip(paths, records, strict=True))


@pytest.fixture(scope="session")
def corpus_records(corpus_dir: Path, tmp_path_factory) -> tuple[list[dict[str, str]], dict[str, dict]]:
    """The whole corpus parsed once per test session, shared by pytest-xdist workers through a locked file."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by all workers of this session
    cache = root / "corpus_records.pickle"
    with open(root / "corpus_records.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if cache.exists():
            return pickle.loads(cache.read_bytes())
        result = _parse_corpus(corpus_dir)
        cache.write_bytes(pickle.dumps(result))
        return result


def test_every_file_yields_a_record(corpus_records, corpus_dir):
    rows, records = corpus_records
    assert len(rows) >= 12_000
    for row in rows:
        rec = records[str(corpus_dir / row["local_path"])]
        assert rec["status"] in ("ok", "rejected")
        if rec["status"] == "rejected":
            assert rec["reason"] and rec["detail"]
        else:
            assert rec["published_at"] and rec["pub_date"] == rec["published_at"][:10]
            assert rec["article_id"] and rec["url"] and rec["title"] and rec["content_hash"]
            assert rec["script"] in ("hans", "hant", "mixed", "en")


def test_ok_rate_of_non_degenerate_files(corpus_records):
    _, records = corpus_records
    candidates = [r for r in records.values() if not r["degenerate"]]
    ok = sum(r["status"] == "ok" for r in candidates)
    rejected = sorted({(r["reason"], r["path"]) for r in candidates if r["status"] != "ok"})
    assert ok / len(candidates) >= 0.995, rejected[:20]


def test_outlet_never_wrong_for_its_host(corpus_records, corpus_dir):
    rows, records = corpus_records
    for row in rows:
        rec = records[str(corpus_dir / row["local_path"])]
        if rec["status"] == "ok" and row["host"]:
            assert rec["outlet"] == HOST_OUTLET.get(row["host"], "other"), row["local_path"]


def _loose_key(host: str, url: str) -> str:
    """An independent, deliberately loose identity: host, decoded path without spaces/slashes/case."""
    parts = urlsplit(url.strip())
    path = re.sub(r"[\s\u00a0/]+", "", unquote(parts.path)).lower()
    query = "&".join(sorted(q for q in parts.query.split("&") if q and not q.startswith("full")))
    return f"{host.removeprefix('www.')}{path}?{query}"


def test_captures_of_one_url_share_one_article_id(corpus_records, corpus_dir):
    rows, records = corpus_records
    ids_by_url: dict[str, set[str]] = defaultdict(set)
    urls_by_id: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        rec = records[str(corpus_dir / row["local_path"])]
        if rec["status"] != "ok":
            continue
        key = _loose_key(row["host"] or "", rec["raw_url"])
        ids_by_url[key].add(rec["article_id"])
        urls_by_id[rec["article_id"]].add(key)
    split = {k: v for k, v in ids_by_url.items() if len(v) > 1}
    merged = {k: v for k, v in urls_by_id.items() if len(v) > 1}
    assert not split, list(split.items())[:5]
    assert not merged, list(merged.items())[:5]
    assert len(ids_by_url) < len(rows)  # the corpus does hold re-captures


def test_header_only_parse_agrees_with_full_parse(corpus_records):
    _, records = corpus_records
    sample = sorted(records)[::97]
    fields = ("status", "article_id", "url", "outlet", "title", "published_at", "pub_date", "content_hash")
    for path in sample:
        cheap = parse_file(path, full=False).to_dict()
        assert {f: cheap[f] for f in fields} == {f: records[path][f] for f in fields}, path
        assert cheap["body_text"] is None and cheap["byline"] is None
