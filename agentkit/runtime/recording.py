"""Record every LLM call of a run; replay a run from the record without loading a model.

A call is keyed by ``prompt_hash``: the sha256 of the messages (role, content,
tool calls) plus the request options that change the reply (tools, tool choice,
response format, stop sequences).  The record also keeps the sampling
parameters, the model name and the sha256 of its GGUF file, and the reply
(content, tool calls, usage) as JSON -- never pickled.

``ReplayChatModel`` serves recorded replies by prompt hash (in recorded order
when the same prompt was asked more than once) and fails with
``ReplayMissError`` on a prompt that was never recorded.  It is a
``ChatLlamaCpp`` that never resolves or loads a model file, so ``bind_tools``
and ``with_structured_output`` shape requests exactly as the real model does.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.messages import AIMessage, BaseMessage, message_to_dict, messages_from_dict
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import PrivateAttr

from agentkit.errors import AgentkitError, ReplayMissError
from agentkit.llm.chat_model import ChatLlamaCpp
from agentkit.runtime.store import LLMCall

__all__ = [
    "REQUEST_KEYS",
    "SAMPLING_KEYS",
    "ReplayChatModel",
    "ReplayMissError",
    "message_from_record",
    "message_record",
    "model_sha256",
    "prompt_hash",
    "prompt_record",
]

# Call options that change what the model is asked (part of the prompt hash).
REQUEST_KEYS = ("tools", "tool_choice", "parallel_tool_calls", "response_format", "stop", "choices", "grammar")
# Model settings that change how it answers (recorded, not hashed: replay serves the reply as recorded).
SAMPLING_KEYS = ("temperature", "top_p", "top_k", "min_p", "repeat_penalty", "max_tokens", "seed", "n_ctx")


def _canonical_message(message: BaseMessage) -> dict[str, Any]:
    item: dict[str, Any] = {"type": message.type, "content": message.content}
    if message.name:
        item["name"] = message.name
    tool_calls = getattr(message, "tool_calls", None)
    if tool_calls:  # call ids are random per run: the hash keeps what was called, with what
        item["tool_calls"] = [{"name": c["name"], "args": c["args"]} for c in tool_calls]
    return item


def _request_options(request: dict[str, Any]) -> dict[str, Any]:
    """The options in ``REQUEST_KEYS``, in the shapes agentkit's own model binds them: a served
    model (``ChatOpenAI``, agentkit.llm.remote) sends the same request in OpenAI's shapes (tool
    choice as ``{"type": "function", ...}`` or ``"required"``, the schema in ``extra_body``), and a
    replay (on agentkit's model) must find it by the same hash."""
    options = {k: request[k] for k in REQUEST_KEYS if request.get(k) not in (None, [], "")}
    response_format = (request.get("extra_body") or {}).get("response_format")
    if isinstance(response_format, dict) and "response_format" not in options:
        schema = response_format.get("schema") or (response_format.get("json_schema") or {}).get("schema")
        options["response_format"] = {"type": "json_schema", "schema": schema}
    if options.get("tools"):
        choice = options.get("tool_choice")
        if isinstance(choice, dict):
            choice = (choice.get("function") or {}).get("name") or choice.get("name")
        options["tool_choice"] = {None: "auto", "required": "any", True: "any", False: "none"}.get(choice, choice)
        options.setdefault("parallel_tool_calls", False)
    return options


def prompt_hash(messages: Iterable[BaseMessage], request: dict[str, Any]) -> str:
    """sha256 over the messages and the request options in ``REQUEST_KEYS``."""
    payload = {"messages": [_canonical_message(m) for m in messages], "request": _request_options(request)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def prompt_record(messages: Iterable[BaseMessage], request: dict[str, Any]) -> dict[str, Any]:
    """What a call sent, as plain JSON for people to read (the studio shows it): every message
    in full and the request options in ``REQUEST_KEYS``.  Replay never reads it."""
    return {"messages": [message_to_dict(m) for m in messages],
            "request": _request_options(request)}


def message_record(message: BaseMessage) -> dict[str, Any]:
    """A reply as plain JSON (``AIMessage`` fields: content, tool calls, usage, metadata)."""
    reply = AIMessage(content=message.content, tool_calls=list(getattr(message, "tool_calls", []) or []),
                      usage_metadata=getattr(message, "usage_metadata", None),
                      response_metadata=dict(message.response_metadata or {}), id=message.id)
    return message_to_dict(reply)


def message_from_record(record: dict[str, Any]) -> AIMessage:
    (message,) = messages_from_dict([record])
    if not isinstance(message, AIMessage):
        raise ReplayMissError(f"recorded reply of type {message.type!r} is not an AI message")
    return message


@functools.lru_cache(maxsize=16)
def model_sha256(model: str) -> str | None:
    """The sha256 of the GGUF file a model name resolves to (None when it does not resolve).

    Known models carry their verified digest; a ``.gguf`` path is hashed once per process."""
    from agentkit.cache import sha256_file
    from agentkit.llm.registry import resolve_model

    try:
        resolved = resolve_model(model)
    except AgentkitError:
        return None
    return resolved.card.sha256 if resolved.card is not None else sha256_file(resolved.path)


class ReplayChatModel(ChatLlamaCpp):
    """Serves recorded replies by prompt hash; never touches a model file."""

    disable_streaming: bool = True
    _calls: dict[str, list[dict[str, Any]]] = PrivateAttr(default_factory=dict)
    _served: dict[str, int] = PrivateAttr(default_factory=lambda: defaultdict(int))
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _llama_recorded: bool = PrivateAttr(default=True)

    def model_post_init(self, context: Any) -> None:  # no model resolution, no weights
        pass

    @classmethod
    def from_calls(cls, calls: Iterable[LLMCall], model: str | None = None) -> ReplayChatModel:
        replay = cls(model=model or "replay")
        calls = list(calls)
        for call in calls:
            replay._calls.setdefault(call.prompt_hash, []).append(call.output)
        # Node kinds ask a model that scores choices and follows grammars other questions than one
        # that does not: replay as the recorded model could (agentkit's llama.cpp model records
        # its file's sha256; any other model, a test fake say, does not).
        replay._llama_recorded = any(call.model_sha256 for call in calls) or not calls
        return replay

    @property
    def scores_choices(self) -> bool:  # type: ignore[override]
        return self._llama_recorded

    @property
    def follows_grammars(self) -> bool:  # type: ignore[override]
        return self._llama_recorded

    @property
    def _llm_type(self) -> str:
        return "agentkit-replay"

    @property
    def pooled(self) -> Any:
        raise ReplayMissError("a replay model has no llama.cpp instance")

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        key = prompt_hash(messages, {**kwargs, "stop": stop})
        with self._lock:
            outputs = self._calls.get(key)
            if not outputs:
                last = messages[-1].content if messages else ""
                raise ReplayMissError(
                    f"replay: the recorded run never sent this prompt (hash {key[:12]}, last message "
                    f"{str(last)[:80]!r}); the graph, its inputs or its prompts changed since the recording")
            index = min(self._served[key], len(outputs) - 1)
            self._served[key] += 1
        return ChatResult(generations=[ChatGeneration(message=message_from_record(outputs[index]))])
