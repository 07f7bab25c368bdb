"""The declarative graph spec: pydantic models, the one source of truth.

A spec is data.  ``GraphSpec`` holds typed state fields, nodes and edges; each node is
validated by the model of its kind, looked up by name in ``agentkit.registry`` (never
imported from the spec).  Every kind's model subclasses ``NodeSpec``: the keys every
node has, plus the questions the graph checks, the diagram and resume compatibility
ask of a node (``templates``, ``reads``, ``writes``, ``branches``, ``passes``, ``check``,
``wiring``).  YAML files and Python code both produce a ``GraphSpec``; the compiler
(to LangGraph) reads only this object.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializeAsAny,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)

from agentkit.errors import UserError
from agentkit.registry import node_kind

__all__ = [
    "END",
    "BudgetSpec",
    "EdgeSpec",
    "FieldPath",
    "GraphSpec",
    "McpServerSpec",
    "Name",
    "NodeSpec",
    "Origin",
    "Problem",
    "RetrySpec",
    "Route",
    "StateField",
    "ToolName",
]

END = "end"  # the target name that finishes the graph

FieldType = Literal["str", "int", "float", "bool", "list", "dict", "messages", "any"]
Name = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=64)]
# A tool's name: a registered tool (``calculator``) or an MCP server's tool (``files.read_file``:
# a server declared under ``mcp_servers:``, then the tool's name as the server lists it).
ToolName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_.\-]{1,128})?$", max_length=200)]
FieldPath = tuple[str | int, ...]
Problem = tuple[FieldPath, str]  # (where, relative to what is checked; what would be valid)


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


_MCP_TOOL = r"^[A-Za-z0-9_.\-]{1,128}$"


class McpServerSpec(_Spec):
    """An MCP server whose tools the graph's nodes may name as ``SERVER.TOOL``: a command run as a
    child process (stdio) or a streamable-HTTP ``url``.  It starts when a graph that names one of
    its tools is built, once per process."""

    command: str | None = Field(default=None, min_length=1, description="a stdio server: the program to run")
    args: list[str] = Field(default_factory=list, description="its arguments")
    env: dict[str, str] = Field(default_factory=dict, description="extra environment variables (a value may "
                                "say ${NAME} to take NAME from agentkit's environment)")
    cwd: str | None = Field(default=None, description="its working folder (relative: to the spec's folder)")
    url: str | None = Field(default=None, description="a streamable-HTTP server: its endpoint, http(s)://...")
    headers: dict[str, str] = Field(default_factory=dict, description="HTTP headers (values may say ${NAME})")
    tools: list[Annotated[str, Field(pattern=_MCP_TOOL)]] | None = Field(
        default=None, description="the only tools of this server nodes may name (default: every tool it lists)")
    high_risk: list[Annotated[str, Field(pattern=_MCP_TOOL)]] = Field(
        default_factory=list, description="tools a model may call only where a node lists them under "
                                          "allow_high_risk, with the arguments the graph pins")
    timeout_s: float = Field(default=60.0, gt=0, le=86_400, description="longest wait for one tool call")
    startup_timeout_s: float = Field(default=30.0, gt=0, le=600, description="longest wait for the server to "
                                                                             "start and list its tools")

    @model_validator(mode="after")
    def _one_transport(self) -> McpServerSpec:
        if (self.command is None) == (self.url is None):
            raise ValueError("give either command (a stdio server) or url (a streamable-HTTP server)")
        if self.url is not None:
            if not self.url.startswith(("http://", "https://")):
                raise ValueError(f"url must start with http:// or https://, got {self.url!r}")
            if self.args or self.env or self.cwd:
                raise ValueError("args, env and cwd are for a stdio server (command), not a url")
        elif self.headers:
            raise ValueError("headers are for a streamable-HTTP server (url), not a command")
        if self.tools is not None:
            unknown = [name for name in self.high_risk if name not in self.tools]
            if unknown:
                raise ValueError(f"high_risk names {', '.join(map(repr, unknown))}, which tools: does not list")
        return self


@dataclass(frozen=True, kw_only=True)
class Route:
    """A way a node can send the run on: to ``target`` (a node, or ``END``), shown as
    ``label`` on diagrams, named by the node's key ``key`` (a dotted path, for errors)."""

    target: str
    label: str = ""
    key: str = ""


class NodeSpec(_Spec):
    """The keys every node has.  A node kind's model subclasses this with a
    ``kind: Literal["name"]`` field and its own keys, and overrides the methods below
    that apply to it; the graph checks, ``agentkit show`` and resume compatibility
    learn everything they need about a node from them.

    Key paths in the answers are dotted (``metadata.topic``, ``files.0``), so a problem
    is reported at the key that caused it."""

    kind: str
    description: str = ""
    retry: RetrySpec | None = None
    timeout_s: float | None = Field(default=None, gt=0, le=86_400)
    approval: bool | str | None = Field(default=None, description="pause for a human before this node "
                                        "runs (true, or the question to ask)")
    budget: BudgetSpec | None = None

    # Keys (besides kind, branches and writes) whose change makes stored checkpoints unusable.
    WIRING_KEYS: ClassVar[tuple[str, ...]] = ()

    def templates(self) -> Mapping[str, str | None]:
        """``{key path: template}``: the ``{field}`` templates this node renders from state."""
        return {}

    def reads(self) -> Mapping[str, str | None]:
        """``{key path: state field}``: fields this node reads by name (not through a template)."""
        return {}

    def writes(self) -> Mapping[str, str | None]:
        """``{key path: state field}``: the fields this node writes (by default its ``output``)."""
        output = getattr(self, "output", None)
        return {"output": output} if isinstance(output, str) else {}

    def branches(self) -> list[Route]:
        """Where this node can send the run when it chooses the next node itself (a router,
        a map's fan-out); empty for a node that follows the graph's edges."""
        return []

    def passes(self) -> Mapping[str, str]:
        """``{target node: name}``: a value this node hands a target besides the state
        (a map's item), which the target's templates may use."""
        return {}

    def check(self, graph: GraphSpec) -> list[Problem]:
        """Problems only this kind knows how to find across the graph (paths relative to the node)."""
        return []

    def wiring(self) -> dict[str, Any]:
        """What a stored checkpoint of a run depends on: resuming with a spec whose wiring
        differs is refused (prompts, models and limits may change freely)."""
        data = self.model_dump(mode="json", by_alias=True)
        return {"kind": self.kind, "routes": sorted([r.label, r.target] for r in self.branches()),
                "writes": dict(self.writes()),
                **{key: data.get(key) for key in self.WIRING_KEYS}}


def _node_by_kind(value: Any, handler: ValidatorFunctionWrapHandler) -> NodeSpec:
    """Validate a node with the model of its kind (looked up in the registry)."""
    if isinstance(value, NodeSpec) and type(value) is not NodeSpec:
        return value
    if not isinstance(value, dict):
        raise ValueError(f"a node is a mapping with a 'kind' key, got {type(value).__name__}")
    if "kind" not in value:
        raise ValueError("missing 'kind'")
    if not isinstance(value["kind"], str):
        raise ValueError(f"'kind' is the name of a node kind, got {type(value['kind']).__name__}")
    try:
        model = node_kind(value["kind"]).spec
    except UserError as exc:
        raise ValueError(str(exc)) from None
    return model.model_validate(value)


Node = Annotated[SerializeAsAny[NodeSpec], WrapValidator(_node_by_kind)]


class EdgeSpec(_Spec):
    """A static edge."""

    source: Name = Field(alias="from")
    target: Name = Field(alias="to")


@dataclass(frozen=True, kw_only=True)
class Origin:
    """Where a spec came from: a label for messages, its file (None when built in Python
    or stored with a run) and the line of each field path (for located errors)."""

    source: str = "<spec>"
    path: Path | None = None
    lines: Mapping[FieldPath, int] = field(default_factory=dict)


class GraphSpec(_Spec):
    """A whole graph: its state, nodes, edges and limits."""

    version: Literal[1] = 1
    name: Name
    description: str = ""
    state: dict[Name, StateField] = Field(default_factory=dict)
    input: list[Name] = Field(default_factory=list)
    output: list[Name] = Field(default_factory=list)
    entry: Name
    nodes: dict[Name, Node] = Field(min_length=1)
    edges: list[EdgeSpec] = Field(default_factory=list)
    recursion_limit: int = Field(default=25, ge=1, le=10_000)
    budget: BudgetSpec | None = Field(default=None, description="limits for a whole run")
    mcp_servers: dict[Name, McpServerSpec] = Field(
        default_factory=dict, description="MCP servers whose tools nodes may name as SERVER.TOOL")

    _origin: Origin = PrivateAttr(default_factory=Origin)

    def __eq__(self, other: object) -> bool:  # where a spec came from is not part of it
        return isinstance(other, GraphSpec) and self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]

    @property
    def origin(self) -> Origin:
        """Where this spec came from (its file and lines, when loaded from one)."""
        return self._origin

    def with_origin(self, origin: Origin) -> GraphSpec:
        """This spec, now known to come from ``origin``."""
        self._origin = origin
        return self

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
        lines = self._origin.lines
        for end in range(len(path), -1, -1):
            if path[:end] in lines:
                return lines[path[:end]]
        return None
