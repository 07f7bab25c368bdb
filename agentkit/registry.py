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
from importlib.metadata import entry_points
from typing import Any, Callable

from langchain_core.tools import BaseTool, tool as to_tool

from agentkit.errors import UserError

__all__ = ["get_tool", "register_function", "register_tool", "resolve_function", "tool_names", "function_names"]

_lock = threading.Lock()
_functions: dict[str, Callable[..., Any]] = {}
_tools: dict[str, BaseTool] = {}
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
