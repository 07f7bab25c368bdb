"""Shared test set-up: every test sees an empty agentkit cache unless it opts in.

Integration tests use the real models; they mark themselves ``integration``.
"""

from __future__ import annotations

import pytest

from agentkit.llm.registry import cache_dir


@pytest.fixture(scope="session")
def real_cache_dir() -> str:
    """The user's agentkit cache, where bootstrap assembled the default model."""
    return str(cache_dir())
