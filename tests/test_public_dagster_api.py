"""Dagster's public API only: no module under etl/, tests/, deploy/ or bench/ imports a private Dagster
module (`dagster._…`, `dagster_k8s._…`, …) or replaces an attribute of a Dagster object (a method patch). A
Dagster upgrade may change anything private without notice."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from etl.settings import PROJECT_ROOT

SCANNED = ("etl", "tests", "deploy", "bench")
# Code in a string, run by a subprocess or importlib: `from dagster._x…`, `import_module("dagster._x")`.
PRIVATE_IN_TEXT = re.compile(r"(?:^|\s|[\"'])(?:from|import)?\s*(dagster\w*\._\w+)", re.MULTILINE)


def python_files() -> list[Path]:
    return sorted(f for folder in SCANNED for f in (PROJECT_ROOT / folder).rglob("*.py"))


def is_dagster(module: str) -> bool:
    top = module.split(".")[0]
    return top == "dagster" or top.startswith("dagster_")


def private_imports(tree: ast.AST) -> list[str]:
    """Imported Dagster modules or names with a part starting with `_` (`dagster._x`, `from dagster import
    _x`), and the same inside strings (code for a subprocess, importlib)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            modules = PRIVATE_IN_TEXT.findall(node.value)
        else:
            continue
        private = [m for m in modules if is_dagster(m) and any(p.startswith("_") for p in m.split(".")[1:])]
        found += [f"line {node.lineno}: {m}" for m in private[:1]]
    return found


def dagster_names(tree: ast.AST) -> set[str]:
    """Names bound to Dagster modules or objects by imports (`import dagster as dg`, `from dagster import
    X`)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names if is_dagster(a.name)}
        elif isinstance(node, ast.ImportFrom) and node.module and is_dagster(node.module):
            names |= {a.asname or a.name for a in node.names}
    return names


def _root(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def attribute_patches(tree: ast.AST) -> list[str]:
    """Assignments that replace an attribute of a Dagster object: `dg.X.method = …`, `storage._private = …`
    (a private attribute of anything but `self`/`cls`, in a module that uses Dagster), `setattr(dg.X, …)`,
    `monkeypatch.setattr(dg.X, …)`."""
    dagster = dagster_names(tree)
    found = []
    if not dagster:
        return found

    def patched(target: ast.AST) -> bool:
        if not isinstance(target, ast.Attribute):
            return False
        if _root(target) in dagster:
            return True
        return target.attr.startswith("_") and _root(target) not in ("self", "cls")

    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        elif isinstance(node, ast.Call) and node.args:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("setattr", "delattr") and _root(node.args[0]) in dagster:
                found.append(f"line {node.lineno}: {name} on {ast.unparse(node.args[0])}")
        found += [f"line {node.lineno}: {ast.unparse(t)} = …" for t in targets if patched(t)]
    return found


@pytest.mark.parametrize("path", python_files(), ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_no_private_dagster_api(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert private_imports(tree) == [], "private Dagster modules; use the public API (`import dagster as dg`)"
    assert attribute_patches(tree) == [], "replaces an attribute of a Dagster object"


def test_the_scan_finds_what_it_forbids():
    private = "dagster." + "_core"  # spelled apart so that this file passes its own scan
    source = f"""
import dagster as dg
from {private}.launcher import DefaultRunLauncher
from dagster import _check
import dagster_graphql.{private[8:]}
probe = "from {private}.events import X"
storage = object()
storage._connect = None
dg.DagsterInstance.get = None
setattr(dg.DagsterInstance, "get", None)
self._fine = 1
"""
    tree = ast.parse(source)
    assert len(private_imports(tree)) == 4
    assert len(attribute_patches(tree)) == 3
    assert python_files(), "nothing scanned"
