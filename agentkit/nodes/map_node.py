"""The ``map`` node kind: fan out over a list field, one run of another node per item.

```yaml
fan:    {kind: map, over: xs, node: square, item: item, output: squares}
square: {kind: python, function: square_item, output: squares}   # sees {item} besides the state
```

Each item runs ``node`` once (LangGraph ``Send``), in parallel where it can, with the
item under the name ``item``; the results collect in ``output``, which must be a list
with the ``append`` reducer.
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.types import Send

from agentkit.nodes import BuildContext, BuiltNode, GraphSpec, Name, NodeKind, NodeSpec, Problem, Route

__all__ = ["KIND", "MapNode", "build_map"]


class MapNode(NodeSpec):
    """Fan out over a list field (LangGraph ``Send``), one run of ``node`` per item."""

    kind: Literal["map"]
    over: Name
    node: Name
    item: Name = "item"
    output: Name

    WIRING_KEYS = ("over", "item")

    def reads(self) -> dict[str, str | None]:
        return {"over": self.over}

    def branches(self) -> list[Route]:
        return [Route(target=self.node, label=f"each {self.item} in {self.over}", key="node")]

    def passes(self) -> dict[str, str]:
        return {self.node: self.item}

    def check(self, graph: GraphSpec) -> list[Problem]:
        target = graph.state.get(self.output)
        if target is not None and (target.type not in ("list", "any") or target.reducer != "append"):
            return [(("output",), f"map output {self.output!r} collects one result per item: declare it "
                                  f"{{type: list, reducer: append}} (it is {{type: {target.type}, reducer: "
                                  f"{target.reducer}}})")]
        return []


def build_map(name: str, node: MapNode, context: BuildContext) -> BuiltNode:
    def fan_out(state: dict[str, Any]) -> list[Send]:
        return [Send(node.node, {**state, node.item: item}) for item in state.get(node.over) or []]

    return BuiltNode(action=lambda state: {}, route=fan_out)


KIND = NodeKind(name="map", spec=MapNode, build=build_map)
