"""OpenTelemetry traces of runs, opt-in, following the GenAI semantic conventions.

Off unless asked for: ``agentkit run --trace console|otlp`` (also ``resume``, ``fork`` and
``replay``), the environment variable ``AGENTKIT_TRACE=console|otlp``, or ``enable(...)``
from Python.  While off nothing here is imported by a run and no callback is added, so
tracing costs nothing.  It needs the ``trace`` extra (``pip install 'agentkit[trace]'``).

Spans come from LangChain's callbacks (``TraceHandler``), the same machinery that meters
and records a run, so nothing is patched:

- the run (workflow): ``invoke_workflow {graph}`` with ``gen_ai.operation.name=invoke_workflow``,
  ``gen_ai.workflow.name`` and ``gen_ai.conversation.id`` (the thread id);
- each node execution, nested ones under theirs: ``{node}`` (an ``agent`` node: ``invoke_agent
  {node}``) with ``agentkit.node.kind`` (the span's name is the node's);
- each LLM call: ``chat {model}`` with ``gen_ai.operation.name=chat``, ``gen_ai.provider.name``,
  ``gen_ai.request.model`` / ``temperature`` / ``max_tokens`` / ``seed``, ``gen_ai.usage.input_tokens``
  / ``output_tokens`` / ``cache_read.input_tokens`` (prompt tokens reused from the KV prefix cache),
  ``gen_ai.response.finish_reasons`` and the auto tool-route decision (``agentkit.tool_route.tool``,
  ``.p_yes``, ``.probabilities``);
- each tool call: ``execute_tool {tool}`` with ``gen_ai.operation.name=execute_tool``,
  ``gen_ai.tool.name``, ``gen_ai.tool.call.id`` and ``gen_ai.tool.type``.

Prompts and replies are not put on spans (they can hold document text and personal data);
the studio shows them from the run database.  Exporters: ``console`` (each span as JSON on
stderr, so ``--json`` output on stdout stays clean) and ``otlp`` (to
``OTEL_EXPORTER_OTLP_ENDPOINT``, default ``http://localhost:4318``; gRPC when
``OTEL_EXPORTER_OTLP_PROTOCOL=grpc``).  An application that set up OpenTelemetry itself
passes its own ``SpanExporter`` or ``TracerProvider`` to ``enable``.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import threading
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler

from agentkit.errors import UserError
from agentkit.extras import require

__all__ = ["ENV_VAR", "EXPORTERS", "TraceHandler", "active", "disable", "enable", "enable_from_env", "run_handler"]

ENV_VAR = "AGENTKIT_TRACE"
EXPORTERS = ("console", "otlp")
SCOPE = "agentkit"

_lock = threading.Lock()
_provider: Any = None  # the TracerProvider runs are traced to (None: off)
_env_checked: str | None = None


def _check_kind(kind: str, where: str) -> str:
    kind = kind.strip().lower()
    if kind not in EXPORTERS:
        raise UserError(f"{where}: unknown trace exporter {kind!r}; valid: {', '.join(EXPORTERS)} "
                        f"(or leave it unset for no tracing)")
    return kind


def enable(exporter: Any = "console", *, provider: Any = None) -> Any:
    """Trace every run from now on, to ``exporter`` (``"console"``, ``"otlp"`` or an
    OpenTelemetry ``SpanExporter``) or to an existing ``provider``; returns the provider."""
    global _provider
    require("trace", what="tracing runs (--trace, AGENTKIT_TRACE)")
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

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
        atexit.register(provider.shutdown)
    with _lock:
        _provider = provider
    return provider


def disable() -> None:
    """Stop tracing runs (spans already ended are flushed)."""
    global _provider, _env_checked
    with _lock:
        provider, _provider, _env_checked = _provider, None, os.environ.get(ENV_VAR, "")
    if provider is not None and hasattr(provider, "force_flush"):
        provider.force_flush()


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
    return OTLPSpanExporter()


def run_handler(graph: str, thread_id: str, *, kinds: Mapping[str, str] | None = None) -> TraceHandler | None:
    """A ``TraceHandler`` for one run session, its workflow span open (None when tracing is off).
    End it with ``finish(status)``."""
    provider = enable_from_env()
    if provider is None:
        return None
    handler = TraceHandler(provider=provider, kinds=kinds)
    handler.open_workflow(graph, thread_id)
    return handler


class TraceHandler(BaseCallbackHandler):
    """LangChain callbacks -> OpenTelemetry spans: the workflow, its nodes (nested ones under
    theirs), LLM calls and tool calls.  Pass it in a run's ``callbacks``; it never raises."""

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

    # -- the workflow span a runner opens around a run session --------------------------

    def open_workflow(self, graph: str, thread_id: str | None = None) -> Any:
        attributes = {"gen_ai.operation.name": "invoke_workflow", "gen_ai.workflow.name": graph}
        if thread_id:
            attributes["gen_ai.conversation.id"] = thread_id
        self._root = self.tracer.start_span(f"invoke_workflow {graph}", attributes=attributes)
        return self._root

    def finish(self, status: str = "done", message: str = "") -> None:
        """End the workflow span with the run's status (and every span left open)."""
        with self._lock:
            leftover = [self._spans[r] for r in self._owned if r in self._spans]
            self._spans.clear()
            self._owned.clear()
        for span in leftover:
            span.end()
        if self._root is not None:
            self._root.set_attribute("agentkit.run.status", status)
            if status in ("failed",):
                self._root.set_status(self._trace.Status(self._trace.StatusCode.ERROR, message[:500]))
            self._root.end()
            self._root = None

    # -- helpers ------------------------------------------------------------------------

    def _parent(self, parent_run_id: UUID | None) -> Any:
        span = self._spans.get(parent_run_id) if parent_run_id is not None else None
        return span if span is not None else self._root

    def _start(self, run_id: UUID, parent_run_id: UUID | None, name: str, attributes: dict[str, Any] | None) -> Any:
        # The hot path of a traced run (once per node): dict operations are atomic, no lock needed.
        parent = self._parent(parent_run_id)
        context = None
        if parent is not None:
            context = self._contexts.get(id(parent))
            if context is None:
                context = self._contexts[id(parent)] = self._trace.set_span_in_context(parent)
        span = self.tracer.start_span(name, context=context, attributes=attributes)
        self._spans[run_id] = span
        self._owned.add(run_id)
        return span

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
        self._contexts.pop(id(span), None)
        if error is not None:
            span.set_attribute("error.type", type(error).__name__)
            span.set_status(self._trace.Status(self._trace.StatusCode.ERROR, str(error)[:500]))
        span.end()
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
            self._start(run_id, parent_run_id, f"invoke_agent {node}", attributes)
        else:
            self._start(run_id, parent_run_id, str(node), attributes)

    def on_chain_end(self, outputs: Any, *, run_id: UUID, **kwargs: Any) -> None:
        self._end(run_id)

    def on_chain_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        # An approval pause is LangGraph's GraphInterrupt: the node did not fail.
        self._end(run_id, None if type(error).__name__ in ("GraphInterrupt", "ParentCommand") else error)

    # -- LLM calls -----------------------------------------------------------------------

    def on_chat_model_start(self, serialized: dict[str, Any] | None, messages: Any, *, run_id: UUID,
                            parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        params = dict(kwargs.get("invocation_params") or {})
        model = str(params.get("model") or params.get("model_name") or params.get("_type") or "unknown")
        provider = "llama.cpp" if params.get("_type") == "agentkit-llamacpp" else str(params.get("_type") or "")
        attributes: dict[str, Any] = {"gen_ai.operation.name": "chat", "gen_ai.request.model": model,
                                      "gen_ai.provider.name": provider or "langchain"}
        for key in ("temperature", "max_tokens", "seed", "top_p", "top_k"):
            if isinstance(params.get(key), (int, float)):
                attributes[f"gen_ai.request.{key}"] = params[key]
        tools = params.get("tools")
        if tools:
            attributes["agentkit.request.tools"] = [str((t.get("function") or t).get("name", "")) if isinstance(
                t, dict) else str(t) for t in tools]
        if params.get("tool_choice") not in (None, ""):
            attributes["agentkit.request.tool_choice"] = str(params["tool_choice"])
        self._start(run_id, parent_run_id, f"chat {model}", attributes)

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
                    span.set_attribute("gen_ai.response.finish_reasons", [str(meta["finish_reason"])])
                route = meta.get("tool_route")
                if isinstance(route, dict):
                    span.set_attribute("agentkit.tool_route.tool", str(route.get("tool") or "none"))
                    if route.get("p_yes") is not None:
                        span.set_attribute("agentkit.tool_route.p_yes", float(route["p_yes"]))
                    span.set_attribute("agentkit.tool_route.probabilities",
                                       json.dumps(route.get("probabilities") or {}, sort_keys=True))
                calls = [c.get("name", "") for c in getattr(message, "tool_calls", None) or []]
                if calls:
                    span.set_attribute("agentkit.response.tool_calls", calls)
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
