"""Spec -> LangGraph: ``compile_spec`` assembles a checked ``GraphSpec`` into a real
``CompiledStateGraph`` (invoke, stream modes, checkpointers and interrupts are
LangGraph's own).

Assembly only: the state schema from the spec's fields and reducers; each node built by
its kind (``agentkit.registry`` -> ``NodeKind.build``), wrapped in the policies every
node may declare (``retry``, ``timeout_s``, ``approval``); the edges, and a conditional
edge for every node that routes itself (a router, a map).  Nothing of the spec is
interpreted again at run time except templates and router expressions, which were
checked when the spec loaded.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Annotated, Any, TypedDict

from langchain_core.language_models import BaseChatModel
from langgraph.graph import END as LG_END
from langgraph.graph import START, StateGraph
from langgraph.types import RetryPolicy, interrupt

from agentkit.errors import (
    ApprovalRejectedError,
    GraphBuildError,
    NodeTimeoutError,
    RunStopped,
    SpecError,
    SpecIssue,
    UserError,
)
from agentkit.nodes import BuildContext, BuiltNode, NodeAction
from agentkit.registry import node_kind, reducer
from agentkit.spec.loader import load_spec, resolve_graph
from agentkit.spec.models import END, GraphSpec
from agentkit.tracing import traced_node

__all__ = ["APPROVAL_KIND", "ModelFactory", "compile_spec"]

ModelFactory = Callable[[str | None], BaseChatModel]
APPROVAL_KIND = "agentkit.approval"  # the value of an approval interrupt's "kind"

_PY_TYPES: dict[str, Any] = {"str": str, "int": int, "float": float, "bool": bool, "list": list,
                             "dict": dict, "messages": list, "any": Any}


def _state_schema(spec: GraphSpec) -> type:
    fields: dict[str, Any] = {}
    for name, f in spec.state.items():
        merge = reducer(f.reducer)
        fields[name] = Annotated[_PY_TYPES[f.type], merge] if merge else _PY_TYPES[f.type]
    return TypedDict(f"{spec.name}_state", fields, total=False)  # type: ignore[operator]


def _subset_schema(spec: GraphSpec, names: list[str], suffix: str) -> type | None:
    if not names:
        return None
    return TypedDict(f"{spec.name}_{suffix}", {n: _PY_TYPES[spec.state[n].type] for n in names},  # type: ignore[operator]
                     total=False)


def _with_timeout(name: str, action: NodeAction, seconds: float) -> NodeAction:
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


def _approval_decision(decision: Any) -> tuple[bool, str]:
    if isinstance(decision, bool):
        return decision, ""
    if isinstance(decision, dict) and isinstance(decision.get("approved"), bool):
        return decision["approved"], str(decision.get("reason") or "")
    raise UserError(f"an approval decision must be true/false or {{'approved': bool, 'reason': str}}, "
                    f"not {decision!r}")


def _with_approval(name: str, question: str | bool, action: NodeAction) -> NodeAction:
    """Ask (a LangGraph ``interrupt`` whose value is ``{kind: APPROVAL_KIND, node, question}``)
    before running ``action``; run it only if approved, else raise ``ApprovalRejectedError``.
    ``agentkit.runtime.approvals`` finds these interrupts and answers them."""
    text = question if isinstance(question, str) else f"Run node {name!r}?"

    def gated(state: dict[str, Any]) -> Any:
        approved, reason = _approval_decision(interrupt({"kind": APPROVAL_KIND, "node": name, "question": text}))
        if not approved:
            raise ApprovalRejectedError(name, reason)
        return action(state)

    return gated


def _retryable(exc: BaseException) -> bool:
    """A declared retry covers any failure except a user mistake (it would fail again) and a
    run stopped by its rules."""
    return not isinstance(exc, (UserError, RunStopped))


def _target(name: str) -> str:
    return LG_END if name == END else name


def compile_spec(spec: GraphSpec, *, model_factory: ModelFactory | None = None, checkpointer: Any = None,
                 allow_imports: bool = False, base_dir: Path | None = None,
                 _including: tuple[Path, ...] = ()) -> Any:
    """Build ``spec`` into a LangGraph ``CompiledStateGraph``.

    ``model_factory(name) -> chat model`` replaces the default model lookup (tests, other
    LangChain models); ``checkpointer`` is a LangGraph saver (or None); ``allow_imports``
    lets ``python`` nodes import ``module:function`` paths; relative subgraph paths start
    at ``base_dir`` (default: the spec file's folder, else the working directory).
    A node that cannot be built raises ``SpecError`` located at the key that caused it."""
    origin = spec.origin.path
    base_dir = base_dir or (origin.parent if origin else Path.cwd())
    including = _including or ((origin,) if origin else ())

    def compile_subgraph(reference: str, folder: Path) -> tuple[GraphSpec, Any]:
        path = resolve_graph(reference, folder)
        if path in including:
            chain = " -> ".join(p.name for p in (*including, path))
            raise GraphBuildError(f"the graph includes itself: {chain}")
        child = load_spec(path)
        return child, compile_spec(child, model_factory=model_factory, allow_imports=allow_imports,
                                   base_dir=path.parent, _including=(*including, path))

    context = BuildContext(graph=spec, base_dir=base_dir, allow_imports=allow_imports, model_factory=model_factory,
                           subgraph_compiler=compile_subgraph)
    builder = StateGraph(_state_schema(spec), input_schema=_subset_schema(spec, spec.input, "input"),
                         output_schema=_subset_schema(spec, spec.output, "output"))
    routes: dict[str, Callable[[dict[str, Any]], Any]] = {}
    for name, node in spec.nodes.items():
        kind = node_kind(node.kind)
        try:
            kind.check_installed()
            built = kind.build(name, node, context)
        except SpecError:
            raise
        except UserError as exc:  # an unknown tool or function, a bad subgraph, a missing extra: say where
            where = ("nodes", name) + ((exc.key,) if isinstance(exc, GraphBuildError) and exc.key else ())
            raise SpecError([SpecIssue(path=".".join(where), line=spec.line_of(*where), message=str(exc))],
                            spec.origin.source) from None
        action = built.action if isinstance(built, BuiltNode) else built
        if isinstance(built, BuiltNode):
            routes[name] = built.route
        if node.timeout_s:
            action = _with_timeout(name, action, node.timeout_s)
        if node.approval:
            action = _with_approval(name, node.approval, action)
        retry = RetryPolicy(max_attempts=node.retry.attempts, initial_interval=node.retry.backoff_s,
                            retry_on=_retryable) if node.retry else None
        # outermost, so a traced node's span covers its approval wait and timeout too
        builder.add_node(name, traced_node(name, node.kind, action), retry_policy=retry)
    builder.add_edge(START, spec.entry)
    has_exit = {e.source for e in spec.edges}
    for edge in spec.edges:
        builder.add_edge(edge.source, _target(edge.target))
    for name, node in spec.nodes.items():
        if name in routes:
            targets = {route.target: _target(route.target) for route in node.branches()}
            builder.add_conditional_edges(name, routes[name], targets)
        elif name not in has_exit:
            builder.add_edge(name, LG_END)
    return builder.compile(checkpointer=checkpointer, name=spec.name).with_config(
        recursion_limit=spec.recursion_limit)
