"""Helpers shared by the tests/deploy modules (a module of its own: `from conftest import` would be ambiguous
beside the other test folders' conftest.py in one pytest session)."""

from __future__ import annotations

import importlib
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


def processed_config(config_class, value: dict) -> dict:
    """`value` checked against a Dagster ConfigurableClass's config schema (raises DagsterInvalidConfigError),
    with the schema's defaults filled in. Public API only: the schema is that of a throwaway op's config,
    checked by `validate_run_config` as Dagster checks any run config."""
    import dagster as dg

    @dg.op(name="probe", config_schema=config_class.config_type())
    def probe() -> None: ...

    @dg.job(name="config_check")
    def config_check() -> None:
        probe()

    resolved = dg.validate_run_config(config_check, {"ops": {"probe": {"config": value}}})
    return resolved["ops"]["probe"]["config"]


def rehydrate(section: dict):
    """The object an instance section (`module`, `class`, `config`) of dagster.yaml describes, built as the
    instance builds it: the config checked against the class's schema, then `from_config_value`."""
    module = importlib.import_module(section["module"])
    config_class = getattr(module, section["class"])
    return config_class.from_config_value(None, processed_config(config_class, section.get("config") or {}))
