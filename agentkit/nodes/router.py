"""The ``router`` node kind: choose the next node by an expression over state, or by the LLM.

```yaml
triage:                       # a rule: an expression that evaluates to a label
  kind: router
  expression: "'picture' if image else 'text'"
  routes: {picture: look, text: answer}
  default: answer             # optional: where any other label goes
pick:                         # the model picks a label
  kind: router
  prompt: "Question: {question}"
  routes: {receipt: receipt, story: story}
```

The expression language is ``agentkit.nodes.expressions`` (never Python's ``eval``).  An
LLM router shows the model each label with its target node's ``description`` (choices
first, the request last) and decodes the label under a one-of grammar.
"""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.messages import HumanMessage
from pydantic import Field

from agentkit.errors import UserError
from agentkit.nodes import (
    BuildContext,
    BuiltNode,
    GraphSpec,
    Name,
    NodeKind,
    NodeSpec,
    Problem,
    Route,
    render,
    structured_output,
)
from agentkit.nodes.expressions import compile_expression

__all__ = ["KIND", "RouterNode", "build_router"]


class RouterNode(NodeSpec):
    """Choose the next node: by an expression over state, or by the LLM picking a label."""

    kind: Literal["router"]
    routes: dict[Name, Name] = Field(min_length=1, description="label -> target node (or 'end')")
    expression: str | None = Field(default=None, description="evaluates to a label")
    prompt: str | None = Field(default=None, description="asks the LLM to choose a label")
    model: str | None = None
    default: Name | None = None

    def templates(self) -> dict[str, str | None]:
        return {"prompt": self.prompt}

    def branches(self) -> list[Route]:
        routes = [Route(target=target, label=label, key=f"routes.{label}") for label, target in self.routes.items()]
        return routes + ([Route(target=self.default, label="default", key="default")] if self.default else [])

    def check(self, graph: GraphSpec) -> list[Problem]:
        if (self.expression is None) == (self.prompt is None):
            return [((), "a router needs exactly one of 'expression' or 'prompt'")]
        return []


def build_router(name: str, node: RouterNode, context: BuildContext) -> BuiltNode:
    labels = list(node.routes)

    def target(label: Any) -> str:
        label = str(label)
        if label in node.routes:
            return node.routes[label]
        if node.default:
            return node.default
        raise UserError(f"router {name!r} chose {label!r}, which is not one of its routes: {', '.join(labels)}")

    if node.expression is not None:
        evaluate = compile_expression(node.expression, set(context.graph.state))
        return BuiltNode(action=lambda state: {}, route=lambda state: target(evaluate(state)))

    model = structured_output(context.model(node.model), {"title": "choice", "type": "object",
                                                          "properties": {"label": {"enum": labels}},
                                                          "required": ["label"]})
    # Each label with what its target does (the target node's description), so the model
    # chooses between specialists by what they are for, not by their names alone; the
    # choices come first and the request last, which the 0.5B default model follows best.
    nodes = context.graph.nodes
    choices = "\n".join(f"- {label}: {nodes[to].description}" if to in nodes and nodes[to].description
                        else f"- {label}" for label, to in node.routes.items())
    prompt = node.prompt or ""

    def ask(state: dict[str, Any]) -> str:
        question = f"Choices:\n{choices}\n\n{render(prompt, state)}\nReply with the label of the one choice that fits."
        return target(model.invoke([HumanMessage(question)])["label"])

    return BuiltNode(action=lambda state: {}, route=ask)


KIND = NodeKind(name="router", spec=RouterNode, build=build_router)
