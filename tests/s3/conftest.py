"""A local S3-compatible server (moto) for the lake-on-S3 tests, started once per session on 127.0.0.1.

Credentials are dummies; clients find the server through AWS_ENDPOINT_URL (read by botocore/s3fs), which
subprocesses (`etl run`) inherit too.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Iterator

import pytest

BUCKET = "news-lake"
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    moto_server = pytest.importorskip("moto.server")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access-log line per request otherwise
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    saved = {k: os.environ.get(k) for k in [*AWS_ENV, "AWS_ENDPOINT_URL"]}
    os.environ.update(AWS_ENV, AWS_ENDPOINT_URL=endpoint)
    try:
        import boto3

        boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        server.stop()


@pytest.fixture
def s3_lake(s3_endpoint) -> str:
    """A fresh, empty prefix in the test bucket."""
    return f"s3://{BUCKET}/{uuid.uuid4().hex[:12]}/lake"


@pytest.fixture(params=["local", "s3"])
def lake_root(request, tmp_path) -> str:
    """The same lake tests on a local folder and on the S3 server."""
    if request.param == "local":
        return str(tmp_path / "lake")
    return request.getfixturevalue("s3_lake")


@pytest.fixture(scope="session")
def s3_keys(s3_endpoint) -> Callable[[str], list[str]]:
    """Every object key under an s3:// URI, straight from the server (no fsspec cache in between)."""
    import boto3

    client = boto3.client("s3", endpoint_url=s3_endpoint)

    def keys(uri: str) -> list[str]:
        bucket, _, prefix = uri.removeprefix("s3://").partition("/")
        found = []
        pages = client.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=prefix.rstrip("/") + "/"
        )
        for page in pages:
            found += [o["Key"] for o in page.get("Contents", [])]
        return sorted(found)

    return keys
