"""The declarative graph spec: pydantic models, the one source of truth.

A spec is data: node kinds are a closed set of names, functions and tools are
referred to by registered names, never imported from here.  YAML files and
Python code both produce a ``GraphSpec``; the compiler (to LangGraph) reads only
this object.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, PrivateAttr, Tag, ValidationError, model_validator

__all__ = [
    "END",
    "AgentNode",
    "BUILTIN_KINDS",
    "BUILTIN_NODE_MODELS",
    "BudgetSpec",
    "EdgeSpec",
    "GraphSpec",
    "LLMNode",
    "MapNode",
    "NodeSpec",
    "PluginNode",
    "PythonNode",
    "RetrySpec",
    "RouterNode",
    "StateField",
    "SubgraphNode",
    "ToolNode",
]

END = "end"  # the target name that finishes the graph

FieldType = Literal["str", "int", "float", "bool", "list", "dict", "messages", "any"]
Name = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=64)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_max_length=100_000)


class StateField(_Spec):
    """A typed state field and how concurrent or repeated writes combine."""

    type: FieldType = "any"
    reducer: str = Field(default="replace", description="replace | append | merge | messages | a registered reducer")
    default: Any = None
    optional: bool = Field(default=False, description="an input a run may leave out (it starts as default)")
    description: str = ""


class RetrySpec(_Spec):
    """Retry a failing node: attempts in all, with exponential back-off."""

    attempts: int = Field(default=3, ge=1, le=20)
    backoff_s: float = Field(default=0.5, ge=0, le=600)


class BudgetSpec(_Spec):
    """Limits on a run or on one node: LLM calls, tokens (prompt + generated) and wall-clock seconds."""

    llm_calls: int | None = Field(default=None, ge=0)
    tokens: int | None = Field(default=None, ge=0)
    seconds: float | None = Field(default=None, gt=0)


class _Node(_Spec):
    description: str = ""
    retry: RetrySpec | None = None
    timeout_s: float | None = Field(default=None, gt=0, le=86_400)
    approval: bool | str | None = Field(default=None, description="pause for a human before this node "
                                        "runs (true, or the question to ask)")
    budget: BudgetSpec | None = None


class LLMNode(_Node):
    """A prompt template over state -> text (or structured output) into a field."""

    kind: Literal["llm"]
    prompt: str
    system: str | None = None
    model: str | None = None
    max_tokens: int | None = Field(default=None, ge=1, le=32_768, description="cap on the reply's length")
    temperature: float | None = Field(default=None, ge=0, le=2, description="sampling temperature (0: greedy)")
    output: Name
    output_schema: dict[str, Any] | None = Field(default=None, alias="schema")

    def sampling(self) -> dict[str, Any]:
        """The per-call model settings this node sets."""
        return {k: v for k, v in (("max_tokens", self.max_tokens), ("temperature", self.temperature)) if v is not None}


class AgentNode(_Node):
    """A tool loop (ReAct) over the named tools, ending after ``max_steps`` at most."""

    kind: Literal["agent"]
    prompt: str
    system: str | None = None
    model: str | None = None
    tools: list[Name] = Field(min_length=1)
    allow_high_risk: dict[Name, dict[str, Any]] = Field(
        default_factory=dict, description="high-risk tools (metadata risk: high) the model may call -> "
                                          "arguments the graph pins for them (templated from state)")
    max_steps: int = Field(default=6, ge=1, le=100)
    output: Name


class ToolNode(_Node):
    """Call one tool directly, its arguments templated from state."""

    kind: Literal["tool"]
    tool: Name
    args: dict[str, Any] = Field(default_factory=dict)
    output: Name


class RouterNode(_Node):
    """Choose the next node: by an expression over state, or by the LLM picking a label."""

    kind: Literal["router"]
    routes: dict[Name, Name] = Field(min_length=1, description="label -> target node (or 'end')")
    expression: str | None = Field(default=None, description="evaluates to a label")
    prompt: str | None = Field(default=None, description="asks the LLM to choose a label")
    model: str | None = None
    default: Name | None = None


class MapNode(_Node):
    """Fan out over a list field (LangGraph ``Send``), one run of ``node`` per item."""

    kind: Literal["map"]
    over: Name
    node: Name
    item: Name = "item"
    output: Name


class SubgraphNode(_Node):
    """Another spec run as one node, with input and output field mapping."""

    kind: Literal["subgraph"]
    graph: str = Field(description="a path relative to this file, or a shipped graph's name")
    inputs: dict[Name, Name] = Field(default_factory=dict, description="child field -> parent field")
    outputs: dict[Name, Name] = Field(default_factory=dict, description="parent field -> child field")


class PythonNode(_Node):
    """A registered Python callable (a dotted import path only with an explicit opt-in)."""

    kind: Literal["python"]
    function: str = Field(max_length=200)
    output: Name | None = None


def _plugin_problem(error: Any) -> str:
    """One error of a plug-in kind's model: ``field: message`` (a model-wide check has no field)."""
    where = ".".join(str(p) for p in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


class PluginNode(_Node):
    """A node of a kind registered by a plug-in; its own model validates its keys.

    The plug-in's model sees ``kind``, ``output`` and the kind's own keys; the keys
    every node has (description, retry, timeout_s, approval, budget) stay here."""

    model_config = ConfigDict(extra="allow")
    kind: Name
    output: Name | None = None

    @model_validator(mode="after")
    def _validate_with_plugin_model(self) -> "PluginNode":
        from agentkit.registry import node_kind  # the registry is consulted, never an import path

        registered = node_kind(self.kind)  # ValueError naming the known kinds
        try:
            registered.model.model_validate(self._plugin_keys())
        except ValidationError as exc:
            details = "; ".join(_plugin_problem(e) for e in exc.errors())
            raise ValueError(f"invalid {self.kind!r} node: {details}") from None
        return self

    def plugin_spec(self) -> BaseModel:
        """This node validated by its plug-in's own model."""
        from agentkit.registry import node_kind

        return node_kind(self.kind).model.model_validate(self._plugin_keys())

    def _plugin_keys(self) -> dict[str, Any]:
        return self.model_dump(exclude=set(_Node.model_fields))


BUILTIN_NODE_MODELS: dict[str, type[_Node]] = {
    "llm": LLMNode, "agent": AgentNode, "tool": ToolNode, "router": RouterNode,
    "map": MapNode, "subgraph": SubgraphNode, "python": PythonNode,
}
BUILTIN_KINDS = tuple(BUILTIN_NODE_MODELS)


def _node_tag(value: Any) -> str:
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return kind if kind in BUILTIN_KINDS else "plugin"


NodeSpec = Annotated[
    Union[
        Annotated[LLMNode, Tag("llm")], Annotated[AgentNode, Tag("agent")], Annotated[ToolNode, Tag("tool")],
        Annotated[RouterNode, Tag("router")], Annotated[MapNode, Tag("map")],
        Annotated[SubgraphNode, Tag("subgraph")], Annotated[PythonNode, Tag("python")],
        Annotated[PluginNode, Tag("plugin")],
    ],
    Discriminator(_node_tag),
]


class EdgeSpec(_Spec):
    """A static edge."""

    source: Name = Field(alias="from")
    target: Name = Field(alias="to")


class GraphSpec(_Spec):
    """A whole graph: its state, nodes, edges and limits."""

    version: Literal[1] = 1
    name: Name
    description: str = ""
    state: dict[Name, StateField] = Field(default_factory=dict)
    input: list[Name] = Field(default_factory=list)
    output: list[Name] = Field(default_factory=list)
    entry: Name
    nodes: dict[Name, NodeSpec] = Field(min_length=1)
    edges: list[EdgeSpec] = Field(default_factory=list)
    recursion_limit: int = Field(default=25, ge=1, le=10_000)
    budget: BudgetSpec | None = Field(default=None, description="limits for a whole run")

    # Where each field path came from, when loaded from a file (for located errors).
    _source: str = PrivateAttr(default="<spec>")
    _lines: dict[tuple[str | int, ...], int] = PrivateAttr(default_factory=dict)

    def __eq__(self, other: object) -> bool:  # where a spec came from is not part of it
        return isinstance(other, GraphSpec) and self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]

    def missing_inputs(self, given: dict[str, Any]) -> list[str]:
        """Declared inputs that ``given`` lacks and that have no default and are not optional."""
        return [name for name in self.input if given.get(name) is None
                and self.state[name].default is None and not self.state[name].optional]

    def with_defaults(self, given: dict[str, Any]) -> dict[str, Any]:
        """``given`` plus the default of every declared input it leaves out."""
        return {**{name: self.state[name].default for name in self.input if given.get(name) is None},
                **{k: v for k, v in given.items() if v is not None}}

    def line_of(self, *path: str | int) -> int | None:
        """The file line of ``path`` (or of its closest parent), if loaded from a file."""
        for end in range(len(path), -1, -1):
            if path[:end] in self._lines:
                return self._lines[path[:end]]
        return None
