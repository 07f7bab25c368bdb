"""Shared test set-up: every test gets its own empty workspace (runs, memory, images).

Integration tests use the real models; they mark themselves ``integration``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentkit.llm.registry import cache_dir
from tests._databases import postgres_schema

# agentkit's own pytest plugin: the registry restored after each test that asks for it
# (agentkit_registry), real weights refused outside integration tests, the markers.
pytest_plugins = ["agentkit.testing.pytest_plugin"]


@pytest.fixture(scope="session")
def real_cache_dir() -> str:
    """The user's agentkit cache, where bootstrap assembled the default model."""
    return str(cache_dir())


@pytest.fixture(autouse=True)
def isolated_workspace(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test's run database, memory store and image outputs live in a fresh folder,
    never in the checkout's ``.agentkit`` (a test may set ``AGENTKIT_WORKSPACE`` itself)."""
    path = str(tmp_path_factory.mktemp("workspace"))
    monkeypatch.setenv("AGENTKIT_WORKSPACE", path)
    return path



@pytest.fixture(params=["sqlite", "postgres"])
def run_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str | Path]:
    """A run database for the test: an SQLite file, then (a second run of the test) a fresh schema
    on the PostgreSQL test server (skipped, saying why, when AGENTKIT_TEST_DATABASE_URL is unset)."""
    if request.param == "sqlite":
        yield tmp_path_factory.mktemp("db") / "runs.sqlite"
        return
    with postgres_schema() as url:
        yield url
