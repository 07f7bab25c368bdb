"""Building a spec in Python: the same ``GraphSpec`` a YAML file produces.

    spec = (GraphBuilder("qa")
            .field("question", "str").field("answer", "str")
            .inputs("question").outputs("answer")
            .node("answer", "llm", prompt="Q: {question}", output="answer")
            .build())

Keyword arguments of ``node`` are the YAML keys of that node kind; ``build``
runs the same checks as loading a file and raises the same ``SpecError``.
"""

from __future__ import annotations

import copy
from typing import Any

from agentkit.spec.loader import validate_data
from agentkit.spec.models import GraphSpec

__all__ = ["GraphBuilder"]


class GraphBuilder:
    """A mutable builder; ``build()`` returns the immutable, checked spec."""

    def __init__(self, name: str, *, description: str = "", recursion_limit: int = 25) -> None:
        self._data: dict[str, Any] = {"name": name, "description": description, "state": {}, "input": [],
                                      "output": [], "nodes": {}, "edges": [], "recursion_limit": recursion_limit}
        self._entry: str | None = None

    def field(self, name: str, type: str = "any", *, reducer: str = "replace", default: Any = None,
              optional: bool = False, description: str = "") -> GraphBuilder:
        self._data["state"][name] = {"type": type, "reducer": reducer, "default": default,
                                     "optional": optional, "description": description}
        return self

    def inputs(self, *names: str) -> GraphBuilder:
        self._data["input"] += list(names)
        return self

    def outputs(self, *names: str) -> GraphBuilder:
        self._data["output"] += list(names)
        return self

    def node(self, name: str, kind: str, **params: Any) -> GraphBuilder:
        """Add a node; the first node added is the entry unless ``entry`` says otherwise."""
        self._data["nodes"][name] = {"kind": kind, **params}
        self._entry = self._entry or name
        return self

    def edge(self, source: str, target: str) -> GraphBuilder:
        self._data["edges"].append({"from": source, "to": target})
        return self

    def entry(self, name: str) -> GraphBuilder:
        self._entry = name
        return self

    def build(self) -> GraphSpec:
        data = copy.deepcopy(self._data)
        data["entry"] = self._entry or ""
        return validate_data(data, source=f"<builder {self._data['name']}>")
