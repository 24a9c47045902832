"""deploy/helm/*.yaml: keys the Dagster chart knows, Kubernetes objects the API accepts, the instance the
chart would render valid for Dagster, equivalent to deploy/dagster.yaml, and run pods that get the code
location's volumes and environment with the run launcher's size."""

from __future__ import annotations

import copy
import importlib

import dagster as dg
import pytest
import yaml
from dagster_k8s.container_context import K8sContainerContext
from dagster_k8s.job import construct_dagster_k8s_job
from dagster_k8s.models import k8s_model_from_dict, k8s_snake_case_dict
from deploy_chart import CHART_KEYS, code_location_container_context, instance_from_values, unknown_keys
from deploy_support import (
    DEPLOY,
    FAKE_KUBECONFIG,
    load_yaml,
    processed_config,
    rehydrate,
    the_deployment,
)
from kubernetes import client as k8s
from kubernetes.client import ApiClient

EXTERNAL_PG = DEPLOY / "helm" / "values-external-postgres.yaml"


def deep_merge(base: dict, over: dict) -> dict:
    """How helm combines -f files: mappings merge key by key, anything else is replaced."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        out[key] = (
            deep_merge(out[key], value)
            if isinstance(value, dict) and isinstance(out.get(key), dict)
            else value
        )
    return out


@pytest.mark.parametrize("path", ["values.yaml", "values-external-postgres.yaml"])
def test_values_use_only_keys_the_chart_knows(path):
    assert unknown_keys(load_yaml(DEPLOY / "helm" / path), CHART_KEYS) == []


def test_the_key_check_catches_a_misspelt_key(helm_values):
    broken = copy.deepcopy(helm_values)
    broken["runLauncher"]["config"]["k8sRunLauncher"]["volumeMount"] = []
    the_deployment(broken)["evn"] = {}
    assert unknown_keys(broken, CHART_KEYS) == [
        "dagster-user-deployments.deployments[0].evn",
        "runLauncher.config.k8sRunLauncher.volumeMount",
    ]


def test_kubernetes_objects_are_valid_models(helm_values):
    launcher = helm_values["runLauncher"]["config"]["k8sRunLauncher"]
    d = the_deployment(helm_values)
    checks = [
        *[(k8s.V1Volume, v) for v in d["volumes"] + launcher["volumes"]],
        *[(k8s.V1VolumeMount, m) for m in d["volumeMounts"] + launcher["volumeMounts"]],
        *[(k8s.V1EnvVar, e) for e in d["env"]],
        (k8s.V1ResourceRequirements, d["resources"]),
    ]
    for model, obj in checks:
        k8s_model_from_dict(model, k8s_snake_case_dict(model, obj))  # raises on an unknown or mistyped key
    mounted = {m["name"] for m in d["volumeMounts"]}
    assert mounted == {v["name"] for v in d["volumes"]}


def test_chart_rules_the_values_must_respect(helm_values):
    # The chart fails to render when run limits are set both under concurrency and in the run coordinator.
    qrc = helm_values["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]
    assert not {"maxConcurrentRuns", "tagConcurrencyLimits"} & set(qrc)
    assert helm_values["runLauncher"]["type"] == "K8sRunLauncher"
    assert helm_values["dagsterDaemon"]["runCoordinator"]["type"] == "QueuedRunCoordinator"
    d = the_deployment(helm_values)
    assert d["includeConfigInLaunchedRuns"]["enabled"] is True
    # The pod size is set once, on the code location (copied onto run pods, over the launcher's).
    assert d["resources"] and "resources" not in helm_values["runLauncher"]["config"]["k8sRunLauncher"]


@pytest.mark.parametrize("overlay", [None, EXTERNAL_PG], ids=["chart-postgres", "external-postgres"])
def test_rendered_instance_validates_against_dagsters_schema(helm_values, overlay, monkeypatch):
    values = deep_merge(helm_values, load_yaml(overlay)) if overlay else helm_values
    config = instance_from_values(values)
    monkeypatch.setenv("DAGSTER_PG_PASSWORD", "x")  # from the Secret in the pods
    for section in ("run_storage", "event_log_storage", "schedule_storage"):
        if section in config:  # each is checked against its class's schema (raises if invalid)
            processed_config(_class_of(config[section]), config[section].get("config") or {})
    db = config["run_storage"]["config"]["postgres_db"]
    assert db["scheme"] == "postgresql+psycopg2"
    if overlay:
        assert db["hostname"] == "postgres.example.internal" and db["params"] == {"sslmode": "require"}
        assert config["run_launcher"]["config"]["postgres_password_secret"] == "news-warehouse-postgresql"


def _class_of(section: dict):
    return getattr(importlib.import_module(section["module"]), section["class"])


def test_helm_values_and_dagster_yaml_describe_the_same_instance(helm_values, instance_yaml):
    rendered = instance_from_values(helm_values)
    assert rendered["concurrency"] == instance_yaml["concurrency"]
    assert rendered["run_coordinator"]["class"] == instance_yaml["run_coordinator"]["class"]
    assert rendered["run_coordinator"]["config"] == instance_yaml["run_coordinator"]["config"]
    for section in ("run_monitoring", "sensors", "schedules", "backfills", "telemetry"):
        assert rendered[section] == instance_yaml[section], section
    pg = instance_yaml["storage"]["postgres"]["postgres_db"]
    assert rendered["run_storage"]["config"]["postgres_db"]["scheme"] == pg["scheme"]

    launcher = instance_yaml["run_launcher"]["config"]
    assert the_deployment(helm_values)["resources"] == launcher["resources"]
    assert (
        rendered["run_launcher"]["config"]["fail_pod_on_run_failure"] == launcher["fail_pod_on_run_failure"]
    )
    d = the_deployment(helm_values)
    assert d["volumes"] == launcher["volumes"] and d["volumeMounts"] == launcher["volume_mounts"]
    helm_env = {e["name"]: e["value"] for e in d["env"]}
    yaml_env = dict(v.split("=", 1) for v in launcher["env_vars"] if "=" in v)
    assert helm_env == yaml_env


def test_run_pod_gets_the_code_locations_config_and_size(helm_values, tmp_path):
    """What K8sRunLauncher merges for a run of the code location: its own config (rendered from the values),
    then the container context includeConfigInLaunchedRuns hands over, which wins."""
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(yaml.safe_dump(FAKE_KUBECONFIG))
    launcher_config = instance_from_values(helm_values)["run_launcher"]["config"]
    launcher_config |= {"load_incluster_config": False, "kubeconfig_file": str(kubeconfig)}
    launcher = rehydrate({"module": "dagster_k8s", "class": "K8sRunLauncher", "config": launcher_config})
    run = dg.DagsterRun(job_name="warehouse_job", run_id="0f0f0f0f-0000-4000-8000-000000000001")
    location = code_location_container_context(helm_values, the_deployment(helm_values))
    context = K8sContainerContext.create_for_run(run, launcher, include_run_tags=True).merge(
        K8sContainerContext.create_from_config(location)
    )
    job = construct_dagster_k8s_job(
        job_config=context.get_k8s_job_config(job_image="news-warehouse:1", run_launcher=launcher),
        args=["dagster", "api", "execute_run", "{}"],
        job_name="dagster-run-0f0f0f0f",
        pod_name="dagster-run-0f0f0f0f",
        component="run_worker",
        user_defined_k8s_config=context.run_k8s_config,
        labels={},
    )
    pod = ApiClient().sanitize_for_serialization(job)["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert {v["name"] for v in pod["volumes"]} == {"raw", "lake", "warehouse"}
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env["ETL_EXECUTOR"] == "k8s" and env["ETL_WAREHOUSE"] == "/data/warehouse/warehouse.duckdb"
    assert container["resources"] == the_deployment(helm_values)["resources"]
    assert env["ETL_WORKERS"] == container["resources"]["requests"]["cpu"]
