"""Graphs as MCP tools: what ``agentkit mcp serve`` offers an MCP client.

Each graph becomes one tool named after the graph: its description is the spec's, its input
schema comes from the spec's declared inputs (their state field types, descriptions and
defaults; an input with no default that is not ``optional`` is required).  Each call is a
durable run (``Runner``, the workspace's run database): the result holds its ``thread_id``,
``status`` and ``output``; node events go to the client as progress notifications.  A run that
reaches a node needing approval is never waited on: it stops with status
``awaiting_approval``, and the result says which node asks what and how a person resumes it
(``agentkit resume THREAD --approve``, in the same workspace).

``search_memory`` (the memory tool, read-only) is offered too when the memory extra is
installed.
"""

from __future__ import annotations

import os
import shlex
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agentkit.errors import MissingExtraError, UserError
from agentkit.mcp.server import Progress, ServedTool
from agentkit.registry import get_tool
from agentkit.runtime.checkpoints import default_database
from agentkit.runtime.events import RunEvent
from agentkit.runtime.runner import Runner, RunResult
from agentkit.spec import GraphSpec, load_spec

__all__ = ["graph_tool", "input_schema", "memory_tool", "served_tools"]

_JSON_TYPES: dict[str, dict[str, Any]] = {
    "str": {"type": "string"}, "int": {"type": "integer"}, "float": {"type": "number"},
    "bool": {"type": "boolean"}, "list": {"type": "array"}, "dict": {"type": "object"},
    "messages": {"type": "array"}, "any": {},
}


def input_schema(spec: GraphSpec) -> dict[str, Any]:
    """The JSON schema of a graph's declared inputs."""
    properties: dict[str, Any] = {}
    for name in spec.input:
        field = spec.state[name]
        schema = dict(_JSON_TYPES[field.type])
        if name == "image" and field.type in ("str", "any"):
            schema = {"type": "string", "description": "the path of an image file on the server's machine"}
        elif name == "images" and field.type in ("list", "any"):
            schema = {"type": "array", "items": {"type": "string"},
                      "description": "paths of image files on the server's machine"}
        if field.description:
            schema["description"] = field.description
        if field.default is not None:
            schema["default"] = field.default
        properties[name] = schema
    required = spec.missing_inputs({})
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _description(spec: GraphSpec) -> str:
    text = spec.description.strip() or f"Runs the agentkit graph {spec.name!r}."
    outputs = ", ".join(spec.output) or "its final state"
    return (f"{text}\n\nA durable agentkit run. Returns JSON: thread_id, status (done, awaiting_approval, "
            f"budget_exceeded, ...), output ({outputs}) and, when it waits for a person, what to run to resume.")


def _progress_text(event: RunEvent) -> str | None:
    if event.kind == "run_start":
        return f"run {event.thread_id} started ({event.data.get('graph')})"
    if event.kind == "node_start":
        return f"{event.node}: started"
    if event.kind == "node_end":
        return f"{event.node}: {event.data.get('status')} in {event.data.get('seconds', 0):.2f} s"
    if event.kind == "approval":
        return f"{event.node}: waiting for approval: {event.data.get('question')}"
    return None


def _result(result: RunResult, database: Path) -> dict[str, Any]:
    data: dict[str, Any] = {"thread_id": result.thread_id, "status": result.status, "output": result.output}
    if result.message:
        data["message"] = result.message
    if result.status == "awaiting_approval":
        workspace = shlex.quote(str(database.parent))
        data["approvals"] = [{"node": item["node"], "question": item["question"]} for item in result.approvals]
        data["resume"] = (f"the run waits for a person: AGENTKIT_WORKSPACE={workspace} agentkit resume "
                          f"{result.thread_id} --approve (or --reject)")
    elif result.status in ("budget_exceeded", "paused", "stopped"):
        data["resume"] = f"agentkit resume {result.thread_id} (in {database.parent})"
    data["usage"] = result.usage
    return data


class _Runs:
    """One ``Runner`` (one run database) shared by every call of the served graphs; each call's
    node events go to that call's progress function (runs are driven in the calling thread)."""

    def __init__(self, database: str | Path | None, *, allow_imports: bool = False) -> None:
        self.database = Path(database) if database is not None else None
        self.allow_imports = allow_imports
        self._runner: Runner | None = None
        self._lock = threading.Lock()
        self._local = threading.local()

    def _sink(self, event: RunEvent) -> None:
        progress = getattr(self._local, "progress", None)
        text = _progress_text(event)
        if progress is not None and text is not None:
            progress(text)

    def start(self, spec: GraphSpec, arguments: dict[str, Any], progress: Progress) -> dict[str, Any]:
        with self._lock:
            if self._runner is None:
                self._runner = Runner(self.database or default_database(), sink=self._sink)
        self._local.progress = progress
        try:
            return _result(self._runner.start(spec, arguments, allow_imports=self.allow_imports), self._runner.database)
        finally:
            self._local.progress = None


def graph_tool(source: str | Path | GraphSpec, *, database: str | Path | None = None,
               runs: _Runs | None = None) -> ServedTool:
    """The graph ``source`` (a file, or a shipped graph's name) as a tool whose calls are
    durable runs in ``database`` (default: the workspace's run database)."""
    spec = load_spec(source)
    runner = runs or _Runs(database)
    return ServedTool(name=spec.name, description=_description(spec), input_schema=input_schema(spec),
                      run=lambda arguments, progress: runner.start(spec, arguments, progress))


def memory_tool() -> ServedTool:
    """``search_memory`` from the memory tool pack, read-only (``MissingExtraError`` without it)."""
    tool = get_tool("search_memory")
    schema = tool.tool_call_schema.model_json_schema() if hasattr(tool.tool_call_schema, "model_json_schema") \
        else dict(tool.tool_call_schema)
    schema.pop("title", None)
    schema.pop("description", None)
    return ServedTool(name=tool.name, description=tool.description, input_schema=schema,
                      run=lambda arguments, progress: tool.invoke(arguments), read_only=True)


def served_tools(graphs: Sequence[str | Path], *, memory: bool = True, database: str | Path | None = None,
                 allow_imports: bool = False) -> list[ServedTool]:
    """Tools for ``graphs`` (default: every shipped graph) and, if ``memory``, memory search;
    ``allow_imports`` lets the graphs run code of their own (as ``agentkit run --allow-imports``)."""
    if not graphs:
        from agentkit.graphs import shipped_graphs

        graphs = list(shipped_graphs())
    runs = _Runs(database, allow_imports=allow_imports)
    tools = [graph_tool(graph, runs=runs) for graph in graphs]
    if memory:
        try:
            tools.append(memory_tool())
        except MissingExtraError as exc:
            if os.environ.get("AGENTKIT_DEBUG"):
                raise
            import logging

            logging.getLogger(__name__).warning("search_memory not served: %s", exc)
    names = [tool.name for tool in tools]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise UserError(f"two tools would be named {', '.join(map(repr, duplicates))}; each graph's name must be "
                        f"unique and not 'search_memory' (serve it with --no-memory, or rename the graph)")
    return tools
