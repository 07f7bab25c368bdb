"""Spec -> LangGraph: ``compile_spec`` turns a checked ``GraphSpec`` into a real
``CompiledStateGraph`` (invoke, stream modes, checkpointers and interrupts are
LangGraph's own).  Nothing of the spec is interpreted again at run time except
templates and router expressions, which were checked when the spec loaded.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import string
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Callable, TypedDict

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import ToolException
from langgraph.graph import END as LG_END
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import RetryPolicy, Send
from pydantic import ValidationError

from agentkit.build.expressions import compile_expression
from agentkit.errors import AgentkitError, UserError
from agentkit.registry import get_tool, node_kind, resolve_function
from agentkit.registry import reducer as registered_reducer
from agentkit.spec.loader import SpecError, SpecIssue, load_spec
from agentkit.spec.models import (
    END,
    AgentNode,
    GraphSpec,
    LLMNode,
    MapNode,
    PluginNode,
    PythonNode,
    RouterNode,
    SubgraphNode,
    ToolNode,
)

__all__ = ["BuildOptions", "GraphBuildError", "NodeTimeoutError", "compile_spec"]

_log = logging.getLogger(__name__)
_PY_TYPES: dict[str, Any] = {"str": str, "int": int, "float": float, "bool": bool, "list": list,
                             "dict": dict, "messages": list, "any": Any}


class GraphBuildError(UserError):
    """A spec that passed its checks but cannot be built (e.g. a subgraph cycle)."""


def _append(left: Any, right: Any) -> list[Any]:
    return list(left or []) + (list(right) if isinstance(right, list) else [right])


def _merge(left: Any, right: Any) -> dict[str, Any]:
    return {**(left or {}), **(right or {})}


_REDUCERS: dict[str, Callable[[Any, Any], Any] | None] = {
    "replace": None, "append": _append, "merge": _merge, "messages": add_messages,
}


class _PlainFormatter(string.Formatter):
    """``{field}`` substitution only: no attribute or index access on state values."""

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        if not field_name.isidentifier():
            raise UserError(f"template field {{{field_name}}}: only plain {{field}} names are allowed")
        return super().get_field(field_name, args, kwargs)


_FORMATTER = _PlainFormatter()


def _is_passages(value: Any) -> bool:
    return bool(value) and isinstance(value, list) and all(isinstance(v, dict) and "text" in v for v in value)


def prompt_text(value: Any) -> str:
    """How a state value reads inside a prompt: text as is, None as nothing, a list of
    passages (dicts with ``text``, as ``retrieve`` writes) as numbered passages with their
    sources (``[1] handbook.md, page 2``), which an answer can cite, and any other list or
    dict as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if _is_passages(value):
        blocks = []
        for number, item in enumerate(value, 1):
            where = ", ".join(str(part) for part in (
                item.get("source"), f"page {item['page']}" if item.get("page") is not None else None) if part)
            blocks.append(f"[{number}] {where}\n{item['text']}" if where else f"[{number}]\n{item['text']}")
        return "\n\n".join(blocks)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def render(template: str, state: dict[str, Any]) -> str:
    """Fill ``{field}`` placeholders from ``state`` (missing fields render empty; values as
    ``prompt_text`` shows them)."""
    names = {name for _, name, _, _ in _FORMATTER.parse(template) if name}
    values = {n: state.get(n) for n in names}  # numbers stay numbers, so {price:.2f} still works
    return _FORMATTER.vformat(template, (), {n: v if isinstance(v, (int, float)) else prompt_text(v)
                                             for n, v in values.items()})


@dataclass(kw_only=True)
class BuildOptions:
    """How a spec is built: where relative paths start, what may be imported, which models."""

    base_dir: Path = field(default_factory=Path.cwd)
    allow_imports: bool = False
    model_factory: Callable[[str | None], BaseChatModel] | None = None
    checkpointer: Any = None
    _stack: tuple[Path, ...] = ()

    @classmethod
    def for_spec(cls, spec: GraphSpec, **settings: Any) -> "BuildOptions":
        """Options for building ``spec``: relative subgraph paths start at its file's folder
        (the working directory for a spec built in Python), and the file itself is the
        first entry of the include stack."""
        origin = Path(spec._source)
        path = origin.resolve() if origin.is_file() else None
        return cls(base_dir=path.parent if path else Path.cwd(), _stack=(path,) if path else (), **settings)

    def model(self, name: str | None) -> BaseChatModel:
        if self.model_factory is not None:
            return self.model_factory(name)
        from agentkit.llm import get_chat_model

        return get_chat_model(name)


def _state_schema(spec: GraphSpec) -> type:
    fields: dict[str, Any] = {}
    for name, f in spec.state.items():
        py_type = _PY_TYPES[f.type]
        reducer = _REDUCERS[f.reducer] if f.reducer in _REDUCERS else registered_reducer(f.reducer)
        fields[name] = Annotated[py_type, reducer] if reducer else py_type
    return TypedDict(f"{spec.name}_state", fields, total=False)  # type: ignore[operator]


def _subset_schema(spec: GraphSpec, names: list[str], suffix: str) -> type | None:
    if not names:
        return None
    return TypedDict(f"{spec.name}_{suffix}", {n: _PY_TYPES[spec.state[n].type] for n in names},  # type: ignore[operator]
                     total=False)


def _write(output: str | None, value: Any, node: str) -> dict[str, Any]:
    if output is not None:
        return {output: value}
    if isinstance(value, dict):
        return value
    if value is None:
        return {}
    raise UserError(f"node {node!r} returned {type(value).__name__}; without 'output' a python node "
                    f"must return a dict of state updates")


def _python_node(name: str, node: PythonNode, options: BuildOptions) -> Callable[[dict[str, Any]], Any]:
    function = resolve_function(node.function, allow_imports=options.allow_imports)

    def run(state: dict[str, Any]) -> dict[str, Any]:
        return _write(node.output, function(state), name)

    return run


def chat_messages(system: str, text: str) -> list[Any]:
    """A system message (when ``system`` is not empty) and one human message."""
    return ([SystemMessage(system)] if system else []) + [HumanMessage(text)]


def structured(model: BaseChatModel, schema: dict[str, Any], **settings: Any) -> Any:
    """``model`` answering with a dict that fits the JSON ``schema``: agentkit's llama.cpp model
    decodes it under a grammar (``response_format``); any other chat model uses its own
    ``with_structured_output``."""
    from langchain_core.output_parsers import JsonOutputParser

    from agentkit.llm.chat_model import ChatLlamaCpp

    if isinstance(model, ChatLlamaCpp):
        return model.bind(response_format={"type": "json_schema", "schema": schema}, **settings) | JsonOutputParser()
    return model.with_structured_output(schema)


def _llm_node(name: str, node: LLMNode, options: BuildOptions) -> Callable[[dict[str, Any]], Any]:
    model = options.model(node.model)
    settings = node.sampling()
    if node.output_schema is not None:
        runnable: Any = structured(model, node.output_schema, **settings)
    else:
        runnable = model.bind(**settings) if settings else model

    def run(state: dict[str, Any]) -> dict[str, Any]:
        result = runnable.invoke(chat_messages(render(node.system or "", state), render(node.prompt, state)))
        return {node.output: result.content if node.output_schema is None else result}

    return run


def _tool_args(args: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in args.items():
        if isinstance(value, str):
            stripped = value.strip()
            if stripped.startswith("{") and stripped.endswith("}") and stripped[1:-1].isidentifier():
                out[key] = state.get(stripped[1:-1])  # a whole-field reference keeps its type
            else:
                out[key] = render(value, state)
        else:
            out[key] = value
    return out


def _tool_node(name: str, node: ToolNode, options: BuildOptions) -> Callable[[dict[str, Any]], Any]:
    tool = get_tool(node.tool)

    def run(state: dict[str, Any]) -> dict[str, Any]:
        try:
            return {node.output: tool.invoke(_tool_args(node.args, state))}
        except ValidationError as exc:  # the args the graph built from state do not fit the tool
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'args'}: {e['msg']}" for e in exc.errors())
            raise UserError(f"node {name!r}: tool {node.tool!r} refused its arguments: {problems}") from None

    return run


def is_high_risk(tool: Any) -> bool:
    """A tool marked ``metadata={"risk": "high"}``: an agent node's model may call it only
    when the node's ``allow_high_risk`` names it."""
    return (getattr(tool, "metadata", None) or {}).get("risk") == "high"


def _agent_tool_call(node_name: str, call: dict[str, Any], tools: dict[str, Any],
                     pinned: dict[str, dict[str, Any]], state: dict[str, Any]) -> ToolMessage:
    """Run one tool call of an agent node's model.  The model's output (which may echo
    text read from documents or images) never widens what the node may do: a tool
    outside the node's ``tools`` is refused, not run, and the arguments the graph
    pins for a high-risk tool replace the model's."""
    tool = tools.get(call["name"])
    if tool is None:
        _log.warning("node %r: refused a call to %r, which is not among its tools %s", node_name, call["name"],
                     list(tools))
        return ToolMessage(f"refused: tool {call['name']!r} is not available here; available tools: "
                           f"{', '.join(tools)}", tool_call_id=call["id"], name=call["name"], status="error")
    args = dict(call["args"])
    if call["name"] in pinned:
        args.update(_tool_args(pinned[call["name"]], state))
    try:
        result = tool.invoke(args)
    except (ValidationError, ToolException, UserError) as exc:
        # A call the tool refuses (bad arguments, a file outside the allowed roots...) is
        # the model's mistake, not the run's: the model reads the error and may try again.
        _log.info("node %r: tool %r refused the call: %s", node_name, call["name"], exc)
        return ToolMessage(f"error: {exc}", tool_call_id=call["id"], name=call["name"], status="error")
    return ToolMessage(str(result), tool_call_id=call["id"], name=call["name"])


def model_tools(names: list[str], allow_high_risk: dict[str, Any] | None = None) -> dict[str, Any]:
    """The tools a node's model may call, by name: an unknown name raises UserError naming the
    known tools, and a high-risk tool is refused unless ``allow_high_risk`` lists it (None: the
    node kind has no such key, so a high-risk tool is always refused)."""
    tools = {t: get_tool(t) for t in names}
    for tool_name in allow_high_risk or {}:
        if tool_name not in tools:
            raise UserError(f"allow_high_risk names {tool_name!r}, which is not in this node's tools")
    for tool_name, tool in tools.items():
        if is_high_risk(tool) and tool_name not in (allow_high_risk or {}):
            if allow_high_risk is None:
                raise UserError(f"tool {tool_name!r} is high-risk: only an agent node's model may call it, when "
                                f"the node lists it under allow_high_risk (with the arguments the graph pins)")
            raise UserError(f"tool {tool_name!r} is high-risk: an agent node's model calls it only when the node "
                            f"lists it under allow_high_risk (with the arguments the graph pins, e.g. "
                            f"allow_high_risk: {{{tool_name}: {{}}}})")
    return tools


def _agent_node(name: str, node: AgentNode, options: BuildOptions) -> Callable[[dict[str, Any]], Any]:
    tools = model_tools(node.tools, node.allow_high_risk)
    model = options.model(node.model).bind_tools(list(tools.values()))

    def run(state: dict[str, Any]) -> dict[str, Any]:
        messages = chat_messages(render(node.system or "", state), render(node.prompt, state))
        reply = None
        for _ in range(node.max_steps):
            reply = model.invoke(messages)
            messages.append(reply)
            if not reply.tool_calls:
                break
            for call in reply.tool_calls:
                messages.append(_agent_tool_call(name, call, tools, node.allow_high_risk, state))
        return {node.output: reply.content if reply is not None else ""}

    return run


def resolve_graph(reference: str, base_dir: Path) -> Path:
    """A subgraph reference -> its file: a path relative to the including spec, or a
    graph name looked up as ``NAME.yaml`` in that folder, its ``graphs/`` folder, the
    folders of ``AGENTKIT_GRAPHS_PATH`` (os.pathsep-separated) and the shipped graphs."""
    direct = (base_dir / reference).resolve()
    if direct.is_file() or reference.endswith((".yaml", ".yml")) or "/" in reference:
        return direct
    from agentkit.graphs import GRAPHS_DIR

    folders = [base_dir, base_dir / "graphs",
               *(Path(p) for p in os.environ.get("AGENTKIT_GRAPHS_PATH", "").split(os.pathsep) if p), GRAPHS_DIR]
    for folder in folders:
        for suffix in (".yaml", ".yml"):
            candidate = folder / f"{reference}{suffix}"
            if candidate.is_file():
                return candidate.resolve()
    raise GraphBuildError(f"no graph named {reference!r}; looked for {reference}.yaml in "
                          f"{', '.join(str(f) for f in folders)}")


def _subgraph_node(name: str, node: SubgraphNode, options: BuildOptions) -> Callable[[dict[str, Any]], Any]:
    path = resolve_graph(node.graph, options.base_dir)
    if path in options._stack:
        chain = " -> ".join(p.name for p in (*options._stack, path))
        raise GraphBuildError(f"subgraph {name!r} includes itself: {chain}")
    child_spec = load_spec(path)
    child = compile_spec(child_spec, options=BuildOptions(
        base_dir=path.parent, allow_imports=options.allow_imports, model_factory=options.model_factory,
        _stack=(*options._stack, path)))

    def run(state: dict[str, Any]) -> dict[str, Any]:
        given = {child_field: state.get(parent) for child_field, parent in node.inputs.items()}
        missing = child_spec.missing_inputs(given)
        if missing:
            raise UserError(f"subgraph node {name!r}: graph {child_spec.name!r} needs input "
                            f"{', '.join(map(repr, missing))}; map it under inputs: (child field: parent field)")
        result = child.invoke(child_spec.with_defaults(given))
        return {parent: result.get(child_field) for parent, child_field in node.outputs.items()}

    return run


def _plugin_node(name: str, node: PluginNode, options: BuildOptions) -> Callable[[dict[str, Any]], Any]:
    return node_kind(node.kind).build(name, node.plugin_spec(), options)


def _router_path(name: str, node: RouterNode, spec: GraphSpec, options: BuildOptions) -> Callable[[dict[str, Any]], str]:
    labels = list(node.routes)

    def pick(label: Any) -> str:
        label = str(label)
        if label in node.routes:
            return label
        if node.default:
            return "__default__"
        raise UserError(f"router {name!r} chose {label!r}, which is not one of its routes: {', '.join(labels)}")

    if node.expression is not None:
        evaluate = compile_expression(node.expression, set(spec.state))
        return lambda state: pick(evaluate(state))
    model = structured(options.model(node.model), {"title": "choice", "type": "object",
                                                   "properties": {"label": {"enum": labels}}, "required": ["label"]})
    prompt = node.prompt or ""
    # Each label with what its target does (the target node's description), so the model
    # chooses between specialists by what they are for, not by their names alone; the
    # choices come first and the request last, which the 0.5B default model follows best.
    described = [f"- {label}: {spec.nodes[target].description}" if target in spec.nodes
                 and spec.nodes[target].description else f"- {label}" for label, target in node.routes.items()]
    choices = "\n".join(described)

    def ask(state: dict[str, Any]) -> str:
        question = f"Choices:\n{choices}\n\n{render(prompt, state)}\nReply with the label of the one choice that fits."
        return pick(model.invoke([HumanMessage(question)])["label"])

    return ask


class NodeTimeoutError(AgentkitError, TimeoutError):
    """A node ran past its ``timeout_s``."""


def _with_timeout(name: str, action: Callable[[dict[str, Any]], Any], seconds: float) -> Callable[[dict[str, Any]], Any]:
    """Stop waiting for ``action`` after ``seconds``.  LangGraph's own node timeout
    covers async nodes only; a sync node keeps running in its worker thread until it
    returns (Python cannot kill a thread), but the run moves on with the error."""

    def run(state: dict[str, Any]) -> Any:
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"agentkit-node-{name}")
        try:
            # the copied context carries LangGraph's run config (callbacks, interrupts) into the worker
            return pool.submit(contextvars.copy_context().run, action, state).result(timeout=seconds)
        except FutureTimeout:
            raise NodeTimeoutError(f"node {name!r} ran longer than its timeout_s={seconds}") from None
        finally:
            pool.shutdown(wait=False)

    return run


# The key whose name failed to resolve, for the error's location.
_REFERENCE_KEYS: dict[type, str] = {ToolNode: "tool", AgentNode: "tools", PythonNode: "function",
                                    SubgraphNode: "graph"}


def _target(name: str) -> str:
    return LG_END if name == END else name


def compile_spec(spec: GraphSpec, *, options: BuildOptions | None = None) -> Any:
    """Build ``spec`` into a LangGraph ``CompiledStateGraph``."""
    options = options or BuildOptions()
    builder = StateGraph(_state_schema(spec), input_schema=_subset_schema(spec, spec.input, "input"),
                         output_schema=_subset_schema(spec, spec.output, "output"))
    makers: dict[type, Callable[..., Callable[[dict[str, Any]], Any]]] = {
        PythonNode: _python_node, LLMNode: _llm_node, ToolNode: _tool_node, AgentNode: _agent_node,
        SubgraphNode: _subgraph_node, PluginNode: _plugin_node,
    }
    for name, node in spec.nodes.items():
        try:
            action = makers[type(node)](name, node, options) if type(node) in makers else (lambda state: {})
        except SpecError:
            raise
        except UserError as exc:  # an unknown tool or function, a bad subgraph: say where
            key = _REFERENCE_KEYS.get(type(node))
            where = ("nodes", name, key) if key else ("nodes", name)
            raise SpecError([SpecIssue(path=".".join(where), line=spec.line_of(*where), message=str(exc))],
                            spec._source) from None
        # A declared retry covers any failure except a user mistake (which would fail again).
        retry = RetryPolicy(max_attempts=node.retry.attempts, initial_interval=node.retry.backoff_s,
                            retry_on=lambda exc: not isinstance(exc, UserError)) if node.retry else None
        if node.timeout_s:
            action = _with_timeout(name, action, node.timeout_s)
        if node.approval:
            from agentkit.runtime.approvals import approval_gate

            action = approval_gate(name, node.approval, action)
        builder.add_node(name, action, retry_policy=retry)
    builder.add_edge(START, spec.entry)
    has_exit = {e.source for e in spec.edges}
    for edge in spec.edges:
        builder.add_edge(edge.source, _target(edge.target))
    for name, node in spec.nodes.items():
        if isinstance(node, RouterNode):
            path_map = {label: _target(t) for label, t in node.routes.items()}
            if node.default:
                path_map["__default__"] = _target(node.default)
            builder.add_conditional_edges(name, _router_path(name, node, spec, options), path_map)
        elif isinstance(node, MapNode):
            def fan_out(state: dict[str, Any], node: MapNode = node) -> list[Send]:
                return [Send(node.node, {**state, node.item: item}) for item in state.get(node.over) or []]

            builder.add_conditional_edges(name, fan_out, [node.node])
        elif name not in has_exit:
            builder.add_edge(name, LG_END)
    return builder.compile(checkpointer=options.checkpointer, name=spec.name).with_config(
        recursion_limit=spec.recursion_limit)
