"""A scripted fake chat model for unit tests (shared by the test modules that need one).

``ScriptedModel`` replies with its scripted messages in order; ``with_structured_output``
replies with the next dict of ``structured``; ``bind_tools`` and ``bind`` work as on a
real chat model, and every call's messages and bound arguments (``tool_choice``,
``temperature``, ``seed``...) are logged in ``calls``.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.output_parsers import JsonOutputParser
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

__all__ = ["ScriptedModel", "scripted"]


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
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


def scripted(*replies: AIMessage | str, structured: list[dict[str, Any]] | None = None):
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
