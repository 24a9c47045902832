"""deploy/Dockerfile: what it copies exists and passes its .dockerignore, its CMD names the code location the
project defines (and the Helm values serve the same), its pins are the project's; and the CMD, run here
with only the paths swapped, serves the code location over gRPC. (No docker daemon here: the image itself is
not built by the tests.)"""

from __future__ import annotations

import fnmatch
import json
import os
import os.path
import re
import signal
import socket
import subprocess
import time
import tomllib

import dagster as dg
import pytest
from deploy_support import DEPLOY, load_yaml, the_deployment

from etl.settings import PROJECT_ROOT

BIN = PROJECT_ROOT / ".venv" / "bin"


def instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines()]
    return [tuple(line.split(None, 1)) for line in lines if line and not line.startswith("#")]


def one(name: str) -> str:
    (value,) = [v for k, v in instructions() if k == name]
    return value


def cmd() -> list[str]:
    return json.loads(one("CMD"))


def option(args: list[str], name: str) -> str:
    return args[args.index(name) + 1]


def ignored(path: str) -> bool:
    """Docker's rule: the last matching pattern of the .dockerignore decides (a `!` pattern re-includes)."""
    verdict = False
    for raw in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        if fnmatch.fnmatch(path, pattern) or path.startswith(pattern + "/"):
            verdict = not negate
    return verdict


def test_copied_files_exist_and_are_in_the_build_context():
    copies = [v.split() for k, v in instructions() if k == "COPY"]
    assert copies
    for *sources, _dest in copies:
        for source in sources:
            assert (PROJECT_ROOT / source).exists(), source
            assert not ignored(source), f"{source} is excluded by Dockerfile.dockerignore"
    assert ignored(".venv") and ignored("data") and ignored("tests") and ignored(".git")


def test_cmd_serves_the_projects_code_location():
    args = cmd()
    assert args[:3] == ["dagster", "code-server", "start"]
    module = option(args, "--module-name")
    assert (PROJECT_ROOT / (module.replace(".", "/") + ".py")).is_file()
    assert option(args, "--working-directory") == one("WORKDIR")
    assert option(args, "--port") == one("EXPOSE")
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["dg"]["project"]
    assert module == project["code_location_target_module"]
    assert option(args, "--location-name") == project["code_location_name"]
    (local,) = load_yaml(PROJECT_ROOT / "workspace.yaml")["load_from"]
    assert local["python_module"]["location_name"] == project["code_location_name"]


def test_helm_serves_what_the_cmd_serves(helm_values):
    d = the_deployment(helm_values)
    args = cmd()
    assert d["codeServerArgs"] == args[args.index("--module-name") :]
    assert str(d["port"]) == option(args, "--port")
    (grpc,) = load_yaml(DEPLOY / "workspace.yaml")["load_from"]
    assert grpc["grpc_server"]["port"] == d["port"]
    assert grpc["grpc_server"]["location_name"] == d["name"] == option(args, "--location-name")


def test_constraints_pin_what_pyproject_pins():
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    pins = dict(
        line.split("==", 1)
        for line in (DEPLOY / "constraints.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    wanted = pyproject["dependencies"] + pyproject["optional-dependencies"]["deploy"]
    for requirement in wanted:
        name, version = requirement.split("==")
        name = re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()
        assert pins.get(name) == version, f"{name}: constraints.txt has {pins.get(name)}, pyproject {version}"
    # Test and benchmark tools stay out of the image.
    assert not {"pytest", "ruff", "moto", "hypothesis", "trafilatura"} & set(pins)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.e2e
def test_cmd_starts_a_code_server_that_serves_the_jobs(tmp_path):
    port = _free_port()
    args = cmd()
    args[0] = str(BIN / "dagster")
    args[args.index("--host") + 1] = "127.0.0.1"
    args[args.index("--port") + 1] = str(port)
    args[args.index("--working-directory") + 1] = str(PROJECT_ROOT)
    env = os.environ | {
        "DAGSTER_HOME": str(tmp_path),
        "ETL_EXECUTOR": "k8s",
        "PATH": f"{BIN}:{os.environ['PATH']}",
    }
    # The instance's SQLite schema is created here, once: left to the code server and the first `dagster job
    # list`, both create it at the same time and one fails ("table secondary_indexes already exists").
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        instance.get_runs(limit=1)
        instance.all_instigator_state()
    log = tmp_path / "code-server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(args, cwd=tmp_path, env=env, stdout=out, stderr=out, start_new_session=True)
    try:
        listing = None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and server.poll() is None:
            done = subprocess.run(
                [str(BIN / "dagster"), "job", "list", "--grpc-host", "127.0.0.1", "--grpc-port", str(port)],
                capture_output=True,
                text=True,
                timeout=120,
                env=env,
            )
            if done.returncode == 0:
                listing = done.stdout
                break
            time.sleep(2)
        assert listing is not None, f"dagster job list: {done.stdout}{done.stderr}\n{log.read_text()}"
        for job in ("raw_files_job", "lake_partitions_job", "warehouse_job"):
            assert job in listing
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
