"""etl/lake/storage.py and atomic.py behave the same on a local folder and on S3 (moto on 127.0.0.1)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

from etl.lake import atomic, storage
from etl.lake.lock import file_lock, lake_lock_path

TABLE = pa.table({"article_id": ["a", "b", "c"], "n": [1, 2, 3]})


def test_join_keeps_uri_scheme():
    assert (
        storage.join("s3://b/lake/", "articles", "pub_date=2024-01-01")
        == "s3://b/lake/articles/pub_date=2024-01-01"
    )
    assert storage.join("/data/lake", "manifest", "m.parquet") == "/data/lake/manifest/m.parquet"
    assert storage.join("file:///data/lake", "x") == "/data/lake/x"
    assert storage.is_remote("s3://b/lake") and storage.is_remote("memory://x")
    assert (
        not storage.is_remote("/data/lake")
        and not storage.is_remote("file:///data")
        and not storage.is_remote(Path("rel"))
    )
    assert storage.display("s3://b/lake") == "s3://b/lake"
    assert storage.display("rel/lake") == str(Path("rel/lake").resolve())


def test_write_read_footer_list_remove(lake_root):
    target = storage.join(lake_root, "articles", "pub_date=2024-01-02", "part-0.parquet")
    assert not storage.exists(target)
    assert atomic.read_footer(target) == {}
    assert storage.list_names(storage.join(lake_root, "articles")) == []
    assert storage.parquet_files(storage.join(lake_root, "articles")) == []

    atomic.write_parquet_atomic(TABLE, target, {"etl.files_digest": "abc"})
    other = storage.join(lake_root, "articles", "pub_date=2024-01-01", "part-0.parquet")
    atomic.write_parquet_atomic(TABLE.slice(0, 1), other, {"etl.files_digest": "def"})

    assert storage.exists(target)
    assert atomic.read_footer(target) == {"etl.files_digest": "abc"}
    assert storage.read_arrow(target).equals(
        TABLE.replace_schema_metadata(storage.read_arrow(target).schema.metadata)
    )
    assert storage.read_polars(target, ["n"])["n"].to_list() == [1, 2, 3]
    table_root = storage.join(lake_root, "articles")
    assert storage.list_names(table_root) == ["pub_date=2024-01-01", "pub_date=2024-01-02"]
    assert storage.parquet_files(table_root, "pub_date=*") == [other, target]
    assert storage.read_files_polars([other, target], ["article_id"])["article_id"].to_list() == [
        "a",
        "a",
        "b",
        "c",
    ]
    assert [f.height for f in storage.read_each([other, target], ["n"])] == [1, 3]

    atomic.write_parquet_atomic(TABLE.slice(0, 2), target, {"etl.files_digest": "xyz"})  # replace in place
    assert atomic.read_footer(target) == {"etl.files_digest": "xyz"}
    assert storage.read_polars(target).height == 2

    atomic.remove_dir_atomic(storage.join(lake_root, "articles", "pub_date=2024-01-02"))
    atomic.remove_dir_atomic(storage.join(lake_root, "articles", "pub_date=2099-01-01"))  # absent: no error
    assert not storage.exists(target)
    assert storage.list_names(table_root) == ["pub_date=2024-01-01"]
    assert atomic.read_footer(target) == {}


def test_hidden_entries_are_not_part_of_the_lake(tmp_path):
    root = tmp_path / "lake" / "articles"
    atomic.write_parquet_atomic(TABLE, root / "pub_date=2024-01-01" / "part-0.parquet")
    atomic.write_parquet_atomic(TABLE, root / ".pub_date=2024-01-02.removing" / "part-0.parquet")
    atomic.write_parquet_atomic(TABLE, root / "pub_date=2024-01-03" / ".part-0.parquet.x.tmp")
    assert storage.list_names(root) == ["pub_date=2024-01-01", "pub_date=2024-01-03"]
    assert storage.parquet_files(root) == [str(root / "pub_date=2024-01-01" / "part-0.parquet")]


def test_s3_writes_leave_no_temp_objects_and_a_failed_write_leaves_the_old_object(
    s3_lake, s3_keys, monkeypatch
):
    target = storage.join(s3_lake, "manifest", "manifest.parquet")
    atomic.write_parquet_atomic(TABLE, target)
    atomic.write_parquet_atomic(TABLE, target)
    prefix = s3_lake.removeprefix("s3://news-lake/")
    assert s3_keys(s3_lake) == [f"{prefix}/manifest/manifest.parquet"]

    def crash_halfway(table, where, **kwargs):
        where.write(b"PAR1 half a file")
        raise OSError("disk full")

    monkeypatch.setattr(atomic.pq, "write_table", crash_halfway)
    with pytest.raises(OSError, match="disk full"):
        atomic.write_parquet_atomic(TABLE.slice(0, 1), target)
    assert s3_keys(s3_lake) == [f"{prefix}/manifest/manifest.parquet"]
    assert storage.read_polars(target).height == 3  # the old object whole


def test_s3_listing_sees_writes_from_another_client(s3_lake, s3_endpoint):
    """A listing must not come from fsspec's cache: another process may have written since."""
    import boto3

    table_root = storage.join(s3_lake, "articles")
    atomic.write_parquet_atomic(TABLE, storage.join(table_root, "pub_date=2024-01-01", "part-0.parquet"))
    assert storage.list_names(table_root) == ["pub_date=2024-01-01"]
    bucket, _, prefix = table_root.removeprefix("s3://").partition("/")
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    client.put_object(Bucket=bucket, Key=f"{prefix}/pub_date=2024-01-05/part-0.parquet", Body=b"x")
    assert storage.list_names(table_root) == ["pub_date=2024-01-01", "pub_date=2024-01-05"]
    client.delete_object(Bucket=bucket, Key=f"{prefix}/pub_date=2024-01-01/part-0.parquet")
    assert storage.list_names(table_root) == ["pub_date=2024-01-05"]
    assert not storage.exists(storage.join(table_root, "pub_date=2024-01-01", "part-0.parquet"))


def test_storage_options_from_settings(s3_lake, s3_endpoint, monkeypatch):
    """ETL_LAKE_STORAGE_OPTIONS alone (no AWS_* variables) reaches the server."""
    for var in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    options = {"endpoint_url": s3_endpoint, "key": "testing", "secret": "testing"}
    monkeypatch.setenv("ETL_LAKE_STORAGE_OPTIONS", json.dumps(options))
    target = storage.join(s3_lake, "x", "part-0.parquet")
    atomic.write_parquet_atomic(TABLE, target)
    assert storage.read_polars(target).height == 3
    monkeypatch.setenv("ETL_LAKE_STORAGE_OPTIONS", "[1, 2]")
    with pytest.raises(ValueError, match="JSON object"):
        storage.exists(target)


def test_lock_of_a_remote_lake_is_local_and_per_uri(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    a = lake_lock_path("s3://bucket/a/lake", "manifest/.lock")
    assert a.is_relative_to(tmp_path / "home")
    assert a == lake_lock_path("s3://bucket/a/lake/", "manifest/.lock")
    assert a != lake_lock_path("s3://bucket/b/lake", "manifest/.lock")
    assert lake_lock_path(tmp_path / "lake", "manifest/.lock") == tmp_path / "lake" / "manifest" / ".lock"
    with file_lock(a, timeout_s=1):
        assert a.exists()


def test_read_footers_in_one_batch(lake_root):
    paths = [storage.join(lake_root, "t", f"pub_date=2024-01-0{i}", "part-0.parquet") for i in range(1, 6)]
    for i, path in enumerate(paths[:4]):
        atomic.write_parquet_atomic(TABLE, path, {"etl.files_digest": f"d{i}"})
    # A footer longer than the tail read at once: read again in full.
    big = {"etl.files_digest": "big", "etl.note": "x" * (atomic.FOOTER_TAIL + 10)}
    atomic.write_parquet_atomic(TABLE, paths[3], big)
    footers = atomic.read_footers(paths)
    assert [f.get("etl.files_digest") for f in footers] == ["d0", "d1", "d2", "big", None]
    assert footers[3] == big and footers[4] == {}
    assert atomic.read_footers([]) == []


def test_download_tree_copies_the_visible_files(lake_root, tmp_path):
    atomic.write_parquet_atomic(
        TABLE, storage.join(lake_root, "articles", "pub_date=2024-01-01", "part-0.parquet")
    )
    atomic.write_parquet_atomic(TABLE, storage.join(lake_root, "manifest", "manifest.parquet"))
    if not storage.is_remote(lake_root):  # a temp file of a write in progress stays behind
        atomic.write_parquet_atomic(
            TABLE, storage.join(lake_root, "articles", ".pub_date=x.removing", "p.parquet")
        )
    dest = tmp_path / "copy"
    assert storage.download_tree(lake_root, dest) == 2
    found = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert found == ["articles/pub_date=2024-01-01/part-0.parquet", "manifest/manifest.parquet"]
    assert storage.read_polars(dest / "manifest" / "manifest.parquet").height == 3
    assert storage.download_tree(storage.join(lake_root, "absent"), tmp_path / "none") == 0


def test_stamps_change_when_a_file_is_rewritten(lake_root):
    root = storage.join(lake_root, "articles")
    first = storage.join(root, "pub_date=2024-01-01", "part-0.parquet")
    second = storage.join(root, "pub_date=2024-01-02", "part-0.parquet")
    assert storage.stamp(first) is None and storage.stamps(root) == {}
    atomic.write_parquet_atomic(TABLE, first)
    atomic.write_parquet_atomic(TABLE, second)
    before = storage.stamps(root, "pub_date=*")
    assert list(before) == [first, second]
    assert before[first] == storage.stamp(first) and json.loads(json.dumps(before)) == before
    atomic.write_parquet_atomic(TABLE.slice(0, 2), second)
    after = storage.stamps(root, "pub_date=*")
    assert after[first] == before[first] and after[second] != before[second]
