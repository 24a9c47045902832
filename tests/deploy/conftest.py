"""Fixtures for tests/deploy: deploy/'s files parsed, and a throwaway PostgreSQL server on 127.0.0.1."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import psycopg2
import pytest
import yaml
from deploy_support import DEPLOY, load_yaml

APT_LINE = "apt-get install -y --no-install-recommends postgresql"


@pytest.fixture(scope="session")
def helm_values() -> dict:
    return load_yaml(DEPLOY / "helm" / "values.yaml")


@pytest.fixture(scope="session")
def instance_yaml() -> dict:
    return load_yaml(DEPLOY / "dagster.yaml")


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    user: str
    db: str

    def env(self, db: str | None = None) -> dict[str, str]:
        """The variables deploy/dagster.yaml reads its connection from."""
        return {
            "DAGSTER_PG_HOST": self.host,
            "DAGSTER_PG_PORT": str(self.port),
            "DAGSTER_PG_USERNAME": self.user,
            "DAGSTER_PG_PASSWORD": "",
            "DAGSTER_PG_DB": db or self.db,
        }

    def connect(self, db: str | None = None):
        return psycopg2.connect(host=self.host, port=self.port, user=self.user, dbname=db or self.db)

    def new_database(self) -> str:
        name = f"t{uuid.uuid4().hex[:12]}"
        conn = self.connect()
        conn.autocommit = True  # CREATE DATABASE cannot run in a transaction
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE {name}")
        conn.close()
        return name


def _server_bin_dir() -> Path | None:
    for postgres in [shutil.which("postgres"), *sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))]:
        if postgres and Path(postgres).with_name("initdb").exists():
            return Path(postgres).resolve().parent
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """A PostgreSQL server of its own (trust auth on 127.0.0.1), stopped and deleted after the session."""
    bin_dir = _server_bin_dir()
    if bin_dir is None:
        pytest.skip(f"no PostgreSQL server binaries (postgres, initdb); on Debian: {APT_LINE}")
    # PostgreSQL refuses to run as root: as root, run it as the `postgres` account the package creates.
    as_user: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip(f"running as root and no `postgres` account to run the server as; {APT_LINE}")
        as_user = ["runuser", "-u", "postgres", "--"]
    root = Path(tempfile.mkdtemp(prefix="etl-deploy-pg-"))
    os.chmod(root, 0o755)
    if owner:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    data, log = root / "data", root / "server.log"
    port = _free_port()

    def run(*args: str) -> None:
        done = subprocess.run([*as_user, *args], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{args[0]} failed: {done.stdout}{done.stderr}"

    run(str(bin_dir / "initdb"), "-D", str(data), "-U", "dagster", "--auth=trust", "-E", "UTF8")
    run(
        str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "start",
        "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off",
    )  # fmt: skip
    try:
        run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "dagster", "dagster")
        yield Postgres(host="127.0.0.1", port=port, user="dagster", db="dagster")
    finally:
        subprocess.run(
            [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )
        time.sleep(0.1)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def deploy_db(postgres) -> str:
    """A fresh database on the session's server: each test sees only its own runs."""
    return postgres.new_database()


@pytest.fixture
def deploy_instance(tmp_path, postgres, deploy_db, monkeypatch):
    """deploy/dagster.yaml's instance on the test's PostgreSQL, minus its run launcher (K8sRunLauncher needs
    a cluster): runs materialized here execute in-process, runs submitted wait in the queue."""
    config = load_yaml(DEPLOY / "dagster.yaml")
    assert config["run_launcher"]["class"] == "K8sRunLauncher"
    del config["run_launcher"]
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    for name, value in postgres.env(deploy_db).items():
        monkeypatch.setenv(name, value)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        yield instance
    # Nothing went to local SQLite storage.
    assert not list(home.rglob("*.db")), list(home.rglob("*.db"))
