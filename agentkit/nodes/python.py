"""The ``python`` node kind: a registered Python function over the state.

```yaml
shout: {kind: python, function: shout, output: loud}   # function(state) -> value into output
tidy:  {kind: python, function: tidy}                  # function(state) -> dict of state updates
```

``function`` is a name registered with ``agentkit.register_function`` (or an
``agentkit.functions`` entry point); a ``module:function`` import path works only
when the caller opts in (``allow_imports``), since a spec is data, not code.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from agentkit.errors import UserError
from agentkit.nodes import BuildContext, Name, NodeAction, NodeKind, NodeSpec

__all__ = ["KIND", "PythonNode", "build_python"]


class PythonNode(NodeSpec):
    """A registered Python callable (a dotted import path only with an explicit opt-in)."""

    kind: Literal["python"]
    function: str = Field(max_length=200)
    output: Name | None = None


def build_python(name: str, node: PythonNode, context: BuildContext) -> NodeAction:
    function = context.function(node.function)

    def run(state: dict[str, Any]) -> dict[str, Any]:
        value = function(state)
        if node.output is not None:
            return {node.output: value}
        if isinstance(value, dict):
            return value
        if value is None:
            return {}
        raise UserError(f"node {name!r} returned {type(value).__name__}; without 'output' a python node "
                        f"must return a dict of state updates")

    return run


KIND = NodeKind(name="python", spec=PythonNode, build=build_python)
