"""Helpers shared by the tests/deploy modules (a module of its own: `from conftest import` would be ambiguous
beside the other test folders' conftest.py in one pytest session)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

from etl.settings import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"

# A kubeconfig for a cluster that is never called: lets the K8sRunLauncher be built outside a cluster.
FAKE_KUBECONFIG = {
    "apiVersion": "v1",
    "kind": "Config",
    "clusters": [{"name": "c", "cluster": {"server": "https://127.0.0.1:1"}}],
    "users": [{"name": "u", "user": {"token": "t"}}],
    "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u"}}],
    "current-context": "x",
}


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def the_deployment(values: dict) -> dict:
    """The one code location of the Helm values."""
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    return deployment


def deploy_backfill_script():
    """deploy/backfill.py as a module (deploy/ is not a package: the script runs on its own)."""
    spec = importlib.util.spec_from_file_location("deploy_backfill", DEPLOY / "backfill.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
