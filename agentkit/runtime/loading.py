"""``load``: a graph spec, checked and compiled, ready to run with LangGraph's own API.

For durable runs with a run index, budgets, approvals and replay, use ``Runner``;
``load`` gives the plain LangGraph graph (``invoke``, every stream mode, interrupts)
on whichever checkpointer the caller names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agentkit.compile import ModelFactory, compile_spec
from agentkit.runtime.checkpoints import resolve_checkpointer
from agentkit.spec import GraphSpec, load_spec

__all__ = ["load", "model_override"]


def model_override(model: str | None, model_factory: ModelFactory | None = None) -> ModelFactory | None:
    """The model factory for runs on one model: with ``model``, every LLM node (whatever model it
    names) gets ``model``; otherwise ``model_factory`` (None: each node's own model).  An unknown
    name or a missing model package fails here, before anything runs."""
    if model is None:
        return model_factory

    def base(name: str | None) -> Any:
        if model_factory is not None:
            return model_factory(name)
        import agentkit.llm

        return agentkit.llm.get_chat_model(name)

    base(model)
    return lambda name: base(model)


def load(source: str | Path | GraphSpec, *, allow_imports: bool = False, checkpointer: Any = None,
         model_factory: ModelFactory | None = None) -> Any:
    """Load (a path, a shipped graph's name or a ``GraphSpec``), check and compile a graph;
    returns the LangGraph runnable.

    Subgraph paths resolve from the spec's own file (the working directory for a
    spec built in Python).  ``checkpointer``: None (no persistence), ``"sqlite"``
    (the workspace's ``runs.sqlite``), ``"memory"``, a ``.sqlite`` path or a LangGraph
    saver; pass ``{"configurable": {"thread_id": ...}}`` as the run config."""
    spec = load_spec(source)
    return compile_spec(spec, model_factory=model_factory, checkpointer=resolve_checkpointer(checkpointer),
                        allow_imports=allow_imports)
