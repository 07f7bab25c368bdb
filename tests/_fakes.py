"""Scripted fake chat models for the unit tier (no real model is loaded).

``ScriptedModel`` replies from a script (langchain-core's ``GenericFakeChatModel``),
reports token usage, streams each word of a reply as a token to the callbacks (so a
run emits ``token`` events) and answers structured-output calls with the next dict of
``structured``.  ``bind_tools`` and ``bind`` work as on a real chat model, and every
call's messages and bound arguments (``tool_choice``, ``temperature``, ``seed``...)
are logged in ``calls``.

- ``scripted(*replies, structured=...)`` -> ``(model_factory, names_asked)``: one model
  shared by every node (``model_factory.model``).
- ``scripted_queue(*replies)`` -> ``model_factory``: a new model per call, all popping one
  thread-safe queue (runs that build their graph more than once: resume, fork).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.output_parsers import JsonOutputParser
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

__all__ = ["ScriptedModel", "scripted", "scripted_queue"]


class ScriptedModel(GenericFakeChatModel):
    """Replies from a script; structured output pops dicts from ``structured``; calls are logged."""

    structured: list[dict[str, Any]] = Field(default_factory=list)
    calls: list[dict[str, Any]] = Field(default_factory=list)

    def bind_tools(self, tools: Any, *, tool_choice: Any = None, **kwargs: Any) -> Any:
        return self.bind(bound_tools=[getattr(t, "name", t) for t in tools], tool_choice=tool_choice, **kwargs)

    def with_structured_output(self, schema: Any, **kwargs: Any) -> Any:
        return self.bind(structured_schema=schema) | JsonOutputParser()

    def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        self.calls.append({"messages": [str(m.content) for m in messages], **kwargs})
        if "structured_schema" in kwargs:
            reply = AIMessage(json.dumps(self.structured.pop(0)))
            return ChatResult(generations=[ChatGeneration(message=reply)])
        result = super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)
        message = result.generations[0].message
        words = str(message.content).split()
        for word in words:
            if run_manager:
                run_manager.on_llm_new_token(word + " ")
        message.usage_metadata = {"input_tokens": 10, "output_tokens": len(words), "total_tokens": 10 + len(words)}
        return result


def scripted(*replies: AIMessage | str, structured: list[dict[str, Any]] | None = None
             ) -> tuple[Callable[[str | None], ScriptedModel], list[str | None]]:
    """``(model_factory, seen)``: a factory always giving one ``ScriptedModel`` with these
    replies (``.model`` on the factory), and the model names it was asked for."""
    model = ScriptedModel(messages=iter([r if isinstance(r, AIMessage) else AIMessage(r) for r in replies]),
                          structured=list(structured or []))
    seen: list[str | None] = []

    def factory(name: str | None) -> ScriptedModel:
        seen.append(name)
        return model

    factory.model = model  # type: ignore[attr-defined]
    return factory, seen


def scripted_queue(*replies: str) -> Callable[[str | None], ScriptedModel]:
    """A model factory whose models (one per call) pop ``replies`` from one thread-safe queue."""
    queue = list(replies)
    lock = threading.Lock()

    class Next:
        def __iter__(self) -> Any:
            return self

        def __next__(self) -> AIMessage:
            with lock:
                return AIMessage(content=queue.pop(0))

    return lambda name: ScriptedModel(messages=Next())
