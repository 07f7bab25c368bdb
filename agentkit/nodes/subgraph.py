"""The ``subgraph`` node kind: another spec run as one node, with its fields mapped.

```yaml
documents:
  kind: subgraph
  graph: rag_qa                       # a path relative to this file, or a graph's name
  inputs: {question: question}        # child field: parent field
  outputs: {answer: answer}           # parent field: child field
```

The child graph is built when the parent is (a graph that includes itself is refused)
and runs with the child's own declared inputs and defaults.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from agentkit.errors import InputError
from agentkit.nodes import BuildContext, Name, NodeAction, NodeKind, NodeSpec

__all__ = ["KIND", "SubgraphNode", "build_subgraph"]


class SubgraphNode(NodeSpec):
    """Another spec run as one node, with input and output field mapping."""

    kind: Literal["subgraph"]
    graph: str = Field(description="a path relative to this file, or a shipped graph's name")
    inputs: dict[Name, Name] = Field(default_factory=dict, description="child field -> parent field")
    outputs: dict[Name, Name] = Field(default_factory=dict, description="parent field -> child field")

    WIRING_KEYS = ("graph", "inputs", "outputs")

    def reads(self) -> dict[str, str | None]:
        return {f"inputs.{child}": parent for child, parent in self.inputs.items()}

    def writes(self) -> dict[str, str | None]:
        return {f"outputs.{parent}": parent for parent in self.outputs}


def build_subgraph(name: str, node: SubgraphNode, context: BuildContext) -> NodeAction:
    child_spec, child = context.subgraph(node.graph)

    def run(state: dict[str, Any]) -> dict[str, Any]:
        given = {child_field: state.get(parent) for child_field, parent in node.inputs.items()}
        missing = child_spec.missing_inputs(given)
        if missing:
            raise InputError(f"subgraph node {name!r}: graph {child_spec.name!r} needs input "
                             f"{', '.join(map(repr, missing))}; map it under inputs: (child field: parent field)")
        result = child.invoke(child_spec.with_defaults(given))
        return {parent: result.get(child_field) for parent, child_field in node.outputs.items()}

    return run


KIND = NodeKind(name="subgraph", spec=SubgraphNode, build=build_subgraph)
