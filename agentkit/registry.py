"""Named things a spec may refer to: Python node functions and tools.

A spec is data: it names a function or a tool, and the name resolves here.
Applications register their own with ``register_function`` / ``register_tool``;
installed plug-ins register through the entry-point groups
``agentkit.functions`` and ``agentkit.tools`` (each entry point is a callable or
tool; its name is the entry point's name).  Importing a dotted path named in a
spec is refused unless the caller opts in.
"""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, Callable

from langchain_core.tools import BaseTool
from langchain_core.tools import tool as to_tool
from pydantic import BaseModel

from agentkit.errors import UserError

__all__ = [
    "NodeKind",
    "function_names",
    "get_tool",
    "node_kind",
    "reducer",
    "register_function",
    "register_node_kind",
    "register_reducer",
    "register_tool",
    "resolve_function",
    "tool_names",
]

@dataclass(frozen=True, kw_only=True)
class NodeKind:
    """A plug-in node kind: the pydantic model of its YAML keys (with ``kind`` and
    ``output``) and ``build(name, node, options) -> callable(state) -> updates``.

    The model may define ``templates() -> {key: template}`` and ``state_fields() ->
    {key: field}`` (fields read or written besides ``output``); a key may be a
    dotted path (``metadata.topic``, ``files.0``): a spec's checks then report
    template variables and fields that are not declared state fields, at their key."""

    name: str
    model: type[BaseModel]
    build: Callable[[str, Any, Any], Callable[[dict[str, Any]], Any]]


_lock = threading.Lock()
_functions: dict[str, Callable[..., Any]] = {}
_tools: dict[str, BaseTool] = {}
_node_kinds: dict[str, NodeKind] = {}
_reducers: dict[str, Callable[[Any, Any], Any]] = {}
_plugins_loaded = False


def _load_plugins() -> None:
    global _plugins_loaded
    with _lock:
        if _plugins_loaded:
            return
        _plugins_loaded = True
        for group, table in (("agentkit.functions", _functions), ("agentkit.tools", _tools)):
            for ep in entry_points(group=group):
                obj = ep.load()
                table.setdefault(ep.name, obj if group == "agentkit.functions" or isinstance(obj, BaseTool)
                                 else to_tool(obj))
        for ep in entry_points(group="agentkit.node_kinds"):  # each loads to a NodeKind
            kind = ep.load()
            _node_kinds.setdefault(kind.name, kind)
        for ep in entry_points(group="agentkit.reducers"):
            _reducers.setdefault(ep.name, ep.load())


def register_function(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """Make ``function`` available to ``python`` nodes as ``name``."""
    with _lock:
        _functions[name] = function
    return function


def register_tool(tool: BaseTool | Callable[..., Any], name: str | None = None) -> BaseTool:
    """Make a tool (a LangChain tool, or a typed, documented function) available by name."""
    made = tool if isinstance(tool, BaseTool) else to_tool(tool)
    with _lock:
        _tools[name or made.name] = made
    return made


def register_node_kind(kind: NodeKind) -> NodeKind:
    """Add a node kind (its name must not shadow a built-in kind)."""
    from agentkit.spec.models import BUILTIN_KINDS

    if kind.name in BUILTIN_KINDS:
        raise UserError(f"node kind {kind.name!r} is built in; choose another name")
    with _lock:
        _node_kinds[kind.name] = kind
    return kind


def node_kind(name: str) -> NodeKind:
    """The registered plug-in kind ``name``; ValueError naming every known kind."""
    from agentkit.spec.models import BUILTIN_KINDS

    _load_plugins()
    try:
        return _node_kinds[name]
    except KeyError:
        known = [*BUILTIN_KINDS, *sorted(_node_kinds)]
        raise ValueError(f"unknown node kind {name!r}; known kinds: {', '.join(known)}") from None


def register_reducer(name: str, function: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """Make ``function(current, update) -> new`` available as a state field's reducer."""
    with _lock:
        _reducers[name] = function
    return function


def reducer(name: str) -> Callable[[Any, Any], Any] | None:
    """A registered custom reducer, or None."""
    _load_plugins()
    return _reducers.get(name)


def function_names() -> list[str]:
    _load_plugins()
    return sorted(_functions)


def tool_names() -> list[str]:
    _load_plugins()
    return sorted(_tools)


def resolve_function(name: str, *, allow_imports: bool = False) -> Callable[..., Any]:
    """The registered function ``name``; a dotted ``module:attr`` path only with ``allow_imports``."""
    _load_plugins()
    if name in _functions:
        return _functions[name]
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
    try:
        return _tools[name]
    except KeyError:
        raise UserError(f"unknown tool {name!r}; known tools: {', '.join(tool_names()) or '(none)'}") from None
