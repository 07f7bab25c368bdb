"""pytest fixtures for testing agentkit graphs: ``pytest_plugins = ["agentkit.testing.pytest_plugin"]``.

- ``agentkit_registry``: the registry (node kinds, tools, functions, reducers) as it was
  before the test is restored after it, so what a test registers never leaks into another.
- A test not marked ``integration`` that loads real model weights fails, saying so:
  unit tests use ``agentkit.testing``'s fake models.
- The markers ``integration`` (uses the real model, Chroma, OCR...) and ``slow``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentkit.testing import isolated_registry, no_model_loading

__all__ = ["agentkit_registry"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "integration: uses the real model, Chroma store, OCR or other real parts")
    config.addinivalue_line("markers", "slow: takes long (minutes); deselect with -m 'not slow'")


@pytest.fixture()
def agentkit_registry() -> Iterator[None]:
    """What the test registers is forgotten after it."""
    with isolated_registry():
        yield


@pytest.fixture(autouse=True)
def _agentkit_no_weights_in_unit_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("integration") is not None:
        yield
        return
    with no_model_loading(f"{request.node.nodeid} loaded real model weights but is not marked integration: "
                          f"use agentkit.testing's fake models, or mark it @pytest.mark.integration"):
        yield
