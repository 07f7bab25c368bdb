"""Node kinds, and the one API every kind is defined with (agentkit's own and plug-ins).

A node kind is a ``NodeKind``: a name, a pydantic model of its YAML keys and a build
function.  agentkit's seventeen kinds live in this package, one module each, and use
exactly what this module exports; a plug-in package does the same and lists its kind
under the ``agentkit.node_kinds`` entry-point group (or calls
``agentkit.register_node_kind``).  A minimal kind::

    from typing import Literal
    from agentkit.nodes import BuildContext, NodeKind, NodeSpec, render

    class ShoutNode(NodeSpec):
        kind: Literal["shout"]
        text: str                          # a {field} template
        output: str

        def templates(self):               # checked against the state fields when a spec loads
            return {"text": self.text}

    def build_shout(name: str, node: ShoutNode, context: BuildContext):
        return lambda state: {node.output: render(node.text, state).upper()}

    SHOUT = NodeKind(name="shout", spec=ShoutNode, build=build_shout)

The model answers the graph checks through ``NodeSpec``'s methods (``templates``,
``reads``, ``writes``, ``branches``, ``passes``, ``check``, ``wiring``), so ``agentkit
validate`` locates its problems, ``agentkit show`` draws it, ``agentkit schema``
describes it and a resumed run notices when its wiring changed.  ``build`` runs once
per compiled graph and returns ``callable(state) -> updates`` (or a ``BuiltNode`` whose
``route`` chooses the next node); everything a build may need -- the graph, chat
models, tools, functions, subgraphs -- comes from its ``BuildContext``.

For the node's work: ``render``/``fill`` (templates over state), ``chat_messages``,
``structured_output`` (a dict under a JSON schema, with per-call sampling) and
``call_tool`` (one tool call of a model, guarded: only the node's tools run, the
arguments the graph fixes are never the model's to choose, a refusal goes back to the
model).

What a node's model may do with a tool is a ``ToolAccess``: the arguments the graph pins
(``pin:``, templates over state) and the tool's data-selecting arguments (a tool declares
them: ``metadata={"data_args": ["collection"]}``) are hidden from the model and filled in
by the graph -- pinned values, or the tool's defaults -- so text the model read (a
document, a picture, a tool result) can never make it reach data the graph did not give
the node.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage, ToolMessage
from langchain_core.runnables import Runnable, RunnableBinding, RunnableSequence
from langchain_core.tools import BaseTool, StructuredTool, ToolException
from pydantic import BaseModel, ValidationError, create_model

from agentkit.errors import GraphBuildError, ToolError, UserError
from agentkit.registry import NodeKind, get_tool, register_tool_server, resolve_function
from agentkit.spec.checks import writes_type_problem
from agentkit.spec.models import END, GraphSpec, McpServerSpec, Name, NodeSpec, Problem, Route, ToolName
from agentkit.templates import check_template, fill, prompt_text, render, template_fields, whole_field
from agentkit.tracing import traced_node

__all__ = [
    # defining a kind
    "NodeKind",
    "NodeSpec",
    "Route",
    "Problem",
    "BuildContext",
    "BuiltNode",
    "NodeAction",
    "GraphSpec",
    "Name",
    "ToolName",
    "END",
    # templates
    "check_template",
    "fill",
    "prompt_text",
    "render",
    "template_fields",
    "whole_field",
    # doing the node's work
    "ToolAccess",
    "call_tool",
    "chat_messages",
    "data_args",
    "is_high_risk",
    "structured_output",
    "traced_step",
    "writes_type_problem",
    # MCP servers' tools
    "mcp_server_config",
    "mcp_server_tool",
    "register_mcp_server",
    # errors a build raises
    "GraphBuildError",
    "ToolError",
]

_log = logging.getLogger(__name__)

NodeAction = Callable[[dict[str, Any]], Any]


def traced_step(name: str, action: NodeAction) -> NodeAction:
    """A step of a node's own inner LangGraph graph (a pattern's plan / execute / ...), added as
    ``graph.add_node(name, traced_step(name, action))``: while a run is traced, a span under the
    node's (a graph's own nodes get theirs from ``compile_spec``)."""
    return traced_node(name, None, action)


@dataclass(frozen=True, kw_only=True)
class BuiltNode:
    """A built node that chooses where the run goes next: ``action`` runs first (its updates
    are written), then ``route(state)`` returns the next node's name (one of the node's
    ``branches()`` targets, or ``END``) or a list of LangGraph ``Send`` (a fan-out)."""

    action: NodeAction
    route: Callable[[dict[str, Any]], Any]


@dataclass(frozen=True, kw_only=True)
class BuildContext:
    """What a kind's build function may use besides its own node.

    ``graph`` is the spec the node belongs to; ``base_dir`` is where relative paths
    start (the spec file's folder); models, tools, functions and subgraphs are resolved
    through the methods below, whose errors name the node's key (``key``) so the spec's
    checks can point at it."""

    graph: GraphSpec
    base_dir: Path
    allow_imports: bool = False
    model_factory: Callable[[str | None], BaseChatModel] | None = None
    subgraph_compiler: Callable[[str, Path], tuple[GraphSpec, Runnable]] | None = None

    def model(self, name: str | None = None) -> BaseChatModel:
        """The chat model ``name`` (None: the default), from the caller's factory if it gave one.
        A spec is data: the URL of a served model it names must be on loopback (other hosts are
        reached through the user's models file)."""
        if self.model_factory is not None:
            return self.model_factory(name)
        from agentkit.llm import check_spec_model, get_chat_model

        check_spec_model(name)
        return get_chat_model(name)

    def tool(self, name: str, *, key: str = "tool") -> BaseTool:
        """The tool ``name``: ``SERVER.TOOL`` of an MCP server declared under the graph's
        ``mcp_servers:`` (started on first use; a stdio server's command runs only with
        ``allow_imports``: a spec is data, and running its own code is an opt-in), else a
        registered tool."""
        server, dot, remote = name.partition(".")
        try:
            if dot and server in self.graph.mcp_servers:
                declared = self.graph.mcp_servers[server]
                if declared.command is not None and not self.allow_imports:
                    raise UserError(f"MCP server {server!r} (mcp_servers.{server}) runs a command of the spec's "
                                    f"own ({declared.command}); like importing 'module:function' paths, that needs "
                                    f"the opt-in: --allow-imports (allow_imports=True), or register the server in "
                                    f"Python with agentkit.register_mcp_server")
                return mcp_server_tool(server, declared, remote, base_dir=self.base_dir)
            return get_tool(name)
        except UserError as exc:
            hint = ""
            if dot and server not in self.graph.mcp_servers and "unknown tool" in str(exc):
                declared = ", ".join(self.graph.mcp_servers) or "none"
                hint = f" ({server!r} is not an MCP server declared under mcp_servers:; declared: {declared})"
            raise GraphBuildError(f"{exc}{hint}", key=key) from None

    def tools(self, names: list[str], *, allow_high_risk: Mapping[str, Any] | None = None,
              pin: Mapping[str, Mapping[str, Any]] | None = None, key: str = "tools") -> dict[str, ToolAccess]:
        """What a node's model may do with each of its tools, by name.  A high-risk tool is
        refused unless ``allow_high_risk`` lists it (None: the kind has no such key, so always
        refused); ``pin`` (and ``allow_high_risk``) fix arguments from state; a tool's
        data-selecting arguments the node does not pin are fixed to the tool's defaults."""
        tools = {name: self.tool(name, key=key) for name in names}
        for tool_name, args in (pin or {}).items():
            if tool_name not in tools:
                raise GraphBuildError(f"pin names {tool_name!r}, which is not in this node's tools", key="pin")
            unknown = sorted(set(args) - set(_argument_names(tools[tool_name])))
            if unknown:
                raise GraphBuildError(f"pin: tool {tool_name!r} has no argument {', '.join(repr(a) for a in unknown)}; "
                                      f"its arguments: {', '.join(_argument_names(tools[tool_name]))}", key="pin")
        for tool_name in allow_high_risk or {}:
            if tool_name not in tools:
                raise GraphBuildError(f"allow_high_risk names {tool_name!r}, which is not in this node's tools",
                                      key="allow_high_risk")
        for tool_name, tool in tools.items():
            if is_high_risk(tool) and tool_name not in (allow_high_risk or {}):
                if allow_high_risk is None:
                    raise GraphBuildError(f"tool {tool_name!r} is high-risk: only an agent node's model may call "
                                          f"it, when the node lists it under allow_high_risk (with the arguments "
                                          f"the graph pins)", key=key)
                raise GraphBuildError(f"tool {tool_name!r} is high-risk: an agent node's model calls it only when "
                                      f"the node lists it under allow_high_risk (with the arguments the graph "
                                      f"pins, e.g. allow_high_risk: {{{tool_name}: {{}}}})", key=key)
        pins = {name: {**(allow_high_risk or {}).get(name, {}), **(pin or {}).get(name, {})} for name in tools}
        return {name: ToolAccess(tool=tool, pinned=pins[name],
                                 hidden=frozenset(pins[name]) | frozenset(data_args(tool)))
                for name, tool in tools.items()}

    def function(self, name: str, *, key: str = "function") -> Callable[..., Any]:
        """The registered Python function ``name`` (a ``module:attr`` path only with ``allow_imports``)."""
        try:
            return resolve_function(name, allow_imports=self.allow_imports)
        except UserError as exc:
            raise GraphBuildError(str(exc), key=key) from None

    def subgraph(self, reference: str, *, key: str = "graph") -> tuple[GraphSpec, Runnable]:
        """The spec and compiled graph of ``reference`` (a path relative to this spec's
        folder, or a graph's name), built with this graph's settings."""
        if self.subgraph_compiler is None:
            raise GraphBuildError("this graph is built without subgraph support", key=key)
        try:
            return self.subgraph_compiler(reference, self.base_dir)
        except GraphBuildError as exc:
            raise GraphBuildError(str(exc), key=exc.key or key) from None


def mcp_server_config(spec: McpServerSpec, *, base_dir: Path | None = None) -> Any:
    """The ``agentkit.mcp`` server (``StdioServer`` or ``HttpServer``) a spec's entry describes
    (a relative ``cwd`` starts at ``base_dir``).  ``MissingExtraError`` without the mcp extra."""
    from agentkit.extras import require

    require("mcp", what="MCP servers' tools")
    from agentkit.mcp import HttpServer, StdioServer

    if spec.url is not None:
        return HttpServer(url=spec.url, headers=tuple(sorted(spec.headers.items())))
    cwd = str((base_dir or Path.cwd()) / spec.cwd) if spec.cwd else None
    return StdioServer(command=str(spec.command), args=tuple(spec.args), env=tuple(sorted(spec.env.items())), cwd=cwd)


def mcp_server_tool(server: str, spec: McpServerSpec, tool: str, *, base_dir: Path | None = None) -> BaseTool:
    """Tool ``tool`` of the MCP server ``spec`` (named ``server``), as the tool ``server.tool``:
    only a tool the spec's ``tools`` allows, high-risk when its ``high_risk`` lists it (or the
    server marks it destructive).  The server starts on first use, once per process."""
    if spec.tools is not None and tool not in spec.tools:
        raise UserError(f"MCP server {server!r} allows only the tools {', '.join(spec.tools) or '(none)'} "
                        f"(mcp_servers.{server}.tools), not {tool!r}")
    from agentkit.mcp import mcp_tool

    return mcp_tool(mcp_server_config(spec, base_dir=base_dir), tool, name=f"{server}.{tool}", label=server,
                    timeout_s=spec.timeout_s, startup_timeout_s=spec.startup_timeout_s,
                    high_risk=tool in spec.high_risk)


def register_mcp_server(name: str, **keys: Any) -> None:
    """Make the MCP server ``name``'s tools available in this process as ``name.TOOL``
    (``agentkit.get_tool("files.read_file")``, and in any graph that does not declare its own
    ``name`` under ``mcp_servers:``).  ``keys`` are the spec's: ``command``, ``args``, ``env``,
    ``cwd`` or ``url``, ``headers``; ``tools``, ``high_risk``, ``timeout_s``, ``startup_timeout_s``.
    Nothing starts until a tool is asked for."""
    try:
        spec = McpServerSpec.model_validate(keys)
    except ValidationError as exc:
        problems = "; ".join((f"{'.'.join(map(str, e['loc']))}: " if e["loc"] else "")
                             + e["msg"].removeprefix("Value error, ") for e in exc.errors())
        raise UserError(f"MCP server {name!r}: {problems}") from None
    if not name.isidentifier():
        raise UserError(f"MCP server name {name!r}: use letters, digits and _ (it prefixes its tools' names)")
    base = Path.cwd()
    register_tool_server(name, lambda tool: mcp_server_tool(name, spec, tool, base_dir=base))


def chat_messages(system: str, text: str) -> list[Any]:
    """A system message (when ``system`` is not empty) and one human message."""
    return ([SystemMessage(system)] if system else []) + [HumanMessage(text)]


def structured_output(model: BaseChatModel, schema: dict[str, Any], **sampling: Any) -> Runnable:
    """``model`` answering with a dict that fits the JSON ``schema`` -- on agentkit's llama.cpp
    model decoded under the schema's grammar, on any other chat model through its own
    ``with_structured_output`` -- with ``sampling`` (``max_tokens``, ``temperature``,
    ``seed``...) applied to this call only."""
    runnable = model.with_structured_output(schema)
    if not sampling:
        return runnable
    # with_structured_output is (model bound to the format) | parser: the settings go on that
    # binding (binding them on the model first would be dropped by with_structured_output)
    if isinstance(runnable, RunnableSequence) and isinstance(runnable.first, RunnableBinding):
        return RunnableSequence(runnable.first.bind(**sampling), *runnable.middle, runnable.last)
    _log.warning("%s's structured output takes no per-call settings; %s ignored", type(model).__name__,
                 ", ".join(sampling))
    return runnable


def data_args(tool: Any) -> tuple[str, ...]:
    """The arguments of ``tool`` that select which data it reaches (a collection, a path, a
    recipient): ``metadata={"data_args": [...]}``.  A node's model never chooses them."""
    return tuple((getattr(tool, "metadata", None) or {}).get("data_args") or ())


def _argument_names(tool: BaseTool) -> list[str]:
    schema = tool.args_schema
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        return list(schema.model_fields)
    return list((schema or {}).get("properties", {})) if isinstance(schema, dict) else list(tool.args)


def _without(tool: BaseTool, hidden: frozenset[str]) -> BaseTool:
    """``tool`` as a model sees it with the ``hidden`` arguments left out of its schema."""
    schema = tool.args_schema
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        kept = {k: (f.annotation, f) for k, f in schema.model_fields.items() if k not in hidden}
        narrowed: Any = create_model(schema.__name__, __doc__=schema.__doc__, **kept)
    else:
        narrowed = dict(schema or {})
        narrowed["properties"] = {k: v for k, v in narrowed.get("properties", {}).items() if k not in hidden}
        narrowed["required"] = [k for k in narrowed.get("required", []) if k not in hidden]

    def refuse(**_: Any) -> str:  # the view is for the model's eyes; calls go through call_tool
        raise ToolException(f"{tool.name} is called through its node")

    return StructuredTool(name=tool.name, description=tool.description, args_schema=narrowed, func=refuse,
                          metadata=tool.metadata)


@dataclass(frozen=True)
class ToolAccess:
    """What a node's model may do with one tool: the tool, the arguments the graph pins
    (templates over state, or values) and every argument the model may not set (the pinned
    ones and the tool's data-selecting ones, which keep the tool's defaults)."""

    tool: BaseTool
    pinned: Mapping[str, Any] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()

    def model_view(self) -> BaseTool:
        """The tool as offered to the model: its schema without the hidden arguments."""
        return _without(self.tool, self.hidden) if self.hidden else self.tool

    def arguments(self, model_args: Mapping[str, Any], state: Mapping[str, Any]) -> dict[str, Any]:
        """The call's arguments: the model's, without the hidden ones, plus the pinned ones."""
        args = {k: v for k, v in model_args.items() if k not in self.hidden}
        args.update({k: fill(v, dict(state)) for k, v in self.pinned.items()})
        return args


def is_high_risk(tool: Any) -> bool:
    """A tool marked ``metadata={"risk": "high"}``: a node's model may call it only when the
    node's ``allow_high_risk`` names it, with the arguments the graph pins."""
    return (getattr(tool, "metadata", None) or {}).get("risk") == "high"


def call_tool(call: Mapping[str, Any], tools: Mapping[str, ToolAccess | BaseTool], *,
              state: Mapping[str, Any] | None = None, node: str = "") -> ToolMessage:
    """Run one tool call a model made, guarded.  The model's output (which may echo text
    read from documents or images) never widens what the node may do: a tool outside
    ``tools`` is refused, not run, and the arguments the node's ``ToolAccess`` hides are
    never the model's (pinned ones are filled from ``state``, data-selecting ones keep the
    tool's defaults).  A call the tool refuses -- bad arguments, a ``ToolError``, a file
    outside the allowed roots -- comes back as an error message the model can act on."""
    name = str(call.get("name", ""))
    call_id = str(call.get("id") or "")
    access = tools.get(name)
    if access is None:
        _log.warning("node %r: refused a call to %r, which is not among its tools %s", node, name, list(tools))
        return ToolMessage(f"refused: tool {name!r} is not available here; available tools: {', '.join(tools)}",
                           tool_call_id=call_id, name=name, status="error")
    if isinstance(access, BaseTool):
        access = ToolAccess(tool=access, hidden=frozenset(data_args(access)))
    args = access.arguments(dict(call.get("args") or {}), state or {})
    tool = access.tool
    try:
        result = tool.invoke(args)
    except (ValidationError, ToolException, UserError) as exc:
        # A call the tool refuses is the model's mistake, not the run's: the model reads the error.
        _log.info("node %r: tool %r refused the call: %s", node, name, exc)
        return ToolMessage(f"error: {exc}", tool_call_id=call_id, name=name, status="error")
    return ToolMessage(str(result), tool_call_id=call_id, name=name)
