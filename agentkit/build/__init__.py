"""Building specs into LangGraph graphs."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from agentkit.build.compile import BuildOptions, GraphBuildError, compile_spec
from agentkit.spec import GraphSpec, load_spec

__all__ = ["BuildOptions", "GraphBuildError", "compile_spec", "load"]


def load(source: str | Path | GraphSpec, *, allow_imports: bool = False, checkpointer: Any = None,
         model_factory: Callable[[str | None], Any] | None = None) -> Any:
    """Load (a path or a ``GraphSpec``), check and compile a graph; returns the LangGraph runnable.

    Subgraph paths resolve from the spec's own file (the working directory for a
    spec built in Python).  ``checkpointer``: None (no persistence), ``"sqlite"``
    (the workspace's ``runs.sqlite``), ``"memory"``, a ``.sqlite`` path or a LangGraph
    saver; pass ``{"configurable": {"thread_id": ...}}`` as the run config."""
    from agentkit.runtime.checkpoints import resolve_checkpointer

    spec = load_spec(source)
    checkpointer = resolve_checkpointer(checkpointer)
    return compile_spec(spec, options=BuildOptions.for_spec(
        spec, allow_imports=allow_imports, checkpointer=checkpointer, model_factory=model_factory))
