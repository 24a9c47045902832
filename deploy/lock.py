"""Write deploy/constraints.txt: the exact versions of news-warehouse[deploy] and everything it pulls in,
as installed in the running environment (the project's .venv, where the test suite passed).

    .venv/bin/python deploy/lock.py          # after changing a pin in pyproject.toml

The image installs these versions only, so what runs on Kubernetes is what was tested here.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = "news-warehouse"
EXTRAS = ("deploy",)
OUT = Path(__file__).resolve().parent / "constraints.txt"


def closure(root: str, extras: tuple[str, ...]) -> dict[str, str]:
    """Installed name -> version of every distribution `root[extras]` requires, transitively."""
    found: dict[str, str] = {}
    todo = [(root, frozenset(extras))]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, wanted = todo.pop()
        if (name, wanted) in seen:
            continue
        seen.add((name, wanted))
        dist = metadata.distribution(name)
        found[canonicalize_name(dist.metadata["Name"])] = dist.version
        for line in dist.requires or []:
            req = Requirement(line)
            if req.marker and not any(req.marker.evaluate({"extra": e}) for e in ("", *wanted)):
                continue
            todo.append((canonicalize_name(req.name), frozenset(req.extras)))
    found.pop(canonicalize_name(root))
    return found


def main() -> int:
    pins = closure(ROOT, EXTRAS)
    header = (
        f"# {ROOT}[{','.join(EXTRAS)}] and its dependencies, exact, as installed where the tests passed.\n"
        "# Written by deploy/lock.py; do not edit by hand.\n"
    )
    OUT.write_text(header + "".join(f"{name}=={pins[name]}\n" for name in sorted(pins)))
    print(f"{OUT}: {len(pins)} packages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
