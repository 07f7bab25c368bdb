"""Scripted fake chat models for the unit tier (no real model is loaded).

``ScriptedModel`` replies from a script (langchain-core's ``GenericFakeChatModel``),
reports token usage, streams each word of a reply as a token to the callbacks (so a
run emits ``token`` events), keeps its script through ``bind_tools`` and answers
structured-output calls from ``structured``.

- ``scripted(*replies, structured=...)`` -> ``(model_factory, names_asked)``: one model
  shared by every node (compile tests).
- ``scripted_queue(*replies)`` -> ``model_factory``: a new model per call, all popping one
  thread-safe queue (runs that build their graph more than once: resume, fork).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableLambda
from pydantic import Field

__all__ = ["ScriptedModel", "scripted", "scripted_queue"]


class ScriptedModel(GenericFakeChatModel):
    """Replies from a script; ``bind_tools`` keeps the script, structured output pops dicts."""

    structured: list[dict[str, Any]] = Field(default_factory=list)

    def bind_tools(self, tools: Any, **kwargs: Any) -> ScriptedModel:
        return self

    def with_structured_output(self, schema: Any, **kwargs: Any) -> Any:
        answers = iter(self.structured)
        return RunnableLambda(lambda _: next(answers))

    def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> Any:
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
    """A model factory serving ``replies`` in order from one shared model, and the model names asked for."""
    model = ScriptedModel(messages=iter([r if isinstance(r, AIMessage) else AIMessage(r) for r in replies]),
                          structured=structured or [])
    seen: list[str | None] = []

    def factory(name: str | None) -> ScriptedModel:
        seen.append(name)
        return model

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
