"""deploy/dagster.yaml: valid for Dagster's instance schema, its classes load, and the run pod the
K8sRunLauncher would submit carries the volumes, environment and Postgres password the pipeline needs."""

from __future__ import annotations

import dagster as dg
import pytest
import yaml
from dagster_k8s import K8sRunLauncher
from dagster_k8s.container_context import K8sContainerContext
from dagster_k8s.job import construct_dagster_k8s_job
from dagster_postgres import DagsterPostgresStorage
from deploy_support import DEPLOY, FAKE_KUBECONFIG, processed_config, rehydrate
from kubernetes.client import ApiClient


def test_every_yaml_in_deploy_parses():
    files = sorted(DEPLOY.rglob("*.yaml"))
    assert len(files) >= 6, files
    for path in files:
        docs = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]
        assert docs and all(isinstance(d, dict) for d in docs), path


PG_ENV = ("DAGSTER_PG_HOST", "DAGSTER_PG_PORT", "DAGSTER_PG_USERNAME", "DAGSTER_PG_PASSWORD", "DAGSTER_PG_DB")


def test_instance_config_validates_against_dagsters_schema(monkeypatch):
    for name in PG_ENV:
        monkeypatch.setenv(name, "5432" if name.endswith("PORT") else "x")
    config = yaml.safe_load((DEPLOY / "dagster.yaml").read_text())
    storage = processed_config(DagsterPostgresStorage, config["storage"]["postgres"])  # raises if invalid
    assert storage["postgres_db"]["hostname"] == "x"  # read from the environment, as the instance does
    assert config["concurrency"]["pools"]["default_limit"] == 1  # duckdb_warehouse: one writer
    assert type(rehydrate(config["run_coordinator"])).__name__ == "QueuedRunCoordinator"
    with pytest.raises(dg.DagsterInvalidConfigError):  # the check does catch a misspelt key
        processed_config(DagsterPostgresStorage, {"postgres_db": {**storage["postgres_db"], "hostnam": "x"}})


def test_run_launcher_builds_the_run_pod(tmp_path, monkeypatch):
    """The K8sRunLauncher from deploy/dagster.yaml (pointed at a fake kubeconfig instead of the cluster it
    would be in) and the Kubernetes Job it would create for a run: parsed into kubernetes client models."""
    # Bare names in env_vars are copied from the launching process: the daemon, which has them.
    for name, value in {"DAGSTER_PG_HOST": "pg", "DAGSTER_PG_PORT": "5432"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DAGSTER_PG_USERNAME", "dagster")
    monkeypatch.setenv("DAGSTER_PG_DB", "dagster")
    launcher_config = yaml.safe_load((DEPLOY / "dagster.yaml").read_text())["run_launcher"]
    assert (launcher_config["module"], launcher_config["class"]) == ("dagster_k8s", "K8sRunLauncher")
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(yaml.safe_dump(FAKE_KUBECONFIG))
    config = launcher_config["config"] | {"load_incluster_config": False, "kubeconfig_file": str(kubeconfig)}
    launcher = rehydrate({"module": "dagster_k8s", "class": "K8sRunLauncher", "config": config})
    assert isinstance(launcher, K8sRunLauncher)

    run = dg.DagsterRun(job_name="lake_partitions_job", run_id="0f0f0f0f-0000-4000-8000-000000000000")
    context = K8sContainerContext.create_for_run(run, launcher, include_run_tags=True)
    job = construct_dagster_k8s_job(
        job_config=context.get_k8s_job_config(job_image="news-warehouse:1", run_launcher=launcher),
        args=["dagster", "api", "execute_run", "{}"],
        job_name="dagster-run-0f0f0f0f",
        pod_name="dagster-run-0f0f0f0f",
        component="run_worker",
        user_defined_k8s_config=context.run_k8s_config,
        labels={},
    )
    body = ApiClient().sanitize_for_serialization(job)
    pod = body["spec"]["template"]["spec"]
    (container,) = pod["containers"]

    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"]}
    assert claims == {
        "raw": "news-warehouse-raw",
        "lake": "news-warehouse-lake",
        "warehouse": "news-warehouse-warehouse",
    }
    mounts = {m["name"]: m for m in container["volumeMounts"]}
    assert mounts["raw"]["readOnly"] is True and mounts["raw"]["mountPath"] == "/data/raw"

    # The run pod rebuilds the instance from the reference in its command line, whose storage config reads
    # these variables: the password from the Secret, the rest copied from the daemon.
    env = {e["name"]: e for e in container["env"]}
    assert env["DAGSTER_PG_PASSWORD"]["valueFrom"]["secretKeyRef"] == {
        "name": "news-warehouse-postgresql",
        "key": "postgresql-password",
    }
    assert env["ETL_WAREHOUSE"]["value"].startswith(mounts["warehouse"]["mountPath"] + "/")
    assert env["ETL_RAW_DIR"]["value"] == mounts["raw"]["mountPath"]
    assert env["ETL_LAKE_DIR"]["value"] == mounts["lake"]["mountPath"]
    assert env["ETL_EXECUTOR"]["value"] == "k8s"
    assert int(env["ETL_BACKFILL_PARTITIONS_PER_RUN"]["value"]) > 0
    # Parser processes match the CPUs the pod asks for (os.cpu_count() would see the whole node).
    assert env["ETL_WORKERS"]["value"] == container["resources"]["requests"]["cpu"]
    assert {"DAGSTER_PG_HOST", "DAGSTER_PG_PORT", "DAGSTER_PG_USERNAME", "DAGSTER_PG_DB"} <= set(env)


@pytest.mark.parametrize("section", ["storage", "run_launcher", "run_coordinator", "concurrency"])
def test_instance_config_sets_each_deploy_concern(section):
    assert section in yaml.safe_load((DEPLOY / "dagster.yaml").read_text())
