"""Shared test set-up: every test gets its own empty workspace (runs, memory, images).

Integration tests use the real models; they mark themselves ``integration``.
"""

from __future__ import annotations

import pytest

from agentkit.llm.registry import cache_dir

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

