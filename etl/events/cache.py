"""A cache of the events step's per-article work, so that a day of new articles does not redo the archive.

What the pass over the bodies makes of an article (etl/events/detect.py `_sketch_pass`: the reprint sketch,
the term counts of title and lead) and what a reprint check concludes of a pair of articles depend only on
those articles. Both are kept between builds, in Parquet files beside the warehouse:

- `day=YYYY-MM-DD.parquet`: the articles published that day (UTC; `day=none` without a time), one row each:
  its fingerprint, id, band keys, 8-bit signature, long-enough flag, terms and counts. A day of new articles
  writes one new file; a changed or deleted article rewrites its day's file; a day no longer in the archive
  has its file deleted.
- `pairs.parquet`: the reprint candidates checked, with their outcome (the similarity, or NaN: not a reprint),
  keyed by the two articles' fingerprints; rewritten whole by each build (~5 MB at a million articles).

An entry never answers for other inputs: an article's fingerprint is a 128-bit hash of everything its entry
depends on (id, title, script, outlet, publication time, whether it may join events, and a 64-bit hash of
the body text as the step reads it: an edited body keeps its old hash once in 2**64), and every file carries
the cache version, a hash of the code that computes entries (text.py, reprints.py, terms.py, parallel.py;
cache.py, which lays them out), of the events config (etl/registries/events.yaml as loaded), of the
stopwords and of the libraries' versions. A pair's outcome is kept as the check reported it (similarity,
source, lag), not derived again. A file of another version, or one that cannot be read, is ignored (logged)
and its articles are sketched again: a missing, partial, corrupted or stale cache only costs time. Files are
written with the project's atomic writer, so a killed build leaves each file whole.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from etl.events.config import Config
from etl.fingerprint import combine, files_fingerprint
from etl.lake.atomic import write_parquet_atomic

log = logging.getLogger(__name__)

# The layout of the files (this module is in CODE_FILES too, so an edit here starts afresh anyway).
CACHE_FORMAT = "2"
VERSION_KEY = "events_cache_version"
# The modules whose code computes what the cache holds, and this one, which lays it out: any edit to them (a
# comment too) starts afresh.
CODE_FILES = ("text.py", "reprints.py", "terms.py", "parallel.py", "cache.py")
# polars and duckdb: the fingerprints and the body hashes are theirs.
LIBRARIES = ("rensa", "rjieba", "opencc", "polars", "numpy", "duckdb")
PAIRS_FILE = "pairs.parquet"
NO_DAY = "none"
NO_TIME = np.iinfo(np.int64).min  # the epoch day of articles without a publication time
FINGERPRINT_SEEDS = (0x5EED_0001, 0x5EED_0002)  # two 64-bit hashes: a 128-bit fingerprint


def _day_name(epoch_day: int) -> str:
    if epoch_day == NO_TIME:
        return NO_DAY
    return str(np.datetime64(epoch_day, "D"))


def cache_version(cfg: Config) -> str:
    """What every cache file must carry to be used: the code, config, stopwords and libraries its entries
    were computed with."""
    from etl.events.terms import stopword_series

    code = files_fingerprint(Path(__file__).resolve().parent / name for name in CODE_FILES)
    stopwords = hashlib.sha256("\n".join(stopword_series().to_list()).encode()).hexdigest()
    libraries = {name: _library_version(name) for name in LIBRARIES}
    return combine(CACHE_FORMAT, code, repr(cfg), stopwords, json.dumps(libraries, sort_keys=True))


def _library_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def fingerprints(meta: pl.DataFrame, eligible: np.ndarray, body_digests: np.ndarray) -> np.ndarray:
    """(n, 2) uint64: each article's fingerprint, over every input of its cache entries (id, title, script,
    outlet, publication time, eligibility for events, the 64-bit hash of its body as read)."""
    frame = meta.select(
        "article_id", "title", "script", "outlet", pl.col("published_at").dt.epoch("us")
    ).with_columns(
        pl.Series("eligible", np.asarray(eligible, dtype=bool)),
        pl.Series("body", np.asarray(body_digests, dtype=np.uint64)),
    )
    every = pl.struct(frame.columns)
    hashed = frame.select(*(every.hash(seed).alias(f"h{k}") for k, seed in enumerate(FINGERPRINT_SEEDS)))
    return np.stack([hashed["h0"].to_numpy(), hashed["h1"].to_numpy()], axis=1).astype(np.uint64)


def entry_schema(bands: int, num_perm: int) -> pa.Schema:
    return pa.schema(
        [
            ("article_id", pa.string()),
            ("fp0", pa.uint64()),
            ("fp1", pa.uint64()),
            ("keys", pa.binary(4 * bands)),  # the band keys, uint32 little-endian
            ("low_bytes", pa.binary(num_perm)),  # the 8-bit signature
            ("long_enough", pa.bool_()),
            ("terms", pa.list_(pa.uint64())),  # count_terms' terms of the article, ascending
            ("tf", pa.list_(pa.uint32())),
        ]
    )


def _fixed_width(column, dtype, width: int) -> np.ndarray:
    """A fixed-size binary column as an (n, width) numpy array of `dtype` (a copy)."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    size = array.type.byte_width
    raw = np.frombuffer(
        array.buffers()[1], dtype=np.uint8, count=len(array) * size, offset=array.offset * size
    )
    return raw.view(dtype).reshape(len(array), width).copy()


def _fixed_column(values: np.ndarray) -> pa.Array:
    values = np.ascontiguousarray(values)
    width = values.shape[1] * values.itemsize
    return pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(width), len(values), [None, pa.py_buffer(values.tobytes())]
    )


def _list_column(lengths: np.ndarray, values: np.ndarray, value_type: pa.DataType) -> pa.Array:
    offsets = np.zeros(len(lengths) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(values, type=value_type))


def entries_table(
    schema: pa.Schema,
    article_ids: pl.Series,
    prints: np.ndarray,
    sketched: tuple[np.ndarray, np.ndarray, np.ndarray],
    counted: pl.DataFrame,
) -> pa.Table:
    """Cache entries of freshly sketched articles: `sketched` and `counted` as sketch_chunk returns them for
    these articles (counted rows numbered from 0 in the same order)."""
    keys, low_bytes, long_enough = sketched
    n = len(long_enough)
    lengths = np.bincount(counted["row"].to_numpy(), minlength=n)
    return pa.table(
        [
            article_ids.to_arrow().cast(pa.string()),
            pa.array(prints[:, 0], type=pa.uint64()),
            pa.array(prints[:, 1], type=pa.uint64()),
            _fixed_column(keys.astype("<u4")),
            _fixed_column(low_bytes.astype(np.uint8)),
            pa.array(long_enough, type=pa.bool_()),
            _list_column(lengths, counted["term"].to_numpy(), pa.uint64()),
            _list_column(lengths, counted["tf"].to_numpy().astype(np.uint32), pa.uint32()),
        ],
        schema=schema,
    )


@dataclass
class Unpacked:
    """Cache entries as the pass stores them: sketch arrays and (row, term, tf) counts, rows from 0."""

    keys: np.ndarray
    low_bytes: np.ndarray
    long_enough: np.ndarray
    row: np.ndarray
    term: np.ndarray
    tf: np.ndarray


def unpack(table: pa.Table, bands: int, num_perm: int) -> Unpacked:
    terms = table.column("terms").combine_chunks()
    lengths = pc.list_value_length(terms).to_numpy(zero_copy_only=False).astype(np.int64)
    return Unpacked(
        keys=_fixed_width(table.column("keys"), "<u4", bands).astype(np.uint32),
        low_bytes=_fixed_width(table.column("low_bytes"), np.uint8, num_perm),
        long_enough=table.column("long_enough").to_numpy(zero_copy_only=False).astype(bool),
        row=np.repeat(np.arange(table.num_rows), lengths),
        term=terms.flatten().to_numpy(zero_copy_only=False).astype(np.uint64),
        tf=table.column("tf").combine_chunks().flatten().to_numpy(zero_copy_only=False).astype(np.int64),
    )


@dataclass
class CheckedPairs:
    """The reprint check's outcome for each candidate pair (rows i < j): `known` when a check was made (by
    an earlier build, or this one), `similarity` (NaN: not a reprint), the `source` row and the
    `lag_seconds`, as verify_candidates reported them: kept, not derived again."""

    known: np.ndarray
    similarity: np.ndarray
    source: np.ndarray
    lag_seconds: np.ndarray

    @classmethod
    def unknown(cls, m: int) -> CheckedPairs:
        return cls(
            np.zeros(m, dtype=bool),
            np.full(m, np.nan),
            np.full(m, -1, dtype=np.int64),
            np.zeros(m, dtype=np.int64),
        )


class CacheUnreadable(Exception):
    """A cache file whose footer read but whose entries did not: the pass starts again without it."""

    def __init__(self, path: Path, cause: Exception) -> None:
        super().__init__(f"{path.name}: {cause}")
        self.path = path


@dataclass
class CacheStats:
    articles: int = 0
    articles_sketched: int = 0
    candidate_pairs: int = 0
    pairs_verified: int = 0
    day_files_written: int = 0
    day_files_deleted: int = 0
    notes: list[str] = field(default_factory=list)  # why entries were not used

    def as_dict(self) -> dict:
        return asdict(self)  # a copy: the notes list too


class EventsCache:
    """The cache folder. `start` begins one build's use of it (CachedRun)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def start(
        self,
        meta: pl.DataFrame,
        eligible: np.ndarray,
        body_digests: np.ndarray,
        cfg: Config,
        ignored: frozenset[str] = frozenset(),
    ) -> CachedRun:
        return CachedRun(self.folder, meta, eligible, body_digests, cfg, ignored)


def _note(stats: CacheStats, message: str) -> None:
    log.warning("events cache: %s", message)
    stats.notes.append(message)


class CachedRun:
    """One build's use of the cache: which articles it holds (`missing`: the rows it lacks), their entries a
    range of rows at a time (`entries`: each day file is read when first needed and dropped once the rows
    that need it are passed, so a source in day order holds a few days' files at a time), and the day files
    written back as the rows of their day are passed (`keep`, `finish`)."""

    def __init__(
        self,
        folder: Path,
        meta: pl.DataFrame,
        eligible: np.ndarray,
        body_digests: np.ndarray,
        cfg: Config,
        ignored: frozenset[str],
    ) -> None:
        self.folder = folder
        self.version = cache_version(cfg)
        self.schema = entry_schema(cfg.reprints.bands, cfg.reprints.num_perm)
        self.stats = CacheStats(articles=meta.height)
        self.prints = fingerprints(meta, eligible, body_digests)
        self.article_ids = meta["article_id"]
        n = meta.height
        # Days as integers (days since 1970; NULL times on a day of their own): a million day names would be
        # strings to sort.
        epoch_days = meta["published_at"].dt.epoch("d").fill_null(NO_TIME).to_numpy()
        day_numbers, self.day_of = np.unique(epoch_days, return_inverse=True)
        self.day_of = self.day_of.ravel()
        self.days = [_day_name(int(d)) for d in day_numbers]
        self.last_row_of_day = np.full(len(self.days), -1, dtype=np.int64)
        np.maximum.at(self.last_row_of_day, self.day_of, np.arange(n))
        self.files, index = self._index(ignored)
        self.hit_file, self.hit_pos = self._match(index, n)
        self.missing = np.flatnonzero(self.hit_file < 0)
        self.stats.articles_sketched = len(self.missing)
        self.rewrite = self._days_to_rewrite(index)
        last = np.full(len(self.files), -1, dtype=np.int64)
        hits = self.hit_file >= 0
        np.maximum.at(last, self.hit_file[hits], np.flatnonzero(hits))
        self.last_row_of_file = last
        self.loaded: dict[int, pa.Table] = {}
        self.waiting: dict[int, list[pa.Table]] = {}  # day -> entries to write when its rows are passed

    # ------------------------------------------------------------------ reading

    def _day_files(self) -> list[Path]:
        return sorted(self.folder.glob("day=*.parquet")) if self.folder.is_dir() else []

    def _index(self, ignored: frozenset[str]) -> tuple[list[Path], dict[str, np.ndarray]]:
        """The usable day files and the fingerprints of their entries (file, pos, fp0, fp1)."""
        files, parts, stale = [], [], 0
        if not self.folder.is_dir():
            self.stats.notes.append("no cache yet")
        for path in self._day_files():
            if path.name in ignored:
                continue
            try:
                handle = pq.ParquetFile(path)
                version = (handle.schema_arrow.metadata or {}).get(VERSION_KEY.encode(), b"").decode()
                if version != self.version:
                    stale += 1
                    continue
                prints = handle.read(columns=["fp0", "fp1"])
                fp0 = prints.column("fp0").to_numpy().astype(np.uint64)
                fp1 = prints.column("fp1").to_numpy().astype(np.uint64)
            except Exception as exc:  # any damage: the file is ignored, its articles sketched again
                _note(self.stats, f"{path.name} unreadable ({type(exc).__name__}: {exc}); ignored")
                continue
            parts.append((np.full(len(fp0), len(files), dtype=np.int32), fp0, fp1))
            files.append(path)
        if stale:
            _note(self.stats, f"{stale} day files of another code or config version; ignored")
        file, fp0, fp1 = (list(c) for c in zip(*parts, strict=True)) if parts else ([], [], [])
        index = {
            "file": np.concatenate(file) if file else np.zeros(0, np.int32),
            "pos": np.concatenate([np.arange(len(f)) for f in file]) if file else np.zeros(0, np.int64),
            "fp0": np.concatenate(fp0) if fp0 else np.zeros(0, np.uint64),
            "fp1": np.concatenate(fp1) if fp1 else np.zeros(0, np.uint64),
        }
        return files, index

    def _match(self, index: dict[str, np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
        """For each row, the file and position of its entry (-1: none): a binary search of each row's first
        64 bits among the entries', then both halves compared (an entry whose first half repeats another's
        may be missed: that only costs a sketch)."""
        order = np.argsort(index["fp0"], kind="stable")
        sorted_fp0 = index["fp0"][order]
        at = np.minimum(np.searchsorted(sorted_fp0, self.prints[:, 0]), max(len(order) - 1, 0))
        if not len(order):
            return np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64)
        entry = order[at]
        hit = (sorted_fp0[at] == self.prints[:, 0]) & (index["fp1"][entry] == self.prints[:, 1])
        return (
            np.where(hit, index["file"][entry], -1).astype(np.int64),
            np.where(hit, index["pos"][entry], -1).astype(np.int64),
        )

    def _days_to_rewrite(self, index: dict[str, np.ndarray]) -> np.ndarray:
        """Days whose file must be written: a row of the day has no entry, or its file is missing, unusable,
        or holds entries no row of the day uses (deleted or changed articles)."""
        file_of_day = {Path(p).name: k for k, p in enumerate(self.files)}
        file_rows = np.bincount(index["file"], minlength=len(self.files))
        rewrite = np.ones(len(self.days), dtype=bool)
        by_day = (
            pl.DataFrame({"day": self.day_of, "file": self.hit_file, "pos": self.hit_pos})
            .group_by("day")
            .agg(
                pl.col("file").min().alias("low"),
                pl.col("file").max().alias("high"),
                pl.col("pos").n_unique().alias("used"),
            )
        )
        for day, low, high, used in by_day.iter_rows():
            own = file_of_day.get(f"day={self.days[day]}.parquet")
            rewrite[day] = not (own is not None and low == high == own and used == file_rows[own])
        return rewrite

    def entries(self, rows: np.ndarray) -> pa.Table:
        """The cached entries of `rows` (rows with an entry, ascending), in that order. In a source in day
        order the rows come file by file, each file's entries in their own order: slices, no copies."""
        files, positions = self.hit_file[rows], self.hit_pos[rows]
        in_order = bool(np.all(files[1:] >= files[:-1]))
        order = np.arange(len(files)) if in_order else np.argsort(files, kind="stable")
        files, positions = files[order], positions[order]
        pieces = []
        for file in np.unique(files).tolist():
            wanted = positions[files == file]
            table = self._load(file)
            run = len(wanted) and wanted[-1] - wanted[0] == len(wanted) - 1 and np.all(np.diff(wanted) == 1)
            pieces.append(table.slice(int(wanted[0]), len(wanted)) if run else table.take(wanted))
        if not pieces:
            return self.schema.empty_table()
        joined = pa.concat_tables(pieces)
        if in_order:
            return joined
        inverse = np.empty(len(order), dtype=np.int64)
        inverse[order] = np.arange(len(order))
        return joined.take(inverse)

    def _load(self, file: int) -> pa.Table:
        if file not in self.loaded:
            path = self.files[file]
            try:
                table = pq.read_table(path)
                if not table.schema.remove_metadata().equals(self.schema):
                    raise ValueError(f"columns {table.schema.names}, not the cache's")
                if any(column.null_count for column in table.columns):
                    raise ValueError("missing values")
            except Exception as exc:
                raise CacheUnreadable(path, exc) from exc
            self.loaded[file] = table
        return self.loaded[file]

    def passed(self, end: int) -> None:
        """Rows before `end` are done: drop the files no later row needs, write the days that are complete."""
        for file in [f for f in self.loaded if self.last_row_of_file[f] < end]:
            del self.loaded[file]
        for day in [d for d in self.waiting if self.last_row_of_day[d] < end]:
            self._write_day(day)

    # ------------------------------------------------------------------ writing

    def keep(self, rows: np.ndarray, entries: pa.Table) -> None:
        """Entries of `rows` (fresh or read from the cache), kept for the day files to be rewritten."""
        days = self.day_of[rows]
        wanted = self.rewrite[days]
        if not wanted.any():
            return
        days, entries = days[wanted], entries.filter(pa.array(wanted))
        for day in np.unique(days).tolist():
            self.waiting.setdefault(day, []).append(entries.filter(pa.array(days == day)))

    def _write_day(self, day: int) -> None:
        table = pa.concat_tables(self.waiting.pop(day)).combine_chunks()
        path = self.folder / f"day={self.days[day]}.parquet"
        write_parquet_atomic(table, path, metadata={VERSION_KEY: self.version})
        self.stats.day_files_written += 1

    def finish(self) -> None:
        """Write the days still waiting, and delete the files of days no article has any longer."""
        for day in list(self.waiting):
            self._write_day(day)
        self.loaded.clear()
        pa.default_memory_pool().release_unused()  # Arrow's allocator keeps freed blocks otherwise
        current = {f"day={day}.parquet" for day in self.days}
        for path in self._day_files():
            if path.name not in current:
                path.unlink(missing_ok=True)
                self.stats.day_files_deleted += 1

    # ------------------------------------------------------------------ reprint checks

    def _pair_keys(self, pairs: np.ndarray) -> tuple[pl.DataFrame, np.ndarray]:
        """The two fingerprints of each pair (rows i, j), the smaller first, so that the key does not depend
        on row order; and whether they were swapped (a is row j)."""
        a, b = self.prints[pairs[:, 0]], self.prints[pairs[:, 1]]
        swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
        first, second = np.where(swap[:, None], b, a), np.where(swap[:, None], a, b)
        keys = pl.DataFrame({"a0": first[:, 0], "a1": first[:, 1], "b0": second[:, 0], "b1": second[:, 1]})
        return keys, swap

    def checked_pairs(self, candidates: np.ndarray) -> CheckedPairs:
        """What earlier builds' checks concluded of these candidate pairs (rows i < j)."""
        path = self.folder / PAIRS_FILE
        checked = CheckedPairs.unknown(len(candidates))
        if not path.exists() or not len(candidates):
            return checked
        try:
            handle = pq.ParquetFile(path)
            version = (handle.schema_arrow.metadata or {}).get(VERSION_KEY.encode(), b"").decode()
            if version != self.version:
                _note(self.stats, f"{PAIRS_FILE} of another code or config version; ignored")
                return checked
            known = pl.from_arrow(handle.read())
            keys, swap = self._pair_keys(candidates)
            on = ["a0", "a1", "b0", "b1"]
            found = keys.with_row_index("at").join(known.unique(on), on=on, how="inner")
            found = found.select("at", "similarity", "lag_seconds", "source_is_a")
        except Exception as exc:
            _note(self.stats, f"{PAIRS_FILE} unreadable ({type(exc).__name__}: {exc}); ignored")
            return checked
        at = found["at"].to_numpy()
        checked.known[at] = True
        checked.similarity[at] = found["similarity"].fill_null(np.nan).to_numpy()
        checked.lag_seconds[at] = found["lag_seconds"].to_numpy()
        # the source's row: a is row i unless the pair was swapped
        source_is_i = found["source_is_a"].to_numpy() != swap[at]
        checked.source[at] = np.where(source_is_i, candidates[at, 0], candidates[at, 1])
        return checked

    def write_pairs(self, candidates: np.ndarray, checked: CheckedPairs) -> None:
        """Every candidate pair's outcome, as `checked` holds it for all of them."""
        keys, swap = self._pair_keys(candidates)
        source_is_a = (checked.source == candidates[:, 0]) != swap
        table = keys.with_columns(
            pl.Series("similarity", checked.similarity, dtype=pl.Float64),
            pl.Series("source_is_a", source_is_a, dtype=pl.Boolean),
            pl.Series("lag_seconds", checked.lag_seconds, dtype=pl.Int64),
        )
        write_parquet_atomic(table.to_arrow(), self.folder / PAIRS_FILE, metadata={VERSION_KEY: self.version})
        log.info("events cache: %s", self.stats.as_dict())
