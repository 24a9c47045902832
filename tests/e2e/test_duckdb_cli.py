"""The `duckdb` CLI binary of the project's venv against warehouses built for real: versions, the cookbook
macros and queries, and a read-write CLI session left open while materializations run."""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import dagster as dg
import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "warehouse"))  # the warehouse test helpers
import handmade_lake
import real_run

from etl.defs.resources import PathsResource
from etl.defs.warehouse.assets import warehouse
from etl.warehouse.build import build_warehouse
from etl.warehouse.snapshot import open_snapshot

pytestmark = pytest.mark.e2e
CLI = Path(sys.executable).parent / "duckdb"
COOKBOOK = Path(__file__).resolve().parents[2] / "README.md"


def cli(db: Path, sql: str, *, readonly: bool = True, check: bool = True) -> subprocess.CompletedProcess:
    args = [str(CLI), *(["-readonly"] if readonly else []), "-csv", str(db), "-c", sql]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def rows(db: Path, sql: str) -> list[list[str]]:
    return [line.split(",") for line in cli(db, sql).stdout.splitlines()[1:]]


class CliSession:
    """A `duckdb <file>` process kept open read-write (the CLI default), as a user leaves it. A thread reads
    its output into a queue (select() on a buffered pipe would miss lines already read into the buffer)."""

    def __init__(self, db: Path):
        self.proc = subprocess.Popen(
            [str(CLI), str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.run(".mode csv\n.headers off")

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def run(self, sql: str) -> list[str]:
        """Send statements, wait for them to finish, return the lines they printed (errors included)."""
        sql = sql.strip()
        if not sql.endswith(";") and not sql.startswith("."):
            sql += ";"
        self.proc.stdin.write(f"{sql}\nSELECT '__done__';\n")
        self.proc.stdin.flush()
        out: list[str] = []
        while (line := self.lines.get(timeout=60)) != "__done__":
            assert line is not None, f"the CLI session ended: {out}"
            out.append(line)
        return out

    def close(self) -> None:
        self.proc.stdin.close()
        assert self.proc.wait(timeout=30) == 0


@pytest.fixture(scope="module")
def real_warehouse(tmp_path_factory) -> Path:
    path, _ = real_run.build(tmp_path_factory.mktemp("real"))
    return path


def paths_for(root: Path) -> PathsResource:
    return PathsResource(
        raw_dir=str(root / "raw"),
        lake_dir=str(root / "lake"),
        warehouse_path=str(root / "warehouse.duckdb"),
        reports_dir=str(root / "reports"),
    )


def test_cli_and_python_duckdb_versions_match():
    version = subprocess.run([str(CLI), "--version"], capture_output=True, text=True, check=True).stdout
    assert version.split()[0] == f"v{duckdb.__version__}"


def test_the_cli_runs_every_macro(real_warehouse):
    top = rows(real_warehouse, "SELECT topic FROM topic_lifecycle ORDER BY total_articles DESC LIMIT 1")[0][0]
    outlet = rows(
        real_warehouse, "SELECT outlet FROM agency_share_monthly GROUP BY 1 ORDER BY sum(articles) DESC"
    )
    days = int(rows(real_warehouse, "SELECT count(*) FROM calendar")[0][0])
    assert len(rows(real_warehouse, f"FROM topic_timeline_for('{top}')")) == days
    assert rows(real_warehouse, f"FROM agency_share('{outlet[0][0]}')")
    title = rows(real_warehouse, "SELECT title FROM articles WHERE length(title) >= 4 LIMIT 1")[0][0]
    found = rows(real_warehouse, f"SELECT title FROM search_titles('{title[1:4]}')")
    assert found and all(title[1:4].lower() in t.lower() for (t, *_) in found)
    assert rows(real_warehouse, "FROM top_topics(7)")
    assert rows(real_warehouse, "FROM primary_topics(7)")
    assert rows(real_warehouse, f"FROM articles_about('{top}') LIMIT 3")
    assert rows(real_warehouse, "FROM rising_keywords(5)")
    cli(real_warehouse, "FROM topic_bursts()")


def cookbook_queries() -> list[tuple[str, str]]:
    """(heading, first ```sql block) of every README section (`##`/`###`) that has one."""
    sections = re.split(r"^###? ", COOKBOOK.read_text(encoding="utf-8"), flags=re.M)[1:]
    found = [(s.splitlines()[0], re.search(r"```sql\n(.*?)```", s, flags=re.S)) for s in sections]
    return [(heading, match[1].strip()) for heading, match in found if match]


def test_every_cookbook_query_runs_in_the_cli(real_warehouse):
    queries = cookbook_queries()
    assert len(queries) >= 8
    for heading, sql in queries:
        done = cli(real_warehouse, sql, check=False)
        assert done.returncode == 0, f"{heading}: {done.stderr}"
        assert len(done.stdout.splitlines()) > 1, f"{heading}: no rows"


def test_the_primary_topic_queries_of_the_cookbook(tmp_path, registries_dir):
    # a hand-made lake whose articles carry primary topics and digests, so the truth is known here
    sample = handmade_lake.sample_articles()
    db = tmp_path / "warehouse.duckdb"
    build_warehouse(handmade_lake.write_lake(tmp_path / "lake", sample), db, registries_dir)
    queries = dict(cookbook_queries())
    edge = max(r["pub_date"] for r in sample)  # the sample has no stray late captures

    week = [r for r in sample if (edge - r["pub_date"]).days < 7]
    primary = Counter(r["primary_topic"] for r in week if r["primary_topic"])
    on_topic = Counter(t for r in week for t in r["topics"])
    ranked = sorted(on_topic, key=lambda t: (-primary[t], -on_topic[t], t))[:8]
    got = rows(db, queries["What the news was mainly about: primary topics"])
    assert [(t, int(p), float(s), int(a)) for t, _, p, s, a in got] == [
        (t, primary[t], round(primary[t] / len(week), 3), on_topic[t]) for t in ranked
    ]
    assert sum(primary.values()) <= len(week) and sum(primary.values()) < sum(on_topic.values())

    day = [r for r in sample if r["pub_date"] == edge]
    primary = Counter(r["primary_topic"] for r in day if r["primary_topic"])
    on_topic = Counter(t for r in day for t in r["topics"])
    no_digests = Counter(t for r in day if not r["digest"] for t in r["topics"])
    got = rows(db, queries["The last day's news by primary topic, digests left out"])
    assert [tuple(map(int, n)) for _, *n in got] == [
        (primary[t], on_topic[t], no_digests[t])
        for t in sorted(on_topic, key=lambda t: (-primary[t], -on_topic[t], t))
    ][: len(got)]
    assert {t for t, *_ in got} == set(on_topic)


def test_a_read_write_cli_session_does_not_block_a_materialization(tmp_path, registries_dir):
    rows_v1 = handmade_lake.sample_articles()
    handmade_lake.write_lake(tmp_path / "lake", rows_v1)
    paths = paths_for(tmp_path)
    instance = dg.DagsterInstance.ephemeral()
    assert dg.materialize([warehouse], resources={"paths": paths}, instance=instance).success
    db = Path(paths.warehouse_path)

    session = CliSession(db)
    try:
        assert session.run("SELECT count(*) FROM articles") == [str(len(rows_v1))]
        extra = handmade_lake.article("late-1", rows_v1[-1]["pub_date"], title="新的一篇")
        handmade_lake.write_partition(
            tmp_path / "lake",
            extra["pub_date"],
            [r for r in rows_v1 if r["pub_date"] == extra["pub_date"]] + [extra],
        )
        result = dg.materialize([warehouse], resources={"paths": paths}, instance=instance)
        assert result.success
        counts = result.get_asset_materialization_events()
        assert any(e.materialization.metadata["dagster/row_count"].value == len(rows_v1) + 1 for e in counts)
        # the open session still answers (from the build it opened) ...
        assert session.run("SELECT count(*) FROM articles") == [str(len(rows_v1))]
        # ... while a new session sees the new build
        assert rows(db, "SELECT count(*) FROM articles") == [[str(len(rows_v1) + 1)]]
    finally:
        session.close()
    assert rows(db, "SELECT count(*) FROM search_titles('新的一篇')") == [["1"]]


@pytest.fixture
def registries_dir(tmp_path) -> Path:
    return handmade_lake.write_registries(tmp_path / "registries")


def test_a_stale_wal_of_the_old_file_is_moved_aside_not_replayed(tmp_path, registries_dir):
    lake = handmade_lake.write_lake(tmp_path / "lake", handmade_lake.sample_articles())
    db = tmp_path / "warehouse.duckdb"
    build_warehouse(lake, db, registries_dir)
    session = CliSession(db)
    try:
        session.run(
            "CREATE TABLE scratch AS SELECT 42 AS x; DROP TABLE topics;"
        )  # logged in warehouse.duckdb.wal
        assert db.with_name(db.name + ".wal").exists()
        result = build_warehouse(lake, db, registries_dir)
        assert result.orphaned_wal is not None and result.orphaned_wal.exists()
        assert not db.with_name(db.name + ".wal").exists()
        assert rows(db, "SELECT count(*) FROM topics") == [["3"]]
        assert cli(db, "FROM scratch", check=False).returncode != 0
    finally:
        session.close()  # the old session checkpoints into the old (replaced) file, not the new one
    assert rows(db, "SELECT count(*) FROM topics") == [["3"]]


def test_a_wal_written_after_the_swap_is_refused_not_replayed(tmp_path, registries_dir):
    lake = handmade_lake.write_lake(tmp_path / "lake", handmade_lake.sample_articles())
    db = tmp_path / "warehouse.duckdb"
    build_warehouse(lake, db, registries_dir)
    session = CliSession(db)
    try:
        build_warehouse(lake, db, registries_dir)
        session.run("DROP TABLE topics;")  # the old session now writes a WAL at the new file's path
        refused = cli(db, "SELECT count(*) FROM topics", check=False)
        assert refused.returncode != 0 and "WAL does not match" in refused.stderr  # never replayed
        with open_snapshot(db) as con:  # readers that copy the file alone are unaffected
            assert con.execute("SELECT count(*) FROM topics").fetchone()[0] == 3
        assert build_warehouse(lake, db, registries_dir).orphaned_wal is not None  # the next build clears it
        assert rows(db, "SELECT count(*) FROM topics") == [["3"]]
    finally:
        session.close()
    assert rows(db, "SELECT count(*) FROM topics") == [["3"]]
