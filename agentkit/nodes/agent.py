"""The ``agent`` node kind: a tool loop (ReAct) over the tools the node lists.

```yaml
assistant:
  kind: agent
  prompt: "File this receipt: {text}"
  tools: [ocr, send_email]
  allow_high_risk: {send_email: {to: "{owner}"}}   # the model never picks the recipient
  pin: {search_memory: {collection: receipts}}     # nor the collection it searches
  max_steps: 6
  output: answer
```

The model calls tools until it answers in text or ``max_steps`` replies were made.  Only
the listed tools run; a high-risk tool (``metadata={"risk": "high"}``) only when
``allow_high_risk`` names it, with the arguments the graph pins (templated from state).
``pin`` fixes arguments of any tool the same way, and a tool's data-selecting arguments
(``metadata={"data_args": [...]}``) that are not pinned keep the tool's defaults: the model
never sees or sets them.  A tool's refusal goes back to the model as the tool's result.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from agentkit.nodes import (
    BuildContext,
    GraphSpec,
    Name,
    NodeAction,
    NodeKind,
    NodeSpec,
    Problem,
    ToolName,
    call_tool,
    chat_messages,
    render,
    writes_type_problem,
)

__all__ = ["KIND", "AgentNode", "build_agent"]


class AgentNode(NodeSpec):
    """A tool loop (ReAct) over the named tools, ending after ``max_steps`` at most."""

    kind: Literal["agent"]
    prompt: str
    system: str | None = None
    model: str | None = None
    tools: list[ToolName] = Field(min_length=1)
    allow_high_risk: dict[ToolName, dict[str, Any]] = Field(
        default_factory=dict, description="high-risk tools (metadata risk: high) the model may call -> "
                                          "arguments the graph pins for them (templated from state)")
    pin: dict[Name, dict[str, Any]] = Field(
        default_factory=dict, description="tool -> arguments the graph fixes (templated from state); the model "
                                          "never sees or sets them")
    max_steps: int = Field(default=6, ge=1, le=100)
    output: Name

    def templates(self) -> dict[str, str | None]:
        pinned = {f"{key}.{tool}.{arg}": value for key, pins in (("allow_high_risk", self.allow_high_risk),
                                                                ("pin", self.pin))
                  for tool, args in pins.items() for arg, value in args.items() if isinstance(value, str)}
        return {"prompt": self.prompt, "system": self.system, **pinned}

    def check(self, graph: GraphSpec) -> list[Problem]:
        problem = writes_type_problem(graph, self.output, None)
        return [(("output",), problem)] if problem else []


def build_agent(name: str, node: AgentNode, context: BuildContext) -> NodeAction:
    tools = context.tools(node.tools, allow_high_risk=node.allow_high_risk, pin=node.pin)
    model = context.model(node.model).bind_tools([access.model_view() for access in tools.values()])

    def run(state: dict[str, Any]) -> dict[str, Any]:
        messages = chat_messages(render(node.system or "", state), render(node.prompt, state))
        reply = None
        for _ in range(node.max_steps):
            reply = model.invoke(messages)
            messages.append(reply)
            if not reply.tool_calls:
                break
            messages += [call_tool(call, tools, state=state, node=name) for call in reply.tool_calls]
        return {node.output: reply.content if reply is not None else ""}

    return run


KIND = NodeKind(name="agent", spec=AgentNode, build=build_agent)
