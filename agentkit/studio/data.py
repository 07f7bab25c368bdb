"""What the studio shows, as plain JSON-ready dicts: graphs, runs, timelines, LLM calls,
checkpoints with their diffs, and evaluation reports.

Everything is read from the shipped graphs, the graph files under the studio's root folder
(found by a bounded scan and named by id, never by a path from the browser) and the
workspace's run database.  Values are returned as data; the page escapes all of it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentkit.errors import AgentkitError, SpecError, UserError
from agentkit.graphs import GRAPHS_DIR, shipped_graphs
from agentkit.runtime.approvals import pending_approvals
from agentkit.runtime.runner import Runner
from agentkit.spec import GraphSpec, load_spec
from agentkit.spec.diagram import edge_list, mermaid
from agentkit.spec.loader import resolve_graph
from agentkit.workspace import workspace_path

__all__ = ["EVAL_DIR", "GraphCatalog", "checkpoints", "eval_reports", "graph_detail", "llm_call", "run_detail",
           "run_list", "value_json"]

SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".agentkit", "build", "dist", ".tox"}
MAX_SCAN_FILES = 400  # files looked at under the root, at most
MAX_SCAN_DEPTH = 4
MAX_VALUE_CHARS = 20_000  # one state value as shown; longer ones are cut with a note
# PLACE FOR `agentkit eval` RESULTS: the eval command is being built on another branch (its runs go
# to the workspace's evals/ folder; its JSON report, `-o FILE`, has `cases: [{id, passed, ...}]`).
# Until it lands the studio shows every JSON report found in evals/ (or one folder down), side by
# side by case id. Adjust `eval_reports` when the command settles where it keeps its reports.
EVAL_DIR = "evals"
MAX_REPORT_BYTES = 5 * 2**20


# -- graphs ------------------------------------------------------------------------------


@dataclass
class GraphCatalog:
    """The graphs the studio can show and run: shipped ones (``shipped/NAME``) and the
    ``*.yaml`` files under ``root`` that parse as graph specs (``workspace/REL/PATH.yaml``)."""

    root: Path
    _files: dict[str, Path] = field(default_factory=dict)

    def scan(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        self._files = {f"shipped/{name}": GRAPHS_DIR / f"{name}.yaml" for name in shipped_graphs()}
        for path in self._workspace_files():
            self._files[f"workspace/{path.relative_to(self.root).as_posix()}"] = path
        for graph_id, path in self._files.items():
            row: dict[str, Any] = {"id": graph_id, "source": graph_id.split("/", 1)[0],
                                   "file": path.name if graph_id.startswith("shipped/") else graph_id[10:]}
            try:
                spec = load_spec(path)
            except SpecError as exc:
                if graph_id.startswith("workspace/") and not _looks_like_spec(path):
                    continue  # some other YAML file
                row.update(name=path.stem, error=str(exc))
            else:
                row.update(name=spec.name, description=spec.description, nodes=len(spec.nodes),
                           inputs=list(spec.input))
            rows.append(row)
        return rows

    def path(self, graph_id: str) -> Path:
        if not self._files or graph_id not in self._files:
            self.scan()
        try:
            return self._files[graph_id]
        except KeyError:
            raise UserError(f"no graph {graph_id!r} in the studio; graphs: {', '.join(sorted(self._files))}") from None

    def id_of(self, path: Path) -> str | None:
        """The id of a graph file the studio may show (None: outside the shipped graphs and the root)."""
        real = Path(os.path.realpath(path))
        if real.parent == GRAPHS_DIR and real.suffix == ".yaml":
            return f"shipped/{real.stem}"
        root = Path(os.path.realpath(self.root))
        if real.is_relative_to(root) and real.is_file():
            return f"workspace/{real.relative_to(root).as_posix()}"
        return None

    def _workspace_files(self) -> list[Path]:
        found: list[Path] = []
        root = Path(os.path.realpath(self.root))
        if root == GRAPHS_DIR:
            return found
        for folder, dirs, files in os.walk(root):  # links to folders are not followed
            depth = len(Path(folder).relative_to(root).parts)
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith(".") and
                             depth < MAX_SCAN_DEPTH)
            for name in sorted(files):
                path = Path(folder) / name
                if path.suffix in (".yaml", ".yml") and path.is_file() and not path.is_symlink():
                    found.append(path)
                    if len(found) >= MAX_SCAN_FILES:
                        return found
        return found


def _looks_like_spec(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            head = f.read(4096)
    except OSError:
        return False
    return "nodes:" in head and "entry:" in head


def _node_settings(node: Any) -> dict[str, Any]:
    data = node.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)
    data.pop("kind", None)
    data.pop("description", None)
    return data


def graph_detail(catalog: GraphCatalog, graph_id: str) -> dict[str, Any]:
    """One graph: its nodes (kind, description, settings; a subgraph's child graph id), its
    edges for the picture, the Mermaid text and the inputs a run takes."""
    path = catalog.path(graph_id)
    spec = load_spec(path)
    nodes = {}
    for name, node in spec.nodes.items():
        item: dict[str, Any] = {"kind": node.kind, "description": node.description, "settings": _node_settings(node)}
        if node.kind == "subgraph":
            try:
                child = resolve_graph(node.graph, path.parent)
            except (SpecError, OSError):
                child = None
            item["subgraph"] = catalog.id_of(child) if child is not None and child.is_file() else None
        nodes[name] = item
    return {"id": graph_id, "name": spec.name, "description": spec.description, "entry": spec.entry,
            "file": path.name, "nodes": nodes, "mermaid": mermaid(spec),
            "edges": [{"from": a, "to": b, "label": label} for a, b, label in edge_list(spec)],
            "inputs": run_form(spec), "output": list(spec.output)}


def run_form(spec: GraphSpec) -> list[dict[str, Any]]:
    """The fields a run of ``spec`` takes (its ``input`` list), for the start form."""
    rows = []
    for name in spec.input:
        state = spec.state.get(name)
        rows.append({"name": name, "type": state.type if state else "any",
                     "description": state.description if state else "",
                     "default": value_json(state.default) if state and state.default is not None else None,
                     "required": name in spec.missing_inputs({}),
                     "image": name in ("image", "images")})
    return rows


# -- values ------------------------------------------------------------------------------


def value_json(value: Any) -> Any:
    """A state value as JSON data: bytes become a note of their size, long text is cut."""
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    if isinstance(value, str):
        return value if len(value) <= MAX_VALUE_CHARS else value[:MAX_VALUE_CHARS] + \
            f"... [{len(value) - MAX_VALUE_CHARS} more characters]"
    if isinstance(value, dict):
        return {str(k): value_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [value_json(v) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if hasattr(value, "model_dump"):
        try:
            return value_json(value.model_dump(mode="json"))
        except Exception:  # a value that will not dump is shown as text
            pass
    return str(value)


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    changes = []
    for key in [*before, *(k for k in after if k not in before)]:
        if key not in after:
            changes.append({"field": key, "change": "removed", "before": before[key]})
        elif key not in before:
            changes.append({"field": key, "change": "added", "after": after[key]})
        elif json.dumps(before[key], sort_keys=True, default=str) != json.dumps(after[key], sort_keys=True,
                                                                                  default=str):
            changes.append({"field": key, "change": "changed", "before": before[key], "after": after[key]})
    return changes


# -- runs --------------------------------------------------------------------------------


def run_list(runner: Runner, *, status: str = "", graph: str = "", limit: int = 200) -> list[dict[str, Any]]:
    """Recent runs (newest first) with their usage, filtered by status and graph name."""
    rows = []
    for record in runner.store.list_runs(max(1, min(limit, 2000))):
        if (status and record.status != status) or (graph and record.graph != graph):
            continue
        calls, tokens = runner.store.usage(record.thread_id)
        rows.append({"thread_id": record.thread_id, "graph": record.graph, "status": record.status,
                     "message": record.message, "created": record.created, "updated": record.updated,
                     "seconds": round(record.seconds, 3), "llm_calls": calls, "tokens": tokens,
                     "parent_thread": record.parent_thread})
    return rows


def _call_summary(call: Any) -> dict[str, Any]:
    output = call.output.get("data", call.output) if isinstance(call.output, dict) else {}
    usage = output.get("usage_metadata") or {}
    meta = output.get("response_metadata") or {}
    cached = (usage.get("input_token_details") or {}).get("cache_read")
    route = meta.get("tool_route")
    return {"id": call.id, "node": call.node, "namespace": call.namespace,
            "task": call.namespace.rsplit("|", 1)[-1].partition(":")[2] if call.namespace else "",
            "input_tokens": call.input_tokens, "output_tokens": call.output_tokens, "ms": call.ms,
            "cache_read": cached, "cache_hit": bool(cached) if cached is not None else None,
            "route": route.get("tool") if isinstance(route, dict) else None,
            "tool_calls": [c.get("name") for c in output.get("tool_calls") or []],
            "created": call.created, "model": call.model, "has_prompt": call.prompt is not None}


def _tool_summary(call: Any) -> dict[str, Any]:
    return {"id": call.id, "node": call.node, "namespace": call.namespace,
            "task": call.namespace.rsplit("|", 1)[-1].partition(":")[2] if call.namespace else "",
            "name": call.name, "started": call.started, "ms": call.ms, "status": call.status,
            "args": call.args, "output": call.output}


def run_detail(runner: Runner, thread_id: str) -> dict[str, Any]:
    """One run: its record, usage, every node execution (nested ones with their parent), its
    LLM calls (summaries), the tool calls its nodes made and the approvals it waits for."""
    record = runner.run(thread_id)
    calls, tokens = runner.store.usage(thread_id)
    spec = GraphSpec.model_validate(json.loads(record.spec_json))
    events = [{"node": e.node, "started": e.started, "seconds": e.seconds, "llm_calls": e.llm_calls,
               "tokens": e.tokens, "status": e.status, "task": e.task, "parent": e.parent,
               "parent_task": e.parent.rsplit("|", 1)[-1].partition(":")[2] if e.parent else "",
               "kind": spec.nodes[e.node].kind if not e.parent and e.node in spec.nodes else None}
              for e in runner.history(thread_id, nested=True)]
    approvals: list[dict[str, Any]] = []
    next_nodes: list[str] = []
    if record.status in ("awaiting_approval", "paused", "running", "stopped", "budget_exceeded", "failed"):
        try:
            snapshot = runner.snapshot(thread_id)
            approvals = pending_approvals(snapshot)
            next_nodes = list(snapshot.next)
        except AgentkitError:
            pass
    return {"thread_id": record.thread_id, "graph": record.graph, "status": record.status,
            "message": record.message, "created": record.created, "updated": record.updated,
            "seconds": round(record.seconds, 3), "inputs": value_json(record.inputs),
            "parent_thread": record.parent_thread, "options": {k: v for k, v in record.options.items()
                                                               if k in ("forked_from", "replay_of", "decisions")},
            "llm_calls": calls, "tokens": tokens, "nodes": events, "next": next_nodes,
            "calls": [_call_summary(c) for c in runner.llm_calls(thread_id)], "approvals": approvals,
            "tools": [_tool_summary(t) for t in runner.tool_calls(thread_id)],
            "graph_nodes": {n: node.kind for n, node in spec.nodes.items()},
            "children": runner.store.children(thread_id)}


def llm_call(runner: Runner, thread_id: str, call_id: int) -> dict[str, Any]:
    """One LLM call in full: the prompt as sent, the reply, the tool-route decision, usage, time."""
    runner.run(thread_id)
    found = runner.store.llm_calls(thread_id, call_id=call_id)
    if not found:
        raise UserError(f"run {thread_id} has no LLM call {call_id}")
    call = found[0]
    output = call.output.get("data", call.output)
    messages = []
    for item in (call.prompt or {}).get("messages", []):
        data = item.get("data", {})
        messages.append({"role": item.get("type", data.get("type", "")), "content": data.get("content", ""),
                         "name": data.get("name"), "tool_calls": data.get("tool_calls") or [],
                         "tool_call_id": data.get("tool_call_id")})
    request = (call.prompt or {}).get("request", {})
    tools = [(t.get("function") or t).get("name", str(t)) if isinstance(t, dict) else str(t)
             for t in request.get("tools") or []]
    meta = output.get("response_metadata") or {}
    return {**_call_summary(call), "thread_id": thread_id, "params": call.params, "model_sha256": call.model_sha256,
            "prompt_hash": call.prompt_hash, "messages": messages,
            "request": {"tools": tools, **{k: v for k, v in request.items() if k != "tools"}},
            "reply": {"content": output.get("content", ""), "tool_calls": output.get("tool_calls") or [],
                      "finish_reason": meta.get("finish_reason")},
            "tool_route": meta.get("tool_route"), "usage": output.get("usage_metadata") or {}}


def checkpoints(runner: Runner, thread_id: str) -> list[dict[str, Any]]:
    """Every checkpoint of the run's own graph, oldest first (LangGraph's state history):
    step, what wrote it, the nodes due next, the state, and its diff against the step before."""
    record = runner.run(thread_id)
    from agentkit.compile import compile_spec
    from agentkit.runtime.recording import ReplayChatModel

    spec = GraphSpec.model_validate(json.loads(record.spec_json))
    config = {"configurable": {"thread_id": thread_id}}
    try:
        graph = compile_spec(spec, model_factory=lambda name: ReplayChatModel(), checkpointer=runner.saver,
                             allow_imports=bool(record.options.get("allow_imports")))
    except AgentkitError:  # e.g. a python node's function registered only in the program that ran it
        return _raw_checkpoints(runner, config, set(spec.state))
    history = list(graph.get_state_history(config))[::-1]
    rows: list[dict[str, Any]] = []
    previous: dict[str, Any] = {}
    ran: list[str] = []  # the tasks of the step before: what produced this checkpoint
    for snapshot in history:
        values = value_json(dict(snapshot.values or {}))
        meta = snapshot.metadata or {}
        rows.append({"checkpoint_id": snapshot.config["configurable"]["checkpoint_id"], "step": meta.get("step"),
                     "source": meta.get("source"), "created": snapshot.created_at, "ran": ran,
                     "next": list(snapshot.next), "values": values, "diff": _diff(previous, values)})
        previous = values
        ran = [t.name for t in snapshot.tasks]
    return rows


def _raw_checkpoints(runner: Runner, config: dict[str, Any], fields: set[str]) -> list[dict[str, Any]]:
    """The history read from the checkpoints alone (no graph to compile): the state fields' values
    and what wrote each step; which nodes were due next is not known this way."""
    rows: list[dict[str, Any]] = []
    previous: dict[str, Any] = {}
    for tup in reversed(list(runner.saver.list(config))):
        channels = tup.checkpoint.get("channel_values", {})
        values = value_json({k: v for k, v in channels.items() if k in fields})
        meta = tup.metadata or {}
        rows.append({"checkpoint_id": tup.checkpoint["id"], "step": meta.get("step"), "source": meta.get("source"),
                     "created": tup.checkpoint.get("ts"), "ran": [], "next": [], "values": values,
                     "diff": _diff(previous, values),
                     "note": "which nodes ran is not known here: the graph cannot be built in this process"})
        previous = values
    return rows


# -- evaluation reports ------------------------------------------------------------------


def eval_reports() -> dict[str, Any]:
    """The JSON reports in the workspace's ``evals/`` folder and its subfolders, newest first (see
    ``EVAL_DIR``)."""
    folder = workspace_path(EVAL_DIR, "x", create_parent=False).parent
    reports = []
    if folder.is_dir():
        found = [*folder.glob("*.json"), *folder.glob("*/*.json")]
        files = sorted((p for p in found if p.is_file() and not p.is_symlink()),
                       key=lambda p: p.stat().st_mtime, reverse=True)[:20]
        for path in files:
            try:
                if path.stat().st_size > MAX_REPORT_BYTES:
                    raise ValueError(f"larger than {MAX_REPORT_BYTES} bytes")
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                reports.append({"file": path.relative_to(folder).as_posix(), "error": str(exc)})
                continue
            reports.append({"file": path.relative_to(folder).as_posix(), "modified": path.stat().st_mtime,
                            "report": value_json(data)})
    return {"folder": str(folder), "reports": reports,
            "note": "reports of agentkit eval saved in this folder (agentkit eval GRAPH DATASET -o "
                    f"{folder}/NAME.json), side by side by case"}
