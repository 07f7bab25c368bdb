"""The workspace: the folder where agentkit keeps a project's state.

Memory collections (embedded Chroma), run checkpoints and recorded LLM calls
live under it.  It is ``./.agentkit`` in the current directory unless
``AGENTKIT_WORKSPACE`` names another folder; every part of agentkit asks here,
so one variable moves all of a project's state.  Models are not workspace state:
they live in the user's cache (``agentkit.cache.cache_dir``).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["workspace_dir", "workspace_path"]

ENV_VAR = "AGENTKIT_WORKSPACE"


def workspace_dir(*, create: bool = True) -> Path:
    """The workspace folder (created unless ``create`` is false)."""
    override = os.environ.get(ENV_VAR)
    path = Path(override).expanduser() if override else Path.cwd() / ".agentkit"
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path.resolve() if path.exists() else path.absolute()


def workspace_path(*parts: str, create_parent: bool = True) -> Path:
    """A path inside the workspace, e.g. ``workspace_path("memory")``; its parent exists."""
    path = workspace_dir(create=create_parent).joinpath(*parts)
    if create_parent:
        path.parent.mkdir(parents=True, exist_ok=True)
    return path
