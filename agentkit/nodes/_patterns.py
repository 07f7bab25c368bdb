"""What the reasoning-pattern node kinds share: the keys every pattern has (``prompt``, ``system``,
``model``, ``output``), and running a compiled inner graph with a
recursion limit derived from the node's bound."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from agentkit.nodes import NodeSpec, check_template, render

__all__ = ["PatternNode", "clip", "outputs", "run_inner"]

_RESULT_CHARS = 2000  # how much of one earlier result a later prompt quotes


class PatternNode(NodeSpec):
    """Keys shared by the pattern kinds; ``prompt`` and ``system`` are ``{field}`` templates."""

    prompt: str = Field(min_length=1, description="the task, a template over state")
    system: str | None = Field(default=None, description="a system message, a template over state")
    model: str | None = None
    output: str

    @field_validator("prompt", "system")
    @classmethod
    def _template(cls, value: str | None) -> str | None:
        return check_template(value)

    def templates(self) -> dict[str, str | None]:
        """Templates a spec's checks compare with its state fields."""
        return {"prompt": self.prompt, "system": self.system}

    def rendered(self, state: dict[str, Any]) -> dict[str, str]:
        """``task`` and ``system`` for the inner graph, rendered from the parent's state."""
        return {"task": render(self.prompt, state), "system": render(self.system, state) if self.system else ""}


def clip(text: Any, limit: int = _RESULT_CHARS) -> str:
    """``text`` cut to ``limit`` characters for quoting in a later prompt."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + f" ... [{len(text) - limit} more characters]"


def run_inner(graph: Any, node: PatternNode, state: dict[str, Any], start: dict[str, Any],
              supersteps: int) -> dict[str, Any]:
    """Invoke a pattern's compiled inner graph on ``task`` and ``system`` rendered from the
    parent's ``state`` plus ``start``; ``supersteps`` is the most steps the node's bound
    allows, so hitting the recursion limit would mean a bug, never a long loop."""
    return graph.invoke({**node.rendered(state), **start}, {"recursion_limit": supersteps + 1})


def outputs(output: str, value: Any, detail_field: str | None, detail: Any) -> dict[str, Any]:
    """The node's state updates: ``value`` into ``output``, ``detail`` into ``detail_field`` if set."""
    return {output: value, **({detail_field: detail} if detail_field else {})}
