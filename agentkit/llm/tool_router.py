"""Deciding whether a reply should call a tool, and which one.

Small models are poor judges of this inside their normal chat turn: the default
0.5B model starts a JSON call for "What is 2+2?" when any tool is offered.  The
decision is therefore taken in two short questions, each read off next-token
probabilities in one forward pass:

1. *which*: a single-choice question -- the offered tools plus "none", one
   letter.  The model picks the right tool well but is a poor judge of "none".
   Its few-shot preamble never changes, so it stays in the KV cache.
2. *whether*: a yes/no question about that one tool ("would calling it do what
   the user asks?").  The call is made when P(yes) >= a threshold.

Both questions share the same few-shot examples, on tools that appear nowhere
else.  ``route`` asks them on the pooled model (the caller holds its lock) and
returns the ``RouteDecision``; the chat model then decodes the branch taken.  Measured on the tuning set of benchmarks/tool_calling_cases.py
(DEV_CASES): the letter alone gave 14/21 right tools and 11/14 right no-calls;
with the few-shot yes/no gate, P(yes) of the right tool was >= 0.64 on 20 of 21
tool prompts and <= 0.50 on all 14 no-tool prompts, hence the threshold 0.57.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from langchain_core.messages import BaseMessage, HumanMessage, ToolMessage

from agentkit.llm.decoding import Decoder
from agentkit.llm.prompt import ChatPrompter, message_text

__all__ = [
    "RouteDecision",
    "latest_request",
    "option_letters",
    "request_with_results",
    "route",
    "route_prompt",
    "verify_prompt",
]

_SYSTEM = (
    "Pick the function that can do what the request asks. If no function can do it, or the "
    "request can be answered from knowledge, conversation or results already obtained, pick "
    "none. Reply with one letter."
)
_NONE = "none: no function fits; answer directly"

# Worked examples with tools that appear nowhere else (so they bias no real tool).
_EXAMPLES: tuple[tuple[tuple[tuple[str, str], ...], str, str], ...] = (
    ((("get_time(city)", "Get the current local time in a city."),
      ("send_sms(phone, text)", "Send a text message.")), "what time is it in Tokyo right now?", "A"),
    ((("search_recipes(ingredient)", "Find recipes that use an ingredient."),
      ("set_alarm(time)", "Set an alarm.")), "Who painted the Mona Lisa?", "C"),
    ((("get_time(city)", "Get the current local time in a city."),
      ("create_reminder(text, date)", "Create a reminder.")), "remind me to call mom on 2025-03-02", "B"),
    ((("send_sms(phone, text)", "Send a text message."),
      ("get_time(city)", "Get the current local time in a city.")), "Write a short poem about the sea.", "C"),
    ((("set_alarm(time)", "Set an alarm."),
      ("search_recipes(ingredient)", "Find recipes that use an ingredient.")), "How many minutes are in a day?", "C"),
    ((("set_alarm(time)", "Set an alarm."),
      ("search_recipes(ingredient)", "Find recipes that use an ingredient.")), "any ideas for dinner with eggplant?", "B"),
)


_RESULTS = "\nResults already obtained:\n"


@dataclass(frozen=True, kw_only=True)
class RouteDecision:
    """The chosen tool (None: answer with text), the letter probabilities of each
    option, and P(yes) that the most likely tool does what was asked."""

    tool: str | None
    probabilities: dict[str, float]
    p_yes: float


def request_with_results(request: str, results: Sequence[str]) -> str:
    """The routing text of a request followed by the tool results obtained since."""
    return request + (_RESULTS + "\n".join(results) if results else "")


def _menu(entries: Sequence[tuple[str, str]]) -> str:
    letters = string.ascii_uppercase
    lines = [f"{letters[i]}. {signature}: {description}" for i, (signature, description) in enumerate(entries)]
    lines.append(f"{letters[len(entries)]}. {_NONE}")
    return "Functions:\n" + "\n".join(lines)


def _signature(tool: dict[str, Any]) -> tuple[str, str]:
    function = tool["function"]
    params = ", ".join((function.get("parameters") or {}).get("properties", {}))
    description = " ".join(str(function.get("description", "")).split())[:200]
    return f"{function['name']}({params})", description


def route_prompt(tools: Sequence[dict[str, Any]], request: str) -> list[dict[str, str]]:
    """The routing conversation (template messages) for ``request`` over ``tools``."""
    messages = [{"role": "system", "content": _SYSTEM}]
    for entries, example, answer in _EXAMPLES:
        messages.append({"role": "user", "content": f"{_menu(entries)}\n\nRequest: {example}"})
        messages.append({"role": "assistant", "content": answer})
    messages.append({"role": "user",
                     "content": f"{_menu([_signature(t) for t in tools])}\n\nRequest: {request}"})
    return messages


def _verify_question(signature: str, description: str, request: str) -> str:
    question = ("Is calling this function still needed to do what the user asks?"
                if _RESULTS in request else "Would calling this function do what the user asks?")
    return (f"Function: {signature}\nDescription: {description}\n\nUser request: {request}\n\n"
            f"{question} Answer yes or no.")


def _verify_examples() -> list[dict[str, str]]:
    """The routing examples as yes/no turns: the right tool is a yes; for a "none"
    example, the first offered tool is a no."""
    messages = []
    for entries, request, answer in _EXAMPLES:
        index = string.ascii_uppercase.index(answer)
        signature, description = entries[index] if index < len(entries) else entries[0]
        messages.append({"role": "user", "content": _verify_question(signature, description, request)})
        messages.append({"role": "assistant", "content": "yes" if index < len(entries) else "no"})
    return messages


def verify_prompt(tool: dict[str, Any], request: str) -> list[dict[str, str]]:
    """The yes/no conversation: would calling ``tool`` do what ``request`` asks?"""
    return [{"role": "system", "content": "You are a precise classifier."}, *_verify_examples(),
            {"role": "user", "content": _verify_question(*_signature(tool), request)}]


def option_letters(n_tools: int) -> str:
    """The letters of ``n_tools`` tools plus the "none" option."""
    if n_tools + 1 > len(string.ascii_uppercase):
        raise ValueError("at most 25 tools can be offered in one call")
    return string.ascii_uppercase[: n_tools + 1]


def latest_request(messages: Sequence[BaseMessage]) -> str:
    """The last human message, followed by the tool results that came after it."""
    request, results = "", []
    for message in messages:
        if isinstance(message, HumanMessage):
            request, results = message_text(message.content), []
        elif isinstance(message, ToolMessage):
            results.append(f"{message.name or 'tool'} returned: {message_text(message.content)[:300]}")
    return request_with_results(request, results)


def route(decoder: Decoder, llama: Any, prompter: ChatPrompter, messages: Sequence[BaseMessage],
          tools: Sequence[dict[str, Any]], *, threshold: float) -> RouteDecision:
    """Which tool (the letter question), then whether (the yes/no question, P(yes) >= ``threshold``)."""
    request = latest_request(messages)

    def first_token(text: str) -> int:
        return llama.tokenize(text.encode(), add_bos=False, special=False)[0]

    letters = option_letters(len(tools))
    p = decoder.next_token_probabilities(
        llama, decoder.tokenize(prompter.render(route_prompt(tools, request))), [first_token(x) for x in letters])
    p = p / p.sum() if p.sum() > 0 else np.full(len(p), 1.0 / len(p))
    names = [t["function"]["name"] for t in tools]
    probabilities = {name: float(x) for name, x in zip(names, p[:-1])} | {"none": float(p[-1])}
    best = int(np.argmax(p[:-1]))
    answers = [first_token(w) for w in ("yes", "Yes", "no", "No")]
    q = decoder.next_token_probabilities(
        llama, decoder.tokenize(prompter.render(verify_prompt(tools[best], request))), answers)
    p_yes = float((q[0] + q[1]) / q.sum()) if q.sum() > 0 else 0.0
    return RouteDecision(tool=names[best] if p_yes >= threshold else None,
                         probabilities=probabilities, p_yes=p_yes)
