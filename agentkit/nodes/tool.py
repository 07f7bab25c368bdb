"""The ``tool`` node kind: call one tool directly, its arguments templated from state.

```yaml
read: {kind: tool, tool: ocr, args: {image: "{image}", text_only: true}, output: text}
```

An argument that is exactly ``"{field}"`` passes the field's value with its type (a
list, bytes); any other string is rendered as a template; other values are passed as
written.  A tool that refuses its arguments fails the run with a message naming the
node and the tool.
"""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.tools import ToolException
from pydantic import Field, ValidationError

from agentkit.errors import UserError
from agentkit.nodes import BuildContext, Name, NodeAction, NodeKind, NodeSpec, ToolName, fill

__all__ = ["KIND", "ToolNode", "build_tool"]


class ToolNode(NodeSpec):
    """Call one tool directly, its arguments templated from state."""

    kind: Literal["tool"]
    tool: ToolName
    args: dict[str, Any] = Field(default_factory=dict)
    output: Name

    def templates(self) -> dict[str, str | None]:
        return {f"args.{key}": value for key, value in self.args.items() if isinstance(value, str)}


def build_tool(name: str, node: ToolNode, context: BuildContext) -> NodeAction:
    tool = context.tool(node.tool)

    def run(state: dict[str, Any]) -> dict[str, Any]:
        try:
            return {node.output: tool.invoke({key: fill(value, state) for key, value in node.args.items()})}
        except ValidationError as exc:  # the args the graph built from state do not fit the tool
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'args'}: {e['msg']}" for e in exc.errors())
            raise UserError(f"node {name!r}: tool {node.tool!r} refused its arguments: {problems}") from None
        except ToolException as exc:  # the tool refused the call (a ToolError, or a plain ToolException)
            raise UserError(f"node {name!r}: tool {node.tool!r} refused the call: {exc}") from None

    return run


KIND = NodeKind(name="tool", spec=ToolNode, build=build_tool)
