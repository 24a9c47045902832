"""Real pipeline processes for the reliability tests: `etl run` (and friends) in their own process group, so a
SIGKILL takes down the run and its parser pool at once, exactly like an OOM kill or a power cut would."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from etl.settings import PROJECT_ROOT

ETL = str(PROJECT_ROOT / ".venv" / "bin" / "etl")
DUCKDB_CLI = str(PROJECT_ROOT / ".venv" / "bin" / "duckdb")
RUN_TIMEOUT_S = 240


@dataclass(frozen=True)
class Site:
    """One installation: its own lake, warehouse and Dagster instance, reading a (shared) raw folder."""

    root: Path
    raw: Path

    @property
    def lake(self) -> Path:
        return self.root / "lake"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def home(self) -> Path:
        return self.root / "dagster_home"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DAGSTER_HOME": str(self.home),
            "ETL_RAW_DIR": str(self.raw),
            "ETL_LAKE_DIR": str(self.lake),
            "ETL_WAREHOUSE": str(self.warehouse),
            "ETL_REPORTS_DIR": str(self.root / "reports"),
        }


def make_site(root: Path, raw: Path) -> Site:
    site = Site(root, raw)
    site.home.mkdir(parents=True, exist_ok=True)
    config = (PROJECT_ROOT / "dagster_home" / "dagster.yaml").read_text()
    (site.home / "dagster.yaml").write_text(config)
    return site


def start(site: Site, *args: str, log_name: str = "etl-run") -> subprocess.Popen:
    """`etl run` (or `args`) in a new session: its pid is the process group of everything it starts."""
    log = open(site.root / f"{log_name}.log", "ab")  # noqa: SIM115 - the child owns it
    cmd = list(args) or [ETL, "run", "--no-sample"]
    return subprocess.Popen(cmd, env=site.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def finish(
    proc: subprocess.Popen, site: Site, log_name: str = "etl-run", timeout: float = RUN_TIMEOUT_S
) -> str:
    """Wait for a successful exit; returns the log. A hang (e.g. a slot held by a dead run) fails the test."""
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        raise AssertionError(f"{proc.args} hung for {timeout} s:\n{read_log(site, log_name)}") from None
    log = read_log(site, log_name)
    assert code == 0, f"{proc.args} exited {code}:\n{log}"
    return log


def run(site: Site, *args: str, log_name: str = "etl-run") -> str:
    return finish(start(site, *args, log_name=log_name), site, log_name)


def read_log(site: Site, log_name: str = "etl-run") -> str:
    path = site.root / f"{log_name}.log"
    return path.read_text(errors="replace")[-6000:] if path.exists() else ""


def kill_group(proc: subprocess.Popen) -> bool:
    """SIGKILL the whole process group; True when the process was still running (the fault landed)."""
    alive = proc.poll() is None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return alive


def group_gone(pgid: int, timeout: float = 10) -> bool:
    """No process of the group is left (pool workers die with the run)."""
    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        members = []
        for p in psutil.process_iter(["pid"]):
            try:
                if os.getpgid(p.pid) == pgid and p.status() != psutil.STATUS_ZOMBIE:
                    members.append(p.pid)
            except (ProcessLookupError, psutil.Error):
                continue
        if not members:
            return True
        time.sleep(0.05)
    return False


def wait_until(
    proc: subprocess.Popen, condition: Callable[[], bool], timeout: float = RUN_TIMEOUT_S, poll: float = 0.005
) -> bool:
    """Poll `condition` while `proc` runs; True when it held before the process exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if proc.poll() is not None:
            return condition()
        time.sleep(poll)
    raise AssertionError(f"condition not reached in {timeout} s")


def partitions_written(site: Site) -> int:
    root = site.lake / "articles"
    try:
        days = [p for p in root.iterdir() if p.name.startswith("pub_date=")]
        return sum(1 for p in days if (p / "part-0.parquet").exists())
    except FileNotFoundError:
        return 0


def warehouse_building(site: Site) -> bool:
    return any(site.root.glob(f"{site.warehouse.name}.building-*"))


@contextmanager
def dagster_instance(site: Site) -> Iterator:
    """The site's Dagster instance, opened in this process (its dagster.yaml reads DAGSTER_HOME)."""
    import dagster as dg

    before = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(site.home)
    try:
        with dg.DagsterInstance.from_config(str(site.home)) as instance:
            yield instance
    finally:
        if before is None:
            del os.environ["DAGSTER_HOME"]
        else:
            os.environ["DAGSTER_HOME"] = before


def python(code: str, *args: str) -> list[str]:
    """A Python child running `code` with `args` in sys.argv[1:]."""
    return [sys.executable, "-c", code, *args]
