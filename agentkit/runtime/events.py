"""Run events, and the callback handler that watches every LLM call of a run.

``RunEvent`` is what a run reports while it works (printed live by the CLI, one
JSON line each with ``--json``): ``run_start``, ``node_start``, ``token``,
``llm_call``, ``node_end``, ``approval``, ``run_end``.

``LLMCallMonitor`` is a LangChain callback handler: LangGraph hands it to every
chat model a node calls, with the node in the call's metadata.  It asks the
``Meter`` before each call and on each token (raising ``BudgetExceededError``
stops the call: the handler sets ``raise_error``), counts usage, records the
call for replay, and emits ``token`` and ``llm_call`` events.  It also records each
tool call a node makes (an agent's tool loop), for the studio's timeline.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage
from langchain_core.outputs import LLMResult

from agentkit.runtime.budgets import Meter
from agentkit.runtime.recording import SAMPLING_KEYS, message_record, model_sha256, prompt_hash, prompt_record
from agentkit.runtime.store import TOOL_TEXT_CHARS, LLMCall, ToolCallRecord

__all__ = ["EventSink", "LLMCallMonitor", "RunEvent", "task_of"]

_log = logging.getLogger(__name__)


@dataclass(kw_only=True)
class RunEvent:
    """Something a run did: ``kind``, the thread, the node (if any) and details."""

    kind: str
    thread_id: str
    node: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    ts: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        return {"event": self.kind, **{k: v for k, v in asdict(self).items() if k not in ("kind", "data")},
                **self.data}


EventSink = Callable[[RunEvent], None]


def task_of(metadata: dict[str, Any] | None) -> tuple[str | None, str | None]:
    """(top-level node, its task id) of a call made inside a LangGraph node."""
    namespace = str((metadata or {}).get("langgraph_checkpoint_ns") or "")
    if not namespace:
        node = (metadata or {}).get("langgraph_node")
        return (str(node) if node else None), None
    node, _, task = namespace.split("|")[0].partition(":")
    return node, task or None


@dataclass
class _Call:
    node: str | None
    task: str | None
    prompt_hash: str
    params: dict[str, Any]
    model: str | None
    model_type: str
    prompt: dict[str, Any]
    namespace: str
    started: float = field(default_factory=time.perf_counter)
    generated: int = 0


@dataclass
class _ToolCall:
    node: str
    namespace: str
    name: str
    call_id: str
    args: str
    started: float = field(default_factory=time.time)
    clock: float = field(default_factory=time.perf_counter)


def _text(value: Any) -> str:
    """A tool's arguments or result as the text kept for the studio (JSON when it is data)."""
    if not isinstance(value, str):
        try:
            value = json.dumps(value, default=str, ensure_ascii=False)
        except (TypeError, ValueError):
            value = str(value)
    return value if len(value) <= TOOL_TEXT_CHARS else value[:TOOL_TEXT_CHARS - 1] + "…"


class LLMCallMonitor(BaseCallbackHandler):
    """Meters, records and reports every chat-model call of one run."""

    raise_error = True  # a budget stop must propagate out of the model call
    # Nodes time their own spans (agentkit.tracing.traced_node): LangChain need not call this per chain.
    ignore_chain = True

    def __init__(self, *, thread_id: str, meter: Meter, record: Callable[[LLMCall], None] | None,
                 sink: EventSink | None, tracer: BaseCallbackHandler | None = None,
                 record_tool: Callable[[ToolCallRecord], None] | None = None) -> None:
        self.thread_id = thread_id
        self.meter = meter
        self.record = record
        self.record_tool = record_tool
        self._tools: dict[UUID, _ToolCall] = {}
        self.sink = sink
        # A run's tracing handler (agentkit.tracing) is called from here rather than added as a second
        # handler: LangChain then dispatches each event once, and tracing adds only its spans' cost.
        self.tracer = tracer
        if hasattr(tracer, "inherit"):
            tracer.inherit = False  # its LLM and tool calls reach it through this handler
        self._calls: dict[UUID, _Call] = {}
        self._lock = threading.Lock()

    def _trace(self, event: str, *args: Any, **kwargs: Any) -> None:
        try:
            getattr(self.tracer, event)(*args, **kwargs)
        except Exception:  # tracing never stops a run
            _log.warning("tracing: %s failed", event, exc_info=True)

    # -- tool calls: recorded (the studio nests them under their node) and traced ------------

    def on_tool_start(self, serialized: dict[str, Any] | None, input_str: str, *, run_id: UUID,
                      metadata: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if self.tracer is not None:
            self._trace("on_tool_start", serialized, input_str, run_id=run_id, metadata=metadata, **kwargs)
        if self.record_tool is None:
            return
        node, _ = task_of(metadata)
        inputs = kwargs.get("inputs")
        call_id = kwargs.get("tool_call_id") or (inputs.get("tool_call_id") if isinstance(inputs, dict) else None)
        self._tools[run_id] = _ToolCall(
            node=node or "", namespace=str((metadata or {}).get("langgraph_checkpoint_ns") or ""),
            name=str(kwargs.get("name") or (serialized or {}).get("name") or "tool"), call_id=str(call_id or ""),
            args=_text(inputs if isinstance(inputs, dict) else input_str))

    def on_tool_end(self, output: Any, *, run_id: UUID, **kwargs: Any) -> None:
        if self.tracer is not None:
            self._trace("on_tool_end", output, run_id=run_id, **kwargs)
        status = "error" if getattr(output, "status", None) == "error" else "ok"
        self._tool_done(run_id, status, getattr(output, "content", output))

    def on_tool_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        if self.tracer is not None:
            self._trace("on_tool_error", error, run_id=run_id, **kwargs)
        self._tool_done(run_id, "error", f"{type(error).__name__}: {error}")

    def _tool_done(self, run_id: UUID, status: str, output: Any) -> None:
        call = self._tools.pop(run_id, None)
        if call is None or self.record_tool is None:
            return
        ms = round((time.perf_counter() - call.clock) * 1000, 2)
        self.record_tool(ToolCallRecord(node=call.node, namespace=call.namespace, name=call.name,
                                        call_id=call.call_id, started=call.started, ms=ms, status=status,
                                        args=call.args, output=_text(output)))

    # -- LLM calls -----------------------------------------------------------------------

    def on_chat_model_start(self, serialized: dict[str, Any], messages: list[list[BaseMessage]], *,
                            run_id: UUID, metadata: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if self.tracer is not None:
            self._trace("on_chat_model_start", serialized, messages, run_id=run_id, metadata=metadata, **kwargs)
        node, task = task_of(metadata)
        self.meter.before_call(task, node)
        params = dict(kwargs.get("invocation_params") or {})
        call = _Call(node=node, task=task, prompt_hash=prompt_hash(messages[0], params),
                     params={k: params[k] for k in SAMPLING_KEYS if k in params},
                     model=params.get("model"), model_type=str(params.get("_type", "")),
                     prompt=prompt_record(messages[0], params),
                     namespace=str((metadata or {}).get("langgraph_checkpoint_ns") or ""))
        with self._lock:
            self._calls[run_id] = call

    def on_llm_new_token(self, token: str, *, run_id: UUID, **kwargs: Any) -> None:
        call = self._calls.get(run_id)
        if call is None:
            return
        call.generated += 1
        if self.sink is not None and token:
            self.sink(RunEvent(kind="token", thread_id=self.thread_id, node=call.node, data={"text": token}))
        self.meter.on_token(call.task, call.node, call.generated)

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        if self.tracer is not None:
            self._trace("on_llm_end", response, run_id=run_id, **kwargs)
        with self._lock:
            call = self._calls.pop(run_id, None)
        if call is None or not response.generations or not response.generations[0]:
            return
        message = getattr(response.generations[0][0], "message", None)
        if message is None:
            return
        usage = getattr(message, "usage_metadata", None) or {}
        input_tokens = int(usage.get("input_tokens", 0))
        output_tokens = int(usage.get("output_tokens", call.generated))
        ms = round((time.perf_counter() - call.started) * 1000, 2)
        self.meter.after_call(call.task, input_tokens + output_tokens)
        if self.record is not None:
            sha = model_sha256(call.model) if call.model and call.model_type == "agentkit-llamacpp" else None
            self.record(LLMCall(node=call.node or "", prompt_hash=call.prompt_hash, params=call.params,
                                model=call.model, model_sha256=sha, output=message_record(message),
                                input_tokens=input_tokens, output_tokens=output_tokens, prompt=call.prompt,
                                namespace=call.namespace, ms=ms))
        if self.sink is not None:
            self.sink(RunEvent(kind="llm_call", thread_id=self.thread_id, node=call.node,
                               data={"input_tokens": input_tokens, "output_tokens": output_tokens, "ms": ms,
                                     "tool_calls": [c["name"] for c in getattr(message, "tool_calls", [])]}))

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        if self.tracer is not None:
            self._trace("on_llm_error", error, run_id=run_id, **kwargs)
        with self._lock:
            self._calls.pop(run_id, None)
