"""Testing your graphs without a real model: what agentkit's own tests use.

Fake chat models (no weights are loaded; both are LangChain chat models, so every node
kind, ``bind_tools`` and structured output work on them):

- ``ScriptedModel`` replies from a script (langchain-core's ``GenericFakeChatModel``),
  reports token usage, streams each word of a reply as a token (so a run emits ``token``
  events) and answers structured-output calls with the next dict of ``structured``;
  every call's messages and bound arguments (``tool_choice``, ``temperature``...) are
  logged in ``calls``.  ``scripted(*replies)`` gives a model factory sharing one such
  model; ``scripted_queue(*replies)`` one that makes a model per call, all popping one
  queue (runs that build their graph more than once: resume, fork).
- ``FunctionModel`` is played by a function ``(messages, options) -> reply``: text, an
  ``AIMessage`` (with tool calls), or for structured output a dict.

Isolation: ``isolated_registry()`` restores the registry of node kinds, tools, functions
and reducers when the block ends; ``no_model_loading()`` makes loading real model weights
fail.  ``agentkit.testing.pytest_plugin`` turns both into pytest fixtures (add
``pytest_plugins = ["agentkit.testing.pytest_plugin"]`` to a conftest).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.output_parsers import JsonOutputParser
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import Field

from agentkit import registry
from agentkit.llm import pool
from agentkit.tracing import TracedChatModel

__all__ = [
    "FunctionModel",
    "ScriptedModel",
    "isolated_registry",
    "no_model_loading",
    "scripted",
    "scripted_queue",
]


class ScriptedModel(TracedChatModel, GenericFakeChatModel):
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


Reply = str | AIMessage | dict[str, Any]


class FunctionModel(TracedChatModel, BaseChatModel):
    """A chat model played by ``function(messages, options) -> reply``.

    ``options`` are the call's bound arguments: ``tools`` (OpenAI-style tool dicts) and
    ``tool_choice`` after ``bind_tools``, ``response_format`` (``{"type": "json_schema",
    "schema": ...}``) for structured output, ``choices`` and ``grammar`` (it offers both, like
    agentkit's llama.cpp model), sampling settings after ``bind``.  The reply is text, an
    ``AIMessage`` (e.g. with ``tool_calls``) or a dict: for structured output the JSON object,
    for ``choices`` each choice's probability."""

    scores_choices: ClassVar[bool] = True
    follows_grammars: ClassVar[bool] = True
    function: Callable[[list[BaseMessage], dict[str, Any]], Reply]

    @property
    def _llm_type(self) -> str:
        return "agentkit-function"

    def bind_tools(self, tools: Any, *, tool_choice: Any = None, **kwargs: Any) -> Any:
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], tool_choice=tool_choice, **kwargs)

    def with_structured_output(self, schema: Any, **kwargs: Any) -> Any:
        return self.bind(response_format={"type": "json_schema", "schema": schema}) | JsonOutputParser()

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        reply = self.function(messages, kwargs)
        if kwargs.get("choices") and isinstance(reply, dict):  # the probability of each choice
            best = max(reply, key=reply.__getitem__)
            reply = AIMessage(best, response_metadata={"choice_probabilities": dict(reply)})
        elif isinstance(reply, dict):
            reply = AIMessage(json.dumps(reply))
        elif isinstance(reply, str):
            reply = AIMessage(reply)
        return ChatResult(generations=[ChatGeneration(message=reply)])


@contextmanager
def isolated_registry() -> Iterator[None]:
    """Whatever is registered inside the block (node kinds, tools, functions, reducers) is
    forgotten when it ends."""
    saved = registry.snapshot()
    try:
        yield
    finally:
        registry.restore(saved)


@contextmanager
def no_model_loading(reason: str = "this code may not load model weights") -> Iterator[None]:
    """Inside the block, loading a llama.cpp model's weights raises ``RuntimeError(reason)``
    (constructing a chat model stays possible: it reads only the file's header)."""
    with pool.model_loading_refused(reason):
        yield
