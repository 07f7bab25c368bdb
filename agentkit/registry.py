"""Everything a spec may name, by name: node kinds, tools, Python functions and reducers.

A spec is data: ``kind: llm``, ``tool: ocr``, ``function: shout`` and ``reducer:
append`` are names, and they resolve here -- never as an import path from the spec
(a dotted ``module:function`` is imported only when the caller opts in).

Built-in and plug-in entries are registered the same way.  agentkit's own node
kinds are listed below by module (each module defines ``KIND``), the way a plug-in
lists its kind under the ``agentkit.node_kinds`` entry-point group; both load on first
use, so validating a spec imports only the kinds it uses.  Tools come from the
``agentkit.tools`` entry-point group (agentkit's tool packs included), functions from
``agentkit.functions``, reducers from ``agentkit.reducers``; an application adds its own
with ``register_node_kind`` / ``register_tool`` / ``register_function`` /
``register_reducer``.  A plug-in may not replace a built-in node kind.

This module is the lowest layer of the engine: it imports no other part of it.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from langchain_core.tools import BaseTool
from langchain_core.tools import tool as to_tool

from agentkit.errors import MissingExtraError, UserError

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = [
    "BUILTIN_KINDS",
    "BUILTIN_REDUCERS",
    "NodeKind",
    "RegistryState",
    "function_names",
    "get_tool",
    "has_reducer",
    "kind_names",
    "node_kind",
    "node_kinds",
    "reducer",
    "register_function",
    "register_node_kind",
    "register_reducer",
    "register_tool",
    "register_tool_server",
    "resolve_function",
    "restore",
    "snapshot",
    "tool_names",
]


@dataclass(frozen=True, kw_only=True)
class NodeKind:
    """A node kind: its name, the pydantic model of its YAML keys and its build function.

    ``spec`` subclasses ``agentkit.spec.NodeSpec`` and answers the graph checks through
    its methods (the templates it renders, the fields it reads and writes, where it
    routes, what resume depends on).  ``build(name, node, context)`` returns the node's
    action -- ``callable(state) -> updates`` -- or a ``BuiltNode`` with a route; see
    ``agentkit.nodes``.  ``requires`` lists the import names the kind needs at build
    time and ``extra`` the pip extra that installs them (``agentkit[memory]``)."""

    name: str
    spec: type[BaseModel]
    build: Callable[..., Any]
    requires: tuple[str, ...] = ()
    extra: str | None = None

    def check_installed(self) -> None:
        """Raise ``MissingExtraError`` naming the ``pip install`` when a requirement is missing."""
        from agentkit.extras import missing

        absent = missing(*self.requires)
        if absent:
            install = f"pip install 'agentkit[{self.extra}]'" if self.extra else f"pip install {' '.join(absent)}"
            raise MissingExtraError(f"node kind {self.name!r} needs {', '.join(absent)}, which is not installed; "
                                    f"install with: {install}")


# agentkit's own node kinds: name -> the module that defines ``KIND``.
BUILTIN_KINDS: dict[str, str] = {
    **{name: f"agentkit.nodes.{name}" for name in (
        "llm", "agent", "tool", "router", "subgraph", "python",
        "retrieve", "remember", "recall", "cite", "grounded_answer", "calculate",
        "plan_execute", "reflect", "self_consistency",
        "chart",
    )},
    "map": "agentkit.nodes.map_node",  # not nodes.map: a submodule named map would shadow map() in the package
}
BUILTIN_REDUCERS = ("replace", "append", "merge", "messages")


def _append(left: Any, right: Any) -> list[Any]:
    return list(left or []) + (list(right) if isinstance(right, list) else [right])


def _merge(left: Any, right: Any) -> dict[str, Any]:
    return {**(left or {}), **(right or {})}


def _add_messages(left: Any, right: Any) -> Any:
    from langgraph.graph.message import add_messages

    return add_messages(left, right)


@dataclass(kw_only=True)
class RegistryState:
    """What is registered, as ``snapshot`` took it (``restore`` puts it back)."""

    functions: dict[str, Callable[..., Any]] = field(default_factory=dict)
    tools: dict[str, BaseTool] = field(default_factory=dict)
    kinds: dict[str, NodeKind] = field(default_factory=dict)
    reducers: dict[str, Callable[[Any, Any], Any]] = field(default_factory=dict)
    unavailable: dict[str, MissingExtraError] = field(default_factory=dict)  # tools whose extra is missing
    tool_servers: dict[str, Callable[[str], BaseTool]] = field(default_factory=dict)  # NAME.tool -> its tool
    plugins_loaded: bool = False


_lock = threading.RLock()
_state = RegistryState(reducers={"append": _append, "merge": _merge, "messages": _add_messages})


def _copy(state: RegistryState) -> RegistryState:
    return RegistryState(functions=dict(state.functions), tools=dict(state.tools), kinds=dict(state.kinds),
                         reducers=dict(state.reducers), unavailable=dict(state.unavailable),
                         tool_servers=dict(state.tool_servers), plugins_loaded=state.plugins_loaded)


def snapshot() -> RegistryState:
    """A copy of everything registered now (for tests: ``restore`` it afterwards)."""
    with _lock:
        return _copy(_state)


def restore(saved: RegistryState) -> None:
    """Put back what ``snapshot`` took: anything registered since is forgotten."""
    global _state
    with _lock:
        _state = _copy(saved)


def _load_plugins() -> None:
    """Tools, functions and reducers from entry points (once; registered names win)."""
    with _lock:
        if _state.plugins_loaded:
            return
        _state.plugins_loaded = True
        for ep in entry_points(group="agentkit.functions"):
            _state.functions.setdefault(ep.name, ep.load())
        for ep in entry_points(group="agentkit.tools"):
            if ep.name in _state.tools:
                continue
            try:
                obj = ep.load()
            except MissingExtraError as exc:  # a tool pack whose optional dependencies are not installed
                _state.unavailable[ep.name] = exc
                continue
            except ImportError as exc:
                _state.unavailable[ep.name] = MissingExtraError(
                    f"tool {ep.name!r} ({ep.value}) cannot be loaded: {exc}; install what it needs")
                continue
            _state.tools[ep.name] = obj if isinstance(obj, BaseTool) else to_tool(obj)
        for ep in entry_points(group="agentkit.reducers"):
            _state.reducers.setdefault(ep.name, ep.load())


# -- node kinds ------------------------------------------------------------------------------


def _check_kind(kind: Any, where: str) -> NodeKind:
    if not isinstance(kind, NodeKind):
        raise UserError(f"{where} is {type(kind).__name__}, not an agentkit NodeKind")
    fields = getattr(kind.spec, "model_fields", {})
    if "kind" not in fields or not callable(getattr(kind.spec, "templates", None)):
        raise UserError(f"node kind {kind.name!r}: its spec model must subclass agentkit.spec.NodeSpec "
                        f"(with a kind: Literal[{kind.name!r}] field)")
    return kind


def register_node_kind(kind: NodeKind) -> NodeKind:
    """Add a node kind in this process (its name must not shadow a built-in kind)."""
    if kind.name in BUILTIN_KINDS:
        raise UserError(f"node kind {kind.name!r} is built in; choose another name")
    _check_kind(kind, f"node kind {kind.name!r}")
    with _lock:
        _state.kinds[kind.name] = kind
    return kind


def _load_kind(name: str) -> NodeKind | None:
    """The kind ``name`` from agentkit's own modules or the entry points (None if unknown)."""
    if name in BUILTIN_KINDS:
        return _check_kind(importlib.import_module(BUILTIN_KINDS[name]).KIND, f"{BUILTIN_KINDS[name]}.KIND")
    for ep in entry_points(group="agentkit.node_kinds", name=name):
        kind = _check_kind(ep.load(), f"entry point {ep.value}")
        if kind.name != name:
            raise UserError(f"entry point {name!r} ({ep.value}) defines a kind named {kind.name!r}")
        return kind
    return None


def node_kind(name: str) -> NodeKind:
    """The node kind ``name``; ``UserError`` naming every known kind when there is none."""
    with _lock:
        kind = _state.kinds.get(name)
        if kind is None and isinstance(name, str):
            kind = _load_kind(name)
            if kind is not None:
                _state.kinds[name] = kind
    if kind is None:
        raise UserError(f"unknown node kind {name!r}; known kinds: {', '.join(kind_names())}")
    return kind


def kind_names() -> list[str]:
    """Every known kind: the built-in ones first, then plug-in and registered ones, sorted."""
    others = {ep.name for ep in entry_points(group="agentkit.node_kinds")} | set(_state.kinds)
    return [*BUILTIN_KINDS, *sorted(others - set(BUILTIN_KINDS))]


def node_kinds() -> list[NodeKind]:
    """Every known kind, loaded (for the JSON Schema and listings)."""
    return [node_kind(name) for name in kind_names()]


# -- tools, functions, reducers -------------------------------------------------------------------


def register_function(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """Make ``function`` available to ``python`` nodes as ``name``."""
    with _lock:
        _state.functions[name] = function
    return function


def register_tool(tool: BaseTool | Callable[..., Any], name: str | None = None) -> BaseTool:
    """Make a tool (a LangChain tool, or a typed, documented function) available by name."""
    made = tool if isinstance(tool, BaseTool) else to_tool(tool)
    with _lock:
        _state.tools[name or made.name] = made
    return made


def register_tool_server(name: str, resolve: Callable[[str], BaseTool]) -> None:
    """Make every tool ``NAME.x`` resolve as ``resolve("x")`` (how ``agentkit.register_mcp_server``
    makes an MCP server's tools available by name in this process)."""
    with _lock:
        _state.tool_servers[name] = resolve


def register_reducer(name: str, function: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """Make ``function(current, update) -> new`` available as a state field's reducer."""
    if name in BUILTIN_REDUCERS:
        raise UserError(f"reducer {name!r} is built in; choose another name")
    with _lock:
        _state.reducers[name] = function
    return function


def has_reducer(name: str) -> bool:
    """Whether ``name`` is a built-in or registered reducer."""
    return name == "replace" or reducer(name) is not None


def reducer(name: str) -> Callable[[Any, Any], Any] | None:
    """The reducer function ``name`` (None for ``replace``, LangGraph's default, and for unknown names)."""
    _load_plugins()
    return _state.reducers.get(name)


def function_names() -> list[str]:
    _load_plugins()
    return sorted(_state.functions)


def tool_names() -> list[str]:
    _load_plugins()
    return sorted(_state.tools)


def resolve_function(name: str, *, allow_imports: bool = False) -> Callable[..., Any]:
    """The registered function ``name``; a dotted ``module:attr`` path only with ``allow_imports``."""
    _load_plugins()
    if name in _state.functions:
        return _state.functions[name]
    if ":" in name and allow_imports:
        module, _, attr = name.partition(":")
        try:
            return getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as exc:
            raise UserError(f"cannot import {name!r}: {exc}") from None
    hint = " (importing 'module:function' paths needs allow_imports=True)" if ":" in name else ""
    raise UserError(f"unknown function {name!r}{hint}; registered functions: "
                    f"{', '.join(function_names()) or '(none)'}")


def get_tool(name: str) -> BaseTool:
    """The registered LangChain tool called ``name``."""
    _load_plugins()
    if name not in _state.tools and name in _state.unavailable:
        raise _state.unavailable[name]
    server, dot, tool = name.partition(".")
    if name not in _state.tools and dot and server in _state.tool_servers:
        return _state.tool_servers[server](tool)
    try:
        return _state.tools[name]
    except KeyError:
        servers = f"; MCP servers registered in this process: {', '.join(sorted(_state.tool_servers))}" \
            if _state.tool_servers else ""
        raise UserError(f"unknown tool {name!r}; known tools: {', '.join(tool_names()) or '(none)'}{servers}") from None
