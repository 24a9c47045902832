"""deploy/k8s/*.yaml: each object parses into the kubernetes client's model of its kind (an unknown or
misplaced key fails), and the names the Helm values and dagster.yaml refer to are the ones defined here."""

from __future__ import annotations

import yaml
from dagster_k8s.models import k8s_model_from_dict, k8s_snake_case_dict
from deploy_support import DEPLOY
from kubernetes import client as k8s

MODELS = {
    "PersistentVolumeClaim": k8s.V1PersistentVolumeClaim,
    "Pod": k8s.V1Pod,
    "ServiceAccount": k8s.V1ServiceAccount,
    "Role": k8s.V1Role,
    "RoleBinding": k8s.V1RoleBinding,
}


def objects() -> list[dict]:
    return [
        doc
        for path in sorted((DEPLOY / "k8s").glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))
        if doc
    ]


def by_kind(kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects() if o["kind"] == kind}


def test_every_object_is_a_valid_model():
    kinds = []
    for obj in objects():
        model = MODELS[obj["kind"]]
        k8s_model_from_dict(model, k8s_snake_case_dict(model, obj))
        kinds.append(obj["kind"])
    assert set(kinds) == set(MODELS)


def test_claims_the_deploy_mounts_are_defined_and_shared(helm_values, instance_yaml):
    claims = by_kind("PersistentVolumeClaim")
    (deployment,) = helm_values["dagster-user-deployments"]["deployments"]
    for volumes in (deployment["volumes"], instance_yaml["run_launcher"]["config"]["volumes"]):
        for volume in volumes:
            claim = claims[volume["persistentVolumeClaim"]["claimName"]]
            # Pods of one run land on different nodes: every volume they mount must be ReadWriteMany.
            assert claim["spec"]["accessModes"] == ["ReadWriteMany"], claim["metadata"]["name"]


def test_reader_pod_cannot_write_the_warehouse():
    (pod,) = by_kind("Pod").values()
    (volume,) = pod["spec"]["volumes"]
    assert volume["persistentVolumeClaim"] == {"claimName": "news-warehouse-warehouse", "readOnly": True}
    (container,) = pod["spec"]["containers"]
    assert all(m["readOnly"] for m in container["volumeMounts"])


def test_service_account_of_dagster_yaml_may_manage_jobs_and_pods(instance_yaml):
    name = instance_yaml["run_launcher"]["config"]["service_account_name"]
    assert name in by_kind("ServiceAccount")
    (binding,) = by_kind("RoleBinding").values()
    assert {"kind": "ServiceAccount", "name": name} in binding["subjects"]
    rules = by_kind("Role")[binding["roleRef"]["name"]]["rules"]
    allowed = {(r, v) for rule in rules for r in rule["resources"] for v in rule["verbs"]}
    # What the K8sRunLauncher and the k8s_job_executor call: create and follow Jobs, read pods and logs.
    assert {
        ("jobs", "create"),
        ("jobs", "get"),
        ("jobs", "delete"),
        ("pods", "list"),
        ("pods/log", "get"),
    } <= allowed
