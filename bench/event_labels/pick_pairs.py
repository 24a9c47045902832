"""Pick corpus pairs to label by hand the way pairs.jsonl's were picked: by similarity, so that near-misses
and hard negatives are there, whatever the detector predicts (bench/event_labels/holdout/pairs2.jsonl).

    .venv/bin/python bench/event_labels/pick_pairs.py OUT.jsonl [--seed 2613]

Three similarities, each a sparse product (never all pairs in Python):
- body: Jaccard of the 5-character shingles of the first 2,000 characters of the bodies (simplified, spacing
  dropped; shingles in more than 50 articles left out), any lag;
- title bigrams: Jaccard of the character bigrams of title + first 150 characters, within 72 hours;
- TF-IDF: cosine of segmented title + first 300 characters (rjieba; words in more than 300 articles left
  out), two outlets, within 72 hours.
Pairs already labelled (any file of bench/event_labels) are left out; each band gives a seeded random share.
The output carries paths, outlets, times, titles and the texts' openings, for the reader only (it stays out of
the repository).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import zlib
from pathlib import Path

import numpy as np
import opencc
import rjieba
from scipy import sparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import events as bench_events  # noqa: E402

WINDOW = 72 * 3600
BANDS = (  # (similarity, low, high, pairs to draw)
    ("body", 0.3, 2.0, 20),
    ("title_bigrams", 0.25, 2.0, 30),
    ("title_bigrams", 0.12, 0.25, 20),
    ("tfidf", 0.5, 2.0, 25),
    ("tfidf", 0.35, 0.5, 25),
    ("tfidf", 0.2, 0.35, 20),
)


def _hashed(features: list[list[str]], max_df: int, binary: bool = True) -> sparse.csr_matrix:
    """Rows of feature counts (hashed to 2**24 columns), columns in more than max_df rows dropped."""
    rows, cols = [], []
    for r, items in enumerate(features):
        codes = [zlib.crc32(x.encode()) % (1 << 24) for x in items]  # str hash() differs per process
        hashed = set(codes) if binary else codes
        rows += [r] * len(hashed)
        cols += list(hashed)
    m = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(features), 1 << 24)
    )
    m.sum_duplicates()
    df = np.bincount(m.indices, minlength=m.shape[1])
    m.data[df[m.indices] > max_df] = 0
    m.eliminate_zeros()
    return m


def _jaccard_pairs(m: sparse.csr_matrix, floor: float) -> dict[tuple[int, int], float]:
    m = m.copy()
    m.data[:] = 1
    sizes = np.asarray(m.sum(axis=1)).ravel()
    product = sparse.triu(m @ m.T, k=1).tocoo()
    jac = product.data / np.maximum(sizes[product.row] + sizes[product.col] - product.data, 1)
    keep = jac >= floor
    return _as_dict(product.row[keep], product.col[keep], jac[keep])


def _as_dict(rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> dict[tuple[int, int], float]:
    pairs = zip(rows.tolist(), cols.tolist(), strict=True)
    return dict(zip(pairs, values.tolist(), strict=True))


def _tfidf_pairs(leads: list[str], floor: float) -> dict[tuple[int, int], float]:
    """Cosine of TF-IDF vectors of segmented texts (words of one character, digits or punctuation left out;
    words in more than 300 texts dropped), pairs at `floor` or above."""
    words = [[w for w in rjieba.cut(t) if len(w) > 1 and not re.fullmatch(r"[\W\d_]+", w)] for t in leads]
    tf = _hashed(words, 300, binary=False)
    df = np.bincount(tf.indices, minlength=tf.shape[1])
    tf.data = tf.data * np.log(len(leads) / np.maximum(df[tf.indices], 1)).astype(np.float32)
    norms = np.sqrt(np.asarray(tf.multiply(tf).sum(axis=1)).ravel())
    tf = sparse.diags(1 / np.maximum(norms, 1e-9)) @ tf
    product = sparse.triu(tf @ tf.T, k=1).tocoo()
    keep = product.data >= floor
    return _as_dict(product.row[keep], product.col[keep], product.data[keep])


def _similarity_pools(rows: list[dict]) -> dict[str, dict[tuple[int, int], float]]:
    """{similarity: {(row, row): value}}: body shingles (any lag), title bigrams (within WINDOW), TF-IDF
    (within WINDOW, two outlets)."""
    cc = opencc.OpenCC("t2s")
    times = np.array([r["published_at"].timestamp() for r in rows])
    outlets = [r["outlet"] for r in rows]
    bodies = [re.sub(r"\s+", "", cc.convert(r["body_text"][:2000])) for r in rows]
    heads = [cc.convert(r["title"] + r["body_text"][:150]) for r in rows]
    leads = [cc.convert(r["title"] + "。" + r["body_text"][:300]) for r in rows]

    body = _jaccard_pairs(_hashed([[b[i : i + 5] for i in range(len(b) - 4)] for b in bodies], 50), 0.3)
    bigram = _jaccard_pairs(_hashed([[h[i : i + 2] for i in range(len(h) - 1)] for h in heads], 300), 0.12)
    tfidf = _tfidf_pairs(leads, 0.2)

    def near(pair) -> bool:
        return abs(times[pair[0]] - times[pair[1]]) <= WINDOW

    return {
        "body": body,
        "title_bigrams": {p: s for p, s in bigram.items() if near(p)},
        "tfidf": {p: s for p, s in tfidf.items() if near(p) and outlets[p[0]] != outlets[p[1]]},
    }


def _labelled_pairs() -> set[tuple[str, str]]:
    """(article id, article id) of every pair in any label file of bench/event_labels."""
    labelled = set()
    for path in bench_events.LABEL_DIR.rglob("*.jsonl"):
        labelled |= bench_events._read_labels(path).keys()
    return labelled


def _pick(
    pools: dict[str, dict[tuple[int, int], float]], ids: list[str], seed: int
) -> list[tuple[str, tuple[int, int], float]]:
    """(similarity, pair, value) drawn band by band (BANDS), none labelled already nor drawn twice,
    shuffled."""
    labelled = _labelled_pairs()
    rng = random.Random(seed)
    taken: set[tuple[int, int]] = set()
    picked = []
    for kind, low, high, n in BANDS:
        pool = sorted(
            p
            for p, s in pools[kind].items()
            if low <= s < high and tuple(sorted((ids[p[0]], ids[p[1]]))) not in labelled and p not in taken
        )
        for p in rng.sample(pool, min(n, len(pool))):
            taken.add(p)
            picked.append((kind, p, pools[kind][p]))
    rng.shuffle(picked)
    return picked


def _side(r: dict, corpus: str) -> dict:
    """One article of a pair, as the reader sees it (`corpus`: the prefix its path is shown without)."""
    return {
        "article_id": r["article_id"], "path": str(Path(r["path"]).resolve()).replace(corpus, ""),
        "outlet": r["outlet"], "published_at": str(r["published_at"]), "title": r["title"],
        "digest": bool(r["digest"]), "text": r["body_text"][:700],
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2613)
    parser.add_argument("--corpus", type=Path, default=bench_events.DEFAULT_CORPUS)
    args = parser.parse_args()
    import polars as pl

    articles = bench_events.corpus_articles(args.corpus).filter(
        pl.col("body_text").fill_null("").str.len_chars() >= 300
    )
    rows = articles.to_dicts()
    pools = _similarity_pools(rows)
    ids = [r["article_id"] for r in rows]
    picked = _pick(pools, ids, args.seed)
    corpus = str(args.corpus.resolve()) + "/"
    with args.out.open("w", encoding="utf-8") as out:
        for kind, (a, b), s in picked:
            a, b = sorted((a, b), key=lambda i: ids[i])
            row = {"pair": f"{ids[a]}:{ids[b]}", "candidate_kind": kind, "similarity": round(s, 3)}
            sides = {"a": _side(rows[a], corpus), "b": _side(rows[b], corpus)}
            out.write(json.dumps(row | sides, ensure_ascii=False) + "\n")
    print(f"{len(picked)} pairs -> {args.out}", {k: len(v) for k, v in pools.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
