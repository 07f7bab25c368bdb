"""A test that needs something the machine lacks (a PostgreSQL server, Chromium, the 1.5B model):
skipped on a developer's machine with the reason and how to get it, but a failure in CI, where
.ci/run installs and starts all of them, so a missing piece can never pass CI as a skip."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

STRICT_ENV = "AGENTKIT_TEST_STRICT"


def strict() -> bool:
    """True in CI: ``AGENTKIT_TEST_STRICT=1`` (.ci/run sets it) or ``CI`` set."""
    return os.environ.get(STRICT_ENV) == "1" or bool(os.environ.get("CI"))


def missing(reason: str, *, module: bool = False) -> NoReturn:
    """Skip with ``reason``, or fail with it in CI."""
    if strict():
        pytest.fail(f"{reason} ({STRICT_ENV}=1: CI must run this test)", pytrace=False)
    pytest.skip(reason, allow_module_level=module)


def module(name: str, extra: str, *, module_level: bool = False) -> object:
    """``import name``, or skip (fail in CI) naming the extra that installs it."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        missing(f"needs {name}: pip install 'agentkit[{extra}]'", module=module_level)
