"""What the Dagster Helm chart (dagster/dagster 1.13) knows and renders, for checking deploy/helm/values.yaml
without helm (not installable here, and the chart's values.schema.json is not packaged with dagster-k8s).

CHART_KEYS lists, for the sections deploy/ sets, the keys of the chart's own values schema (the pydantic
models under helm/dagster/schema in the dagster repository: values.py, subschema/{postgresql,run_launcher,
daemon,concurrency,global_}.py, dagster_user_deployments/subschema/user_deployments.py). A misspelt key is
silently ignored by helm; here it fails. Kubernetes objects inside the values (volumes, env, resources) are
checked against the kubernetes client's models instead (see test_helm_values.py).

instance_from_values() mirrors templates/configmap-instance.yaml and its helpers for the same sections:
the dagster.yaml the chart would write, which the tests validate with Dagster's own instance schema.
"""

from __future__ import annotations

from typing import Any

ANY = None  # any value (scalars, or objects checked elsewhere)

_K8S_POD_FIELDS = dict.fromkeys(
    ["annotations", "nodeSelector", "affinity", "tolerations", "podSecurityContext", "securityContext"], ANY
)

USER_DEPLOYMENT = {
    "name": ANY,
    "image": {"repository": ANY, "tag": ANY, "pullPolicy": ANY},
    "dagsterApiGrpcArgs": ANY,
    "codeServerArgs": ANY,
    "includeConfigInLaunchedRuns": {"enabled": ANY},
    "port": ANY,
    "env": ANY,
    "envConfigMaps": ANY,
    "envSecrets": ANY,
    **_K8S_POD_FIELDS,
    "resources": ANY,
    "livenessProbe": ANY,
    "readinessProbe": ANY,
    "startupProbe": ANY,
    "labels": ANY,
    "volumeMounts": ANY,
    "volumes": ANY,
    "schedulerName": ANY,
}

TAG_LIMIT = {"key": ANY, "value": ANY, "limit": ANY}

CHART_KEYS: dict[str, Any] = {
    "postgresql": {
        "image": ANY,
        "enabled": ANY,
        "postgresqlHost": ANY,
        "postgresqlUsername": ANY,
        "postgresqlPassword": ANY,
        "postgresqlDatabase": ANY,
        "postgresqlParams": ANY,
        "postgresqlScheme": ANY,
        "service": {"port": ANY},
    },
    "generatePostgresqlPasswordSecret": ANY,
    "global": dict.fromkeys(
        [
            "postgresqlSecretName",
            "dagsterHome",
            "serviceAccountName",
            "celeryConfigSecretName",
            "dagsterInstanceConfigMap",
        ],
        ANY,
    ),
    "dagster-user-deployments": {
        "enabled": ANY,
        "enableSubchart": ANY,
        "imagePullSecrets": ANY,
        "deployments": [USER_DEPLOYMENT],
    },
    "runLauncher": {
        "type": ANY,
        "config": {
            "k8sRunLauncher": dict.fromkeys(
                [
                    "image",
                    "imagePullPolicy",
                    "jobNamespace",
                    "loadInclusterConfig",
                    "kubeconfigFile",
                    "envConfigMaps",
                    "envSecrets",
                    "envVars",
                    "volumeMounts",
                    "volumes",
                    "labels",
                    "failPodOnRunFailure",
                    "resources",
                    "schedulerName",
                    "securityContext",
                    "runK8sConfig",
                ],
                ANY,
            ),
        },
    },
    "dagsterDaemon": {
        "enabled": ANY,
        "image": ANY,
        "runCoordinator": {
            "enabled": ANY,
            "type": ANY,
            "config": {
                "queuedRunCoordinator": dict.fromkeys(
                    [
                        "maxConcurrentRuns",
                        "tagConcurrencyLimits",
                        "dequeueIntervalSeconds",
                        "dequeueNumWorkers",
                        "dequeueUseThreads",
                    ],
                    ANY,
                ),
            },
        },
        "heartbeatTolerance": ANY,
        "env": ANY,
        "envConfigMaps": ANY,
        "envSecrets": ANY,
        "deploymentLabels": ANY,
        "labels": ANY,
        **_K8S_POD_FIELDS,
        "resources": ANY,
        "livenessProbe": ANY,
        "readinessProbe": ANY,
        "startupProbe": ANY,
        # run_monitoring / run_retries keys the instance template reads (camelCase in values)
        "runMonitoring": dict.fromkeys(
            [
                "enabled",
                "startTimeoutSeconds",
                "cancelTimeoutSeconds",
                "maxResumeRunAttempts",
                "pollIntervalSeconds",
                "freeSlotsAfterRunEndSeconds",
            ],
            ANY,
        ),
        "runRetries": {"enabled": ANY, "maxRetries": ANY},
        "sensors": {"useThreads": ANY, "numWorkers": ANY, "numSubmitWorkers": ANY},
        "schedules": {"useThreads": ANY, "numWorkers": ANY, "numSubmitWorkers": ANY},
        "schedulerName": ANY,
        "volumeMounts": ANY,
        "volumes": ANY,
    },
    "concurrency": {
        "enabled": ANY,
        "pools": {"defaultLimit": ANY, "granularity": ANY, "opGranularityRunBuffer": ANY},
        "runs": {"maxConcurrentRuns": ANY, "tagConcurrencyLimits": [TAG_LIMIT]},
    },
    "telemetry": {"enabled": ANY},
    "additionalInstanceConfig": ANY,
}


def unknown_keys(values: Any, spec: Any, where: str = "") -> list[str]:
    """Paths in `values` that the chart's schema (`spec`) does not have."""
    if spec is ANY:
        return []
    if isinstance(spec, list):
        items = values if isinstance(values, list) else []
        return [p for i, item in enumerate(items) for p in unknown_keys(item, spec[0], f"{where}[{i}]")]
    if not isinstance(values, dict):
        return [f"{where} (expected a mapping)"]
    found = []
    for key, value in values.items():
        path = f"{where}.{key}" if where else key
        found += [path] if key not in spec else unknown_keys(value, spec[key], path)
    return found


def _postgres(values: dict) -> dict:
    pg = values["postgresql"]
    db = {
        "username": pg["postgresqlUsername"],
        "password": {"env": "DAGSTER_PG_PASSWORD"},
        "hostname": pg.get("postgresqlHost") or "news-warehouse-postgresql",  # the chart's own service
        "db_name": pg["postgresqlDatabase"],
        "port": pg["service"]["port"],
        "params": pg.get("postgresqlParams", {}),
    }
    if pg.get("postgresqlScheme"):
        db["scheme"] = pg["postgresqlScheme"]
    return {"postgres_db": db}


def _k8s_run_launcher(values: dict) -> dict:
    k8s = values["runLauncher"]["config"]["k8sRunLauncher"]
    config = {
        "load_incluster_config": k8s["loadInclusterConfig"],
        "job_namespace": k8s.get("jobNamespace") or "news-warehouse",
        "service_account_name": "news-warehouse",
        "instance_config_map": "news-warehouse-instance",
        "postgres_password_secret": values.get("global", {}).get("postgresqlSecretName")
        or "news-warehouse-postgresql-secret",
        "dagster_home": "/opt/dagster/dagster_home",
        "env_config_maps": ["news-warehouse-pipeline-env", *k8s.get("envConfigMaps", [])],
        "env_secrets": list(k8s.get("envSecrets", [])),
        "env_vars": list(k8s.get("envVars", [])),
        "volume_mounts": list(k8s.get("volumeMounts", [])),
        "volumes": list(k8s.get("volumes", [])),
    }
    snake = {"failPodOnRunFailure": "fail_pod_on_run_failure", "resources": "resources", "labels": "labels"}
    config |= {snake[k]: k8s[k] for k in snake if k8s.get(k) is not None}
    return {"module": "dagster_k8s", "class": "K8sRunLauncher", "config": config}


def _queued_run_coordinator(values: dict) -> dict:
    qrc = values["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"] or {}
    snake = {
        "maxConcurrentRuns": "max_concurrent_runs",
        "tagConcurrencyLimits": "tag_concurrency_limits",
        "dequeueIntervalSeconds": "dequeue_interval_seconds",
        "dequeueNumWorkers": "dequeue_num_workers",
        "dequeueUseThreads": "dequeue_use_threads",
    }
    config = {snake[k]: v for k, v in qrc.items() if v is not None}
    return {"module": "dagster.core.run_coordinator", "class": "QueuedRunCoordinator", "config": config}


def _concurrency(values: dict) -> dict:
    c = values["concurrency"]
    pools = {
        snake: c["pools"][camel]
        for camel, snake in [
            ("defaultLimit", "default_limit"),
            ("granularity", "granularity"),
            ("opGranularityRunBuffer", "op_granularity_run_buffer"),
        ]
        if c["pools"].get(camel) is not None
    }
    runs = {}
    if c["runs"].get("maxConcurrentRuns") is not None:
        runs["max_concurrent_runs"] = c["runs"]["maxConcurrentRuns"]
    if c["runs"].get("tagConcurrencyLimits"):
        runs["tag_concurrency_limits"] = c["runs"]["tagConcurrencyLimits"]
    return {"pools": pools, "runs": runs}


def instance_from_values(values: dict) -> dict:
    """The dagster.yaml the chart renders from `values`, for the sections deploy/helm/values.yaml sets."""
    storage = _postgres(values)
    daemon = values["dagsterDaemon"]
    instance: dict[str, Any] = {
        "scheduler": {"module": "dagster.core.scheduler", "class": "DagsterDaemonScheduler"},
        "schedule_storage": {
            "module": "dagster_postgres.schedule_storage",
            "class": "PostgresScheduleStorage",
            "config": storage,
        },
        "run_storage": {
            "module": "dagster_postgres.run_storage",
            "class": "PostgresRunStorage",
            "config": storage,
        },
        "event_log_storage": {
            "module": "dagster_postgres.event_log",
            "class": "PostgresEventLogStorage",
            "config": storage,
        },
        "run_launcher": _k8s_run_launcher(values),
        "telemetry": {"enabled": values.get("telemetry", {}).get("enabled", True)},
    }
    if daemon["enabled"] and daemon["runCoordinator"]["enabled"]:
        assert daemon["runCoordinator"]["type"] == "QueuedRunCoordinator"
        instance["run_coordinator"] = _queued_run_coordinator(values)
    monitoring = daemon.get("runMonitoring", {})
    if monitoring.get("enabled"):
        instance["run_monitoring"] = {
            snake: monitoring[camel]
            for camel, snake in [
                ("enabled", "enabled"),
                ("startTimeoutSeconds", "start_timeout_seconds"),
                ("pollIntervalSeconds", "poll_interval_seconds"),
                ("freeSlotsAfterRunEndSeconds", "free_slots_after_run_end_seconds"),
            ]
            if camel in monitoring
        }
    for section in ("sensors", "schedules"):
        s = daemon.get(section, {})
        if s.get("useThreads"):
            instance[section] = {"use_threads": True} | (
                {"num_workers": s["numWorkers"]} if s.get("numWorkers") else {}
            )
    if values.get("concurrency", {}).get("enabled"):
        instance["concurrency"] = _concurrency(values)
    instance |= values.get("additionalInstanceConfig") or {}
    return instance


def code_location_container_context(values: dict, deployment: dict) -> dict:
    """What includeConfigInLaunchedRuns hands to run pods (templates/helpers/_helpers.tpl of the
    dagster-user-deployments subchart: k8sContainerContext)."""
    k8s: dict[str, Any] = {
        "image_pull_policy": deployment["image"]["pullPolicy"],
        "env_config_maps": [f"news-warehouse-{deployment['name']}-user-env"]
        + [c["name"] for c in deployment.get("envConfigMaps", []) if "name" in c],
        "namespace": "news-warehouse",
        "service_account_name": "news-warehouse-user-deployments",
    }
    secrets = [s["name"] for s in deployment.get("envSecrets", []) if "name" in s]
    if secrets:
        k8s["env_secrets"] = secrets
    for key, snake in [("volumeMounts", "volume_mounts"), ("volumes", "volumes"), ("resources", "resources")]:
        if deployment.get(key):
            k8s[snake] = deployment[key]
    if isinstance(deployment.get("env"), list):
        k8s["env"] = deployment["env"]
    return {"k8s": k8s}
