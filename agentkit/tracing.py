"""OpenTelemetry traces of runs, opt-in, following the GenAI semantic conventions.

Off unless asked for: ``agentkit run --trace console|otlp`` (also ``resume``, ``fork`` and
``replay``), the environment variable ``AGENTKIT_TRACE=console|otlp``, or ``enable(...)``
from Python.  While off, OpenTelemetry is not imported, no callback is added, and each node
pays one context-variable lookup.  It needs the ``trace`` extra (``pip install 'agentkit[trace]'``).

A node's span comes from the node itself: ``compile_spec`` wraps every node's action in
``traced_node``, which, while a run is traced (a ``TraceHandler`` is *active* in the run's
context), times the node as a span under the span of whatever runs it (the workflow, the
subgraph node...) and otherwise only looks up one context variable.  LLM and tool calls come
from LangChain's callbacks (``TraceHandler``), the machinery that meters and records a run.  An
active handler need not be in the run's callbacks at all: while a traced node's own work runs,
LangChain adds it to the callbacks of the calls made there (a configure hook, as LangSmith's
tracing does), so the nodes themselves pay no callback dispatch for tracing; a runner's
``LLMCallMonitor`` (in every run's callbacks anyway) hands the handler its calls instead.  The
chat models agentkit owns (llama.cpp, remote, the testing models: ``TracedChatModel``) need not
even that: called inside a traced node, the model records its own chat span, and LangChain
dispatches no LLM callback for it.
A ``TraceHandler`` passed bare in a graph's ``callbacks`` (a LangGraph graph not compiled by
agentkit) makes node spans from the chain callbacks instead.  The spans:

- the run (workflow): ``invoke_workflow {graph}`` with ``gen_ai.operation.name=invoke_workflow``,
  ``gen_ai.workflow.name`` and ``gen_ai.conversation.id`` (the thread id);
- each node execution, nested ones under theirs: ``{node}`` (an ``agent`` node: ``invoke_agent
  {node}``) with ``agentkit.node.kind`` (the span's name is the node's);
- each LLM call: ``chat {model}`` with ``gen_ai.operation.name=chat``, ``gen_ai.provider.name``,
  ``gen_ai.request.model`` / ``temperature`` / ``max_tokens`` / ``seed``, ``gen_ai.usage.input_tokens``
  / ``output_tokens`` / ``cache_read.input_tokens`` (prompt tokens reused from the KV prefix cache),
  ``gen_ai.response.finish_reasons`` and the auto tool-route decision (``agentkit.tool_route.tool``,
  ``.p_yes``, ``.probabilities`` and ``.router``, the model whose gate decided);
- each tool call: ``execute_tool {tool}`` with ``gen_ai.operation.name=execute_tool``,
  ``gen_ai.tool.name``, ``gen_ai.tool.call.id`` and ``gen_ai.tool.type``.

Prompts and replies are not put on spans (they can hold document text and personal data);
the studio shows them from the run database.  Exporters: ``console`` (each span as JSON on
stderr, so ``--json`` output on stdout stays clean) and ``otlp`` (to
``OTEL_EXPORTER_OTLP_ENDPOINT``, default ``http://localhost:4318``; gRPC when
``OTEL_EXPORTER_OTLP_PROTOCOL=grpc``); each export gives up after ``OTLP_TIMEOUT_S`` (or
``OTEL_EXPORTER_OTLP_TIMEOUT``), and ending tracing waits for the last spans that long and half a
second more, so a collector that is down or hung never holds a command up.  An application that
set up OpenTelemetry itself passes its own ``SpanExporter`` or ``TracerProvider`` to ``enable``.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from time import time_ns
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler

from agentkit.errors import UserError
from agentkit.extras import require

__all__ = ["ENV_VAR", "EXPORTERS", "TraceHandler", "TracedChatModel", "active", "disable", "enable", "enable_from_env",
           "run_handler", "traced_node"]

ENV_VAR = "AGENTKIT_TRACE"
EXPORTERS = ("console", "otlp")
SCOPE = "agentkit"

_lock = threading.Lock()
_provider: Any = None  # the TracerProvider runs are traced to (None: off)
_env_checked: str | None = None
_made: set[Any] = set()  # the providers enable() made (and so shuts down)
OTLP_TIMEOUT_S = 1.0  # an OTLP export's deadline, retries included, unless OTEL_EXPORTER_OTLP_*TIMEOUT says
_log = logging.getLogger(__name__)
# (the active handler, the span a node starting now runs under, the handler's _NodeSpans when nodes take
# the fast path: the SDK's tracer and a sampled trace) while a run is traced in this context
_CURRENT: ContextVar[tuple[TraceHandler, Any, _NodeSpans | None] | None] = ContextVar("agentkit_trace", default=None)
# The active handler while a traced node's own work runs (None outside nodes): LangChain adds it to the
# callbacks of the LLM and tool calls made there (a configure hook, registered when first used).
_CALLS: ContextVar[TraceHandler | None] = ContextVar("agentkit_trace_calls", default=None)
_hooked = False
# The chat span an agentkit-owned model records itself while its call runs (``TracedChatModel``): the
# handler's LLM callbacks, should they reach it anyway (the handler in the call's own callbacks), skip it.
_CHAT: ContextVar[Any] = ContextVar("agentkit_trace_chat", default=None)
_NOT_FAILURES = ("GraphInterrupt", "ParentCommand")  # an approval pause, a jump to the parent: not errors


def _check_kind(kind: str, where: str) -> str:
    kind = kind.strip().lower()
    if kind not in EXPORTERS:
        raise UserError(f"{where}: unknown trace exporter {kind!r}; valid: {', '.join(EXPORTERS)} "
                        f"(or leave it unset for no tracing)")
    return kind


def enable(exporter: Any = "console", *, provider: Any = None) -> Any:
    """Trace every run from now on, to ``exporter`` (``"console"``, ``"otlp"`` or an
    OpenTelemetry ``SpanExporter``) or to an existing ``provider``; returns the provider.
    A provider made here is shut down by ``disable`` (or at exit), in bounded time."""
    global _provider
    require("trace", what="tracing runs (--trace, AGENTKIT_TRACE)")
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    made = provider is None
    if provider is None:
        provider = TracerProvider(resource=Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME",
                                                                                            "agentkit")}))
        if isinstance(exporter, str):
            kind = _check_kind(exporter, "--trace")
            if kind == "console":
                provider.add_span_processor(SimpleSpanProcessor(_console_exporter()))
            else:
                provider.add_span_processor(BatchSpanProcessor(_otlp_exporter()))
        else:
            provider.add_span_processor(SimpleSpanProcessor(exporter))
        _made.add(provider)
        atexit.register(_close, provider)
    with _lock:
        previous, _provider = _provider, provider
    if made and previous is not None and previous is not provider and previous in _made:
        _close(previous)
    return provider


def disable() -> None:
    """Stop tracing runs: spans already ended are delivered, waiting at most ``flush_seconds()``
    (a collector that is down or slow never holds a command up longer), and a provider
    ``enable`` made is shut down."""
    global _provider, _env_checked
    with _lock:
        provider, _provider, _env_checked = _provider, None, os.environ.get(ENV_VAR, "")
    if provider is None:
        return
    if provider in _made:
        _close(provider)
    elif hasattr(provider, "force_flush"):
        _bounded(provider.force_flush, flush_seconds(), "delivering the spans")


def flush_seconds() -> float:
    """How long ending tracing waits for the spans to be delivered: the OTLP export timeout
    (``OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`` / ``OTEL_EXPORTER_OTLP_TIMEOUT``, seconds; agentkit's
    default ``OTLP_TIMEOUT_S``) and half a second."""
    return _export_timeout() + 0.5


def _export_timeout() -> float:
    for name in ("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT"):
        value = os.environ.get(name, "").strip()
        if value:
            try:
                return max(0.0, float(value))
            except ValueError:
                raise UserError(f"{name}={value!r}: not a number of seconds") from None
    return OTLP_TIMEOUT_S


def _close(provider: Any) -> None:
    """Deliver what is left (bounded) and shut ``provider`` down (not waited for past a moment:
    the exporters' threads are daemons, and a shut-down exporter stops retrying)."""
    if provider not in _made:
        return
    _made.discard(provider)
    _bounded(provider.force_flush, flush_seconds(), "delivering the spans")
    _bounded(provider.shutdown, 0.5, "shutting the exporter down")


def _bounded(call: Callable[[], Any], seconds: float, what: str) -> bool:
    """Run ``call`` in a daemon thread, waiting for it ``seconds`` at most; False if it took longer."""
    done = threading.Event()

    def run() -> None:
        try:
            call()
        except Exception:  # an exporter's failure never fails the command
            _log.warning("tracing: %s failed", what, exc_info=True)
        finally:
            done.set()

    threading.Thread(target=run, name="agentkit-trace-flush", daemon=True).start()
    if done.wait(seconds):
        return True
    print(f"agentkit: tracing: gave up {what} after {seconds:.1f} s (is the OTLP collector at "
          f"{os.environ.get('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://localhost:4318')} up? "
          "OTEL_EXPORTER_OTLP_TIMEOUT sets how long to wait)", file=sys.stderr)
    return False


def enable_from_env() -> Any:
    """Turn tracing on when ``AGENTKIT_TRACE`` asks for it (once per value); the provider or None."""
    global _env_checked
    value = os.environ.get(ENV_VAR, "")
    if value == _env_checked:
        return _provider
    _env_checked = value
    if value.strip():
        return enable(_check_kind(value, ENV_VAR))
    return _provider


def active() -> bool:
    """Whether runs are traced now (``enable`` was called, or ``AGENTKIT_TRACE`` is set)."""
    return enable_from_env() is not None


def _console_exporter() -> Any:
    from opentelemetry.sdk.trace.export import ConsoleSpanExporter

    return ConsoleSpanExporter(out=sys.stderr)


def _otlp_exporter() -> Any:
    if os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "").startswith("grpc"):
        require("trace", "opentelemetry.exporter.otlp.proto.grpc", what="OTLP over gRPC")
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
    else:
        require("trace", "opentelemetry.exporter.otlp.proto.http", what="the OTLP exporter")
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    # Each export (retries included) gives up after the timeout: a collector that is down costs a run
    # that much at its end, not the SDK's default 10 s of retries (plus its 30 s shutdown wait).
    return OTLPSpanExporter(timeout=_export_timeout())


def run_handler(graph: str, thread_id: str, *, kinds: Mapping[str, str] | None = None) -> TraceHandler | None:
    """A ``TraceHandler`` for one run session, its workflow span open (None when tracing is off).
    End it with ``finish(status)``."""
    provider = enable_from_env()
    if provider is None:
        return None
    handler = TraceHandler(provider=provider, kinds=kinds)
    handler.open_workflow(graph, thread_id)
    handler.activate()
    return handler


def traced_node(name: str, kind: str | None, action: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``action`` (a node's function of the state) timed as a span while a run is traced; its span's
    name and attributes are made here, once.  Untraced, the wrapper costs one context-variable lookup.
    Traced, it makes and ends the node's span itself (no call into the handler on the way): the span
    object, two clock readings, the two context variables (the span children start under; the
    handler, for the LLM and tool calls the node makes) set around the node's work, and a deque append."""
    if kind == "agent":
        span_name = f"invoke_agent {name}"
        attributes: dict[str, Any] | None = {"agentkit.node.kind": kind, "gen_ai.operation.name": "invoke_agent",
                                             "gen_ai.agent.name": name}
    else:
        span_name, attributes = name, ({"agentkit.node.kind": kind} if kind else None)

    def node(state: Any) -> Any:
        current = _CURRENT.get()
        if current is None:
            return action(state)
        handler, parent, nodes = current
        if nodes is None:  # not the SDK's tracer, or not sampled
            return handler.run_node(parent, span_name, attributes, action, state)
        # The hot path of a traced run, once per node execution, written out here (each call costs).
        span = _NodeSpan(nodes, span_name, parent.context, time_ns(), attributes)
        token = _CURRENT.set((handler, span, nodes))
        calls = _CALLS.set(handler) if handler.inherit else None
        try:
            result = action(state)
        except BaseException as exc:
            if calls is not None:
                _CALLS.reset(calls)
            _CURRENT.reset(token)
            nodes.end(span, None if type(exc).__name__ in _NOT_FAILURES else exc)
            raise
        if calls is not None:
            _CALLS.reset(calls)
        _CURRENT.reset(token)
        span._end_time = end = time_ns()
        ended = nodes.ended
        ended.append(span)
        if end > nodes.due or len(ended) >= nodes.BATCH:
            nodes.deliver()
        return result

    node.__name__ = node.__qualname__ = getattr(action, "__name__", name)
    return node


def _hook_calls() -> None:
    """Have LangChain add ``_CALLS``'s handler (when set) to every callback manager made while it is
    (as ``tracing_v2_enabled`` adds LangSmith's): once per process, the first time a run is traced, so
    that a process that never traces pays nothing for it."""
    global _hooked
    from langchain_core.tracers.context import register_configure_hook

    with _lock:
        if not _hooked:
            register_configure_hook(_CALLS, True)
            _hooked = True


def _chat_attributes(params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """A chat span's name and its request attributes, from a call's invocation parameters (what
    LangChain hands ``on_chat_model_start``: the model's ``_get_invocation_params``)."""
    model = str(params.get("model") or params.get("model_name") or params.get("_type") or "unknown")
    provider = "llama.cpp" if params.get("_type") == "agentkit-llamacpp" else str(params.get("_type") or "")
    attributes: dict[str, Any] = {"gen_ai.operation.name": "chat", "gen_ai.request.model": model,
                                  "gen_ai.provider.name": provider or "langchain"}
    for key in ("temperature", "max_tokens", "seed", "top_p", "top_k"):
        if isinstance(params.get(key), (int, float)):
            attributes[f"gen_ai.request.{key}"] = params[key]
    tools = params.get("tools")
    if tools:
        attributes["agentkit.request.tools"] = tuple(str((t.get("function") or t).get("name", "")) if isinstance(
            t, dict) else str(t) for t in tools)
    if params.get("tool_choice") not in (None, ""):
        attributes["agentkit.request.tool_choice"] = str(params["tool_choice"])
    return f"chat {model}", attributes


def _reply_attributes(span: Any, message: Any) -> None:
    """A chat span's response attributes, from the model's reply (an ``AIMessage``)."""
    usage = getattr(message, "usage_metadata", None) or {}
    meta = getattr(message, "response_metadata", None) or {}
    span.set_attribute("gen_ai.usage.input_tokens", int(usage.get("input_tokens", 0)))
    span.set_attribute("gen_ai.usage.output_tokens", int(usage.get("output_tokens", 0)))
    cached = (usage.get("input_token_details") or {}).get("cache_read")
    if cached is not None:
        span.set_attribute("gen_ai.usage.cache_read.input_tokens", int(cached))
    if meta.get("model_name"):
        span.set_attribute("gen_ai.response.model", str(meta["model_name"]))
    if meta.get("finish_reason"):
        span.set_attribute("gen_ai.response.finish_reasons", (str(meta["finish_reason"]),))
    route = meta.get("tool_route")
    if isinstance(route, dict):
        span.set_attribute("agentkit.tool_route.tool", str(route.get("tool") or "none"))
        if route.get("router"):
            span.set_attribute("agentkit.tool_route.router", str(route["router"]))
        if route.get("p_yes") is not None:
            span.set_attribute("agentkit.tool_route.p_yes", float(route["p_yes"]))
        span.set_attribute("agentkit.tool_route.probabilities",
                           json.dumps(route.get("probabilities") or {}, sort_keys=True))
    calls = tuple(c.get("name", "") for c in getattr(message, "tool_calls", None) or [])
    if calls:
        span.set_attribute("agentkit.response.tool_calls", calls)


_STRUCTURED_KEYS = ("ls_structured_output_format", "structured_output_format")  # popped by LangChain, not params


class TracedChatModel:
    """A mixin for the chat models agentkit owns (put it before ``BaseChatModel``): while a traced
    node's own work runs, the model's ``invoke`` records its ``chat`` span itself, not through
    LangChain's callback dispatch (``on_chat_model_start`` / ``on_llm_end`` to the handler), which a
    run without other callbacks then does not do at all.  The span is the one the handler's callbacks
    make (same name, parent, attributes, status): its name and request attributes come from the
    invocation parameters LangChain computes for the call anyway (what it would hand
    ``on_chat_model_start``), its response attributes from the reply.  Any other call (streamed,
    async, batched, a third party's model, a runner's run whose LLM monitor hands the handler its
    calls, a bare handler in the callbacks) goes the callback way; never both: the handler's LLM
    callbacks skip a call whose model records it (``_CHAT``).

    On bench_tracing's 50 ``llm`` nodes (a scripted model; 41 alternating rounds in one process, the
    25th percentile of process CPU time, load 1.3-2.3) on/off went from 1.127 (callbacks) to 1.110
    (this path, asking the model for its parameters a second time: 3 us, and LangChain's deprecation
    filter around it), 1.089 (LangChain's own parameters) and 1.076-1.079 (the parent node's span
    context made at delivery, in the batch).  Of what is left (~10 us a call) delivery is about a
    third.  Tried and not kept: the response attributes written into the span's dict at once rather
    than one ``set_attribute`` each (1.074 vs 1.073)."""

    def invoke(self, input: Any, config: Any = None, *, stop: list[str] | None = None, **kwargs: Any) -> Any:
        if _CALLS.get() is None:
            return super().invoke(input, config, stop=stop, **kwargs)  # type: ignore[misc]
        return _traced_chat(self, super().invoke, input, config, stop, kwargs)  # type: ignore[misc]

    def _get_invocation_params(self, stop: list[str] | None = None, **kwargs: Any) -> dict[str, Any]:
        # LangChain asks for these first thing in a call (what it hands on_chat_model_start): the span
        # recorded for this call takes its name and attributes from them rather than asking again.
        params = super()._get_invocation_params(stop=stop, **kwargs)  # type: ignore[misc]
        span = _CHAT.get()
        if span is not None and span._name is None:
            span._name, span._attributes = _chat_attributes(params)
        return params


def _traced_chat(model: Any, invoke: Callable[..., Any], input: Any, config: Any, stop: list[str] | None,
                 kwargs: dict[str, Any]) -> Any:
    """``invoke`` (an agentkit model's own) timed as its chat span, under the span of the node running it."""
    current = _CURRENT.get()
    if current is None or current[2] is None or current[0] is not _CALLS.get():
        return invoke(input, config, stop=stop, **kwargs)
    nodes = current[2]
    # Its parent is the node's span itself, its span context made when this span's is (at delivery).
    parent = current[1]
    span = _NodeSpan(nodes, None, parent if type(parent) is _NodeSpan else parent.context, time_ns(), None)
    calls = _CALLS.set(None)  # LangChain adds no handler to this call's callbacks
    chat = _CHAT.set(span)
    try:
        message = invoke(input, config, stop=stop, **kwargs)
    except BaseException as exc:
        _CHAT.reset(chat)
        _CALLS.reset(calls)
        _named(span, model, stop, kwargs)
        nodes.end(span, exc)
        raise
    _CHAT.reset(chat)
    _CALLS.reset(calls)
    _named(span, model, stop, kwargs)
    _reply_attributes(span, message)
    nodes.end(span, None)
    return message


def _named(span: Any, model: Any, stop: list[str] | None, kwargs: dict[str, Any]) -> None:
    """A chat span's name and request attributes, if its call never asked for its parameters."""
    if span._name is None:
        params = {k: v for k, v in kwargs.items() if k not in _STRUCTURED_KEYS}
        span._name, span._attributes = _chat_attributes(model._get_invocation_params(stop=stop, **params))


class TraceHandler(BaseCallbackHandler):
    """OpenTelemetry spans of one run: the workflow, its nodes (nested ones under theirs), LLM calls
    and tool calls; it never raises.  ``activate()`` it (a runner does; or use it as a context manager
    around the run) and the nodes of agentkit-compiled graphs time themselves (``traced_node``) and
    hand it the LLM and tool calls made inside them: no need to pass it in the run's ``callbacks``
    (passing it too changes nothing).  Bare in a graph's ``callbacks``, not active, it makes node
    spans from chain callbacks."""

    raise_error = False
    run_inline = True  # spans open and close in the thread that does the work

    def __init__(self, *, provider: Any = None, kinds: Mapping[str, str] | None = None) -> None:
        from opentelemetry import trace

        self._trace = trace
        self.tracer = (provider or _provider or trace.get_tracer_provider()).get_tracer(SCOPE)
        self.kinds = dict(kinds or {})
        self._spans: dict[UUID, Any] = {}  # run id -> its span, or the span it is folded into
        self._owned: set[UUID] = set()  # the run ids whose span this handler ends
        self._contexts: dict[int, Any] = {}  # id(span) -> the context its children start in (made once)
        self._root: Any = None
        self._lock = threading.Lock()
        self._nodes = _NodeSpans.for_tracer(self.tracer)  # None: not the SDK's tracer, nodes get ordinary spans
        self._token: Any = None  # set while active
        # While active, the handler reaches the LLM and tool calls a node makes by itself (``_CALLS``),
        # not through the run's callbacks; False when something else hands it their callbacks (the
        # runner's LLMCallMonitor does).
        self.inherit = True

    @property
    def ignore_chain(self) -> bool:  # type: ignore[override]
        """While active, nodes make their own spans: LangChain need not call this handler per chain."""
        return self._token is not None

    def activate(self) -> None:
        """Trace the agentkit-compiled graphs run from here on in this context (until ``finish``)."""
        if self._token is None:
            if self.inherit and not _hooked:
                _hook_calls()
            root = self._root
            sampled = root is not None and root.get_span_context().trace_flags.sampled
            self._token = _CURRENT.set((self, root, self._nodes if sampled else None))

    def __enter__(self) -> TraceHandler:
        if self._root is None:
            self.open_workflow("run")
        self.activate()
        return self

    def __exit__(self, kind: Any, error: BaseException | None, traceback: Any) -> None:
        failed = error is not None and type(error).__name__ not in _NOT_FAILURES
        self.finish("failed" if failed else "done", f"{type(error).__name__}: {error}" if failed else "")

    # -- the workflow span a runner opens around a run session --------------------------

    def open_workflow(self, graph: str, thread_id: str | None = None) -> Any:
        attributes = {"gen_ai.operation.name": "invoke_workflow", "gen_ai.workflow.name": graph}
        if thread_id:
            attributes["gen_ai.conversation.id"] = thread_id
        self._root = self.tracer.start_span(f"invoke_workflow {graph}", attributes=attributes)
        return self._root

    def finish(self, status: str = "done", message: str = "") -> None:
        """End the workflow span with the run's status (and every span left open)."""
        if self._token is not None:
            try:
                _CURRENT.reset(self._token)
            except ValueError:  # finished from another context than the one that activated it
                _CURRENT.set(None)
            self._token = None
        with self._lock:
            leftover = [self._spans[r] for r in self._owned if r in self._spans]
            self._spans.clear()
            self._owned.clear()
        for span in leftover:
            if type(span) is _NodeSpan:
                self._nodes.end(span, None)  # type: ignore[union-attr]
            else:
                span.end()
        if self._nodes is not None:
            self._nodes.deliver()
        if self._root is not None:
            self._root.set_attribute("agentkit.run.status", status)
            if status in ("failed",):
                self._root.set_status(self._trace.Status(self._trace.StatusCode.ERROR, message[:500]))
            self._root.end()
            self._root = None

    # -- helpers ------------------------------------------------------------------------

    def _parent(self, parent_run_id: UUID | None) -> Any:
        span = self._spans.get(parent_run_id) if parent_run_id is not None else None
        if span is None and self._token is not None:  # an LLM or tool call made by the node running now
            current = _CURRENT.get()
            if current is not None and current[0] is self:
                return current[1]
        return span if span is not None else self._root

    def run_node(self, parent: Any, name: str, attributes: dict[str, Any] | None, action: Callable[[Any], Any],
                 state: Any) -> Any:
        """Run a node's ``action`` inside its span (``traced_node`` calls this)."""
        nodes = self._nodes
        if parent is None:
            return action(state)
        if nodes is not None:
            span = nodes.start(name, parent.context if type(parent) is _NodeSpan else parent.get_span_context(),
                               attributes)
            if span is None:  # not sampled
                return action(state)
        else:
            span = self.tracer.start_span(name, context=self._context_of(parent), attributes=attributes)
        token = _CURRENT.set((self, span, None))
        calls = _CALLS.set(self) if self.inherit else None
        try:
            result = action(state)
        except BaseException as exc:
            if calls is not None:
                _CALLS.reset(calls)
            _CURRENT.reset(token)
            self._close(span, None if type(exc).__name__ in _NOT_FAILURES else exc)
            raise
        if calls is not None:
            _CALLS.reset(calls)
        _CURRENT.reset(token)
        self._close(span, None)
        return result

    def _close(self, span: Any, error: BaseException | None) -> None:
        self._contexts.pop(id(span), None)
        if type(span) is _NodeSpan:
            self._nodes.end(span, error)  # type: ignore[union-attr]
            return
        if self._nodes is not None:  # an SDK span (a workflow): its children reach the processors first
            self._nodes.deliver()
        if error is not None:
            span.set_attribute("error.type", type(error).__name__)
            span.set_status(self._trace.Status(self._trace.StatusCode.ERROR, str(error)[:500]))
        span.end()

    def _context_of(self, parent: Any) -> Any:
        context = self._contexts.get(id(parent))
        if context is None:
            span = self._trace.NonRecordingSpan(parent.context) if type(parent) is _NodeSpan else parent
            context = self._contexts[id(parent)] = self._trace.set_span_in_context(span)
        return context

    def _start(self, run_id: UUID, parent_run_id: UUID | None, name: str, attributes: dict[str, Any] | None) -> Any:
        """An LLM or tool call's span (``attributes``: a dict of its own, later ones are added to it)."""
        # dict operations are atomic: no lock needed on this path (nodes of a fan-out run in threads)
        parent = self._parent(parent_run_id)
        span = None
        if self._nodes is not None and parent is not None:
            span = self._nodes.start(name, parent.context if type(parent) is _NodeSpan else
                                     parent.get_span_context(), attributes)
            if span is None:  # not sampled
                self._spans[run_id] = parent
                return parent
        if span is None:
            span = self.tracer.start_span(name, context=None if parent is None else self._context_of(parent),
                                          attributes=attributes)
        self._spans[run_id] = span
        self._owned.add(run_id)
        return span

    def _start_node(self, run_id: UUID, parent_run_id: UUID | None, name: str,
                    attributes: dict[str, Any] | None) -> None:
        """A node's span: the hot path of a traced run (once per node execution)."""
        parent = self._parent(parent_run_id)
        if self._nodes is None or parent is None:
            self._start(run_id, parent_run_id, name, attributes)
            return
        span = self._nodes.start(name, parent.context if type(parent) is _NodeSpan else parent.get_span_context(),
                                 attributes)
        if span is None:  # the trace is not sampled: the node's children hang under its parent
            self._spans[run_id] = parent
            return
        self._spans[run_id] = span
        self._owned.add(run_id)

    def _fold(self, run_id: UUID, parent_run_id: UUID | None) -> None:
        """A run that gets no span of its own: its children hang under its parent's span."""
        parent = self._parent(parent_run_id)
        if parent is not None:
            self._spans[run_id] = parent

    def _end(self, run_id: UUID, error: BaseException | None = None) -> Any:
        span = self._spans.pop(run_id, None)
        if span is None or run_id not in self._owned:
            return None
        self._owned.discard(run_id)
        self._close(span, error)
        return span

    # -- chains: graphs and their nodes -------------------------------------------------

    def on_chain_start(self, serialized: dict[str, Any] | None, inputs: Any, *, run_id: UUID,
                       parent_run_id: UUID | None = None, metadata: dict[str, Any] | None = None,
                       **kwargs: Any) -> None:
        name = kwargs.get("name") or (serialized or {}).get("name") or ""
        node = (metadata or {}).get("langgraph_node")
        if parent_run_id is None:
            if self._root is None:  # traced without a runner: the graph itself is the workflow
                self._start(run_id, None, f"invoke_workflow {name}",
                            {"gen_ai.operation.name": "invoke_workflow", "gen_ai.workflow.name": str(name)})
            else:
                self._spans[run_id] = self._root
            return
        if node is None or name != node:  # LangGraph's own steps, parsers, sequences: no span
            self._fold(run_id, parent_run_id)
            return
        kind = self.kinds.get(node) if self.kinds and "|" not in str(
            (metadata or {}).get("langgraph_checkpoint_ns") or "") else None
        # The span's name is the node's; attributes cost most of a span's time, so a node gets its kind
        # (when the runner knows it) and nothing else.
        attributes: dict[str, Any] | None = {"agentkit.node.kind": kind} if kind else None
        if kind == "agent":
            attributes = {"agentkit.node.kind": kind, "gen_ai.operation.name": "invoke_agent",
                          "gen_ai.agent.name": node}
            self._start_node(run_id, parent_run_id, f"invoke_agent {node}", attributes)
        else:
            self._start_node(run_id, parent_run_id, str(node), attributes)

    def on_chain_end(self, outputs: Any, *, run_id: UUID, **kwargs: Any) -> None:
        self._end(run_id)

    def on_chain_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        # An approval pause is LangGraph's GraphInterrupt: the node did not fail.
        self._end(run_id, None if type(error).__name__ in _NOT_FAILURES else error)

    # -- LLM calls -----------------------------------------------------------------------

    def on_chat_model_start(self, serialized: dict[str, Any] | None, messages: Any, *, run_id: UUID,
                            parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        if _CHAT.get() is not None:  # an agentkit model records this call's span itself (TracedChatModel)
            return
        name, attributes = _chat_attributes(kwargs.get("invocation_params") or {})
        self._start(run_id, parent_run_id, name, attributes)

    def on_llm_start(self, serialized: dict[str, Any] | None, prompts: Any, *, run_id: UUID,
                     parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        self.on_chat_model_start(serialized, prompts, run_id=run_id, parent_run_id=parent_run_id, **kwargs)

    def on_llm_end(self, response: Any, *, run_id: UUID, **kwargs: Any) -> None:
        span = self._spans.get(run_id)
        if span is not None and run_id in self._owned:
            try:
                message = response.generations[0][0].message
            except (AttributeError, IndexError):
                message = None
            if message is not None:
                _reply_attributes(span, message)
        self._end(run_id)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        self._end(run_id, error)

    # -- tool calls ----------------------------------------------------------------------

    def on_tool_start(self, serialized: dict[str, Any] | None, input_str: str, *, run_id: UUID,
                      parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        name = str(kwargs.get("name") or (serialized or {}).get("name") or "tool")
        attributes = {"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": name,
                      "gen_ai.tool.type": "function"}
        description = (serialized or {}).get("description")
        if description:
            attributes["gen_ai.tool.description"] = str(description)[:500]
        call_id = kwargs.get("tool_call_id") or ((kwargs.get("inputs") or {}) if isinstance(
            kwargs.get("inputs"), dict) else {}).get("tool_call_id")
        if call_id:
            attributes["gen_ai.tool.call.id"] = str(call_id)
        self._start(run_id, parent_run_id, f"execute_tool {name}", attributes)

    def on_tool_end(self, output: Any, *, run_id: UUID, **kwargs: Any) -> None:
        span = self._spans.get(run_id)
        status = getattr(output, "status", None)
        if span is not None and status == "error":
            span.set_attribute("error.type", "tool_refused")
        self._end(run_id)

    def on_tool_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        self._end(run_id, error)


_NodeSpan: Any = None  # the class of the spans below (made with the first: it needs OpenTelemetry)


def _node_span_class() -> Any:
    """The class of node, LLM and tool spans: the SDK's ``ReadableSpan`` (what span processors and
    exporters are handed), filled in as the node runs, so that delivering it makes no copy."""
    global _NodeSpan
    if _NodeSpan is not None:
        return _NodeSpan
    from opentelemetry.sdk.trace import ReadableSpan
    from opentelemetry.sdk.util.instrumentation import InstrumentationScope
    from opentelemetry.trace import Status, StatusCode

    class NodeSpan(ReadableSpan):
        """A node's (or an LLM or tool call's) span while it runs and once it ended.  What all of
        these share is the class's: every attribute of a ``ReadableSpan`` made with the SDK's own
        defaults (no events or links, internal, status unset) and agentkit's instrumentation scope;
        a span sets its name, parent, start and attributes when it starts, its end (and an error's
        status) when it ends.  Its ``context`` (a new span id) is made when first asked for -- by a
        child, or at delivery -- not on the node's hot path."""

        def __init__(self, nodes: _NodeSpans, name: str, parent: Any, start: int,  # not ReadableSpan's
                     attributes: dict[str, Any] | None) -> None:
            self._nodes, self._name, self._parent, self._start_time, self._attributes = (nodes, name, parent,
                                                                                        start, attributes)
            self._resource = nodes.resource

        @property
        def context(self) -> Any:
            context = self._context
            if context is None:
                parent = self._parent
                if type(parent) is NodeSpan:  # an LLM call's span holds its node's until delivered
                    parent = self._parent = parent.context
                nodes = self._nodes
                with nodes.lock:  # children in parallel threads must all get the one id
                    context = self._context
                    if context is None:
                        context = self._context = nodes.span_context(parent.trace_id, nodes.new_id(), False,
                                                                     parent.trace_flags, parent.trace_state)
            return context

        def get_span_context(self) -> Any:
            return self.context

        def set_attribute(self, key: str, value: Any) -> None:
            """For LLM and tool spans, whose attributes dict is their own (a node's is shared: never set)."""
            if self._attributes is None:
                self._attributes = {}
            self._attributes[key] = value

        def failed(self, error: BaseException) -> None:
            self._attributes = {**(self._attributes or {}), "error.type": type(error).__name__}
            self._status = Status(StatusCode.ERROR, str(error)[:500])

    for key, value in vars(ReadableSpan("", instrumentation_scope=InstrumentationScope(SCOPE))).items():
        setattr(NodeSpan, key, value)  # the SDK's defaults, whatever attributes its version has
    _NodeSpan = NodeSpan
    return NodeSpan


class _NodeSpans:
    """Node, LLM and tool spans made straight as the SDK's finished spans (``_NodeSpan``, a
    ``ReadableSpan`` filled in as the node runs) and handed to the tracer's span processors.

    The SDK's ``start_span`` + ``end`` costs 25-35 us here (a sampler call, locks, bounded
    attribute and event lists, a copy made at the end), as much as a no-op LangGraph node
    itself; these spans need none of it (no events or links, their parent's sampling decision, as
    the default ``ParentBased`` sampler would take).  Made this way one costs a few us and
    exports the same: same ids, parents, times, attributes and status.  The span processors see it
    once, in ``on_end`` (``on_start`` is not called for these).  The workflow span, the root that
    takes the sampling decision, is the SDK's own.

    Ended spans reach the processors in batches: every ``BATCH`` spans, at the first span end more
    than ``WAIT_NS`` after the last batch, and before the workflow span ends (``deliver``).  Between a
    node's own work, the hot path only takes two clock readings and appends to a deque; a span's id
    is made when a child or the delivery first asks for it.  On 200 no-op nodes this took traced
    runs from 1.105-1.123x to 1.089-1.107x of untraced ones (bench_tracing's 'on' side, 3 A/B runs).

    Measured piece by piece on that chain in one process (41 alternating rounds, the 25th percentile
    of the process's CPU time, load average 2.4-2.7 from other work), with the span copied into a
    ``ReadableSpan`` at delivery as it was then: the wrapper's two context variables cost about 1 %,
    the span object and its clock readings 1-2 %, delivery about 4 % (the processors' ``on_end``
    1.4-2 %, the span's id 0.7-1.5 %, the ``ReadableSpan`` copy about 1 %).  The span being that
    ``ReadableSpan`` itself (no copy) took the chain's on/off from 1.064-1.071 to 1.061-1.063 and the
    llm chain's from 1.126-1.138 to 1.118-1.131 (3 runs each way, alternating).  Tried and not kept,
    no change outside the noise: making the span id when the span starts (no lock, but on the
    node's path: 2 % worse), calling the provider's one processor directly, and delivering from a
    daemon thread (the run's thread paid 1.7 % less, the process and the wall clock more: the GIL
    does not let that work run beside the run's)."""

    BATCH = 64
    WAIT_NS = 1_000_000_000

    def __init__(self, tracer: Any) -> None:
        from opentelemetry.trace import SpanContext

        _node_span_class()
        self.span_context = SpanContext
        self._processor = tracer.span_processor
        self.resource = tracer.resource
        self.new_id = tracer.id_generator.generate_span_id
        self.ended: deque[Any] = deque()
        self.lock = threading.Lock()  # makes a span's id once
        self.due = time_ns() + self.WAIT_NS  # a span ending later than this delivers the batch

    @classmethod
    def for_tracer(cls, tracer: Any) -> _NodeSpans | None:
        from opentelemetry.sdk.trace import Tracer

        return cls(tracer) if isinstance(tracer, Tracer) else None

    def start(self, name: str, parent: Any, attributes: dict[str, Any] | None) -> Any:
        """A span under ``parent`` (a span context), started now; None when the trace is not sampled."""
        if not parent.trace_flags.sampled:
            return None
        return _NodeSpan(self, name, parent, time_ns(), attributes)

    def end(self, span: Any, error: BaseException | None) -> None:
        """Note the span's end; it reaches the span processors with the next batch (``deliver``)."""
        span._end_time = end = time_ns()
        if error is not None:
            span.failed(error)
        self.ended.append(span)
        if end > self.due or len(self.ended) >= self.BATCH:
            self.deliver()

    def deliver(self) -> None:
        """Hand every ended span to the span processors (thread-safe: a deque drained from the left)."""
        ended, on_end = self.ended, self._processor.on_end
        self.due = time_ns() + self.WAIT_NS
        while True:
            try:
                span = ended.popleft()
            except IndexError:
                return
            span.context  # noqa: B018 -- its id, if no child asked for it yet (made here, in the batch)
            on_end(span)
