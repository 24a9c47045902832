"""Shared fixtures. The real corpus lives beside the project in ../shared and is read at test time only."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED_DIR / "corpus").is_dir():
        pytest.skip(f"real corpus not found at {SHARED_DIR}/corpus (it is read at test time, never copied)")
    return SHARED_DIR


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus"


@pytest.fixture(autouse=True)
def _default_sigterm():
    """SIGTERM back to its default after each test. A Dagster run executed in process (materialize,
    execute_job) leaves SIGTERM raising KeyboardInterrupt in the pytest worker; a multiprocessing pool forked
    later in that worker (the corpus fixture's) inherits it, and its exit then hung the whole session (seen:
    the pytest worker in waitpid on a pool worker that its SIGTERM had not ended, blocked for 20 minutes on
    a multiprocessing lock, most likely one its interrupted sibling held)."""
    yield
    if signal.getsignal(signal.SIGTERM) is signal.default_int_handler:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
