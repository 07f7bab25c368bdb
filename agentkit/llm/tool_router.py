"""Deciding whether a reply should call a tool, and which one.

Small models are poor judges of this inside their normal chat turn: the default
0.5B model starts a JSON call for "What is 2+2?" when any tool is offered.  The
decision is therefore asked as a separate single-choice question -- the offered
tools plus "none", one letter -- read off the next-token probabilities in one
forward pass.  Its few-shot preamble never changes, so after the first call it
stays in the KV cache and costs nothing.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

__all__ = ["RouteDecision", "route_prompt", "route_tool"]

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


@dataclass(frozen=True, kw_only=True)
class RouteDecision:
    """The chosen tool (None: answer with text) and the probability of each option."""

    tool: str | None
    probabilities: dict[str, float]


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


def route_tool(option_probabilities: np.ndarray, tools: Sequence[dict[str, Any]], *,
               none_threshold: float) -> RouteDecision:
    """Turn the letters' probabilities into a decision: answer with text when
    P(none) >= ``none_threshold``, else call the most probable tool."""
    p = np.asarray(option_probabilities, dtype=np.float64)
    p = p / p.sum() if p.sum() > 0 else np.full(len(p), 1.0 / len(p))
    names = [t["function"]["name"] for t in tools]
    probabilities = {name: float(x) for name, x in zip(names, p[:-1])} | {"none": float(p[-1])}
    if p[-1] >= none_threshold:
        return RouteDecision(tool=None, probabilities=probabilities)
    return RouteDecision(tool=names[int(np.argmax(p[:-1]))], probabilities=probabilities)


def option_letters(n_tools: int) -> str:
    """The letters of ``n_tools`` tools plus the "none" option."""
    if n_tools + 1 > len(string.ascii_uppercase):
        raise ValueError("at most 25 tools can be offered in one call")
    return string.ascii_uppercase[: n_tools + 1]
