"""Deciding whether a reply should call a tool, and which one (``tool_choice="auto"``).

Small models are poor judges of this inside their normal chat turn: the default
0.5B model starts a JSON call for "What is 2+2?" when any tool is offered.  The
decision is therefore one yes/no question per offered tool -- "would calling this
function do what the user asks?" -- each read off the next-token probabilities of
one forward pass.  The tool with the highest P(yes) is called when that P(yes)
reaches the model's threshold (``ModelCard.tool_call_threshold``, chosen per
model on the DEV cases); otherwise the reply is text.  The few-shot turns before
the question never change, so they stay in the KV cache, and they are on tools
that appear nowhere else.  With ``near_misses`` (``ModelCard.near_miss_examples``)
half of their "no"s are near misses, a related function that computes or does
something else (a square's area for a hexagon, a length converter for kilograms,
a booking function for a cancellation).  Two more per-model options: with
``calibrate`` (``ModelCard.calibrated_routing``) each tool's P(yes) is read
relative to its P(yes) for the content-free request "N/A" (the tool's own bias
towards "yes", asked once per tool and kept), and with ``parameters``
(``ModelCard.tool_parameters``) the question lists the tool's parameters and asks
whether the request can be done with arguments taken from it.

A model may hand the whole decision to a stronger one (``ModelCard.tool_router``, or
``ChatLlamaCpp(tool_router=...)``): the default 0.5B model is routed by the 1.5B model's gate
with the 1.5B's own settings, because on a public benchmark's kind of near miss -- a function
from the request's domain that computes something else, whose parameters the request may even
supply (body-mass index for a triangle's base and height) -- the 0.5B said yes to most of them.
The 0.5B still writes the call's arguments.  Chosen on DEV (75/87 right calls, 51/57 right
no-calls, near misses 28/29); on HELDOUT2, BFCL-style and run once, 37/40 and 33/40 against
29/40 and 29/40 on the 0.5B's own gate (benchmarks/bench_tool_calling.py).

Measured on the DEV cases of benchmarks/tool_calling_cases.py (87 tool + 57
no-tool cases; benchmarks/tune_tool_router.py and per-tool P(yes) runs):
- the earlier design -- a letter question over the tools plus "none", then one
  yes/no question about the lettered tool -- picked the right tool on 64 of 87
  with the 0.5B and its calls were right on at most 59 (0.68); asking every tool
  picked it on 80.  At threshold 0.57 the old design made 0.62 right calls and
  0.79 right no-calls; asking every tool (plain examples) 0.70 and 0.82;
- with the near-miss examples the 0.5B's P(yes) fell everywhere: best balance
  0.64 right calls / 0.86 right no-calls (threshold 0.42), near misses 24/29 vs
  21/29, so the 0.5B keeps the plain examples;
- the 1.5B with the near-miss examples separated cleanly: see its ModelCard;
- 2026-11-30, benchmarks/explore_tool_router.py (every design on every DEV case in
  one pass; right calls there are upper bounds, the right tool picked and called,
  arguments unchecked -- about 4 of 87 have wrong arguments): for the 0.5B,
  calibration moved the whole trade-off: at 47/57 right no-calls, 71/87 right
  tools called (threshold 0.71) against 65/87 uncalibrated (0.57); at 48/57,
  66 against 62.  Listing the parameters alone did worse (best balance 63/87 with
  42/57), and so did it calibrated; averaging the calibrated log-odds of both
  questions gained a little more (68/87 with 49/57 at 0.70) for twice the forward
  passes.  No design reached 0.80 on both rates even as that upper bound.  The
  0.5B keeps the plain question at 0.57, the setting measured on EVAL (0.824 right
  calls, 0.803 right no-calls); calibration is there for a model that needs it
  once it has been measured on EVAL.
"""

from __future__ import annotations

import json
import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage, ToolMessage

from agentkit.llm.decoding import Decoder
from agentkit.llm.prompt import ChatPrompter, message_text

__all__ = [
    "DEFAULT_TOOL_CALL_THRESHOLD",
    "RouteDecision",
    "latest_request",
    "request_with_results",
    "route",
    "verify_prompt",
]

DEFAULT_TOOL_CALL_THRESHOLD = 0.5  # models without a measured setting (a .gguf path)

# Worked examples on tools that appear nowhere else (so they bias no real tool):
# (signature, description, request, answer).
_PLAIN_SYSTEM = "You are a precise classifier."
_PLAIN_EXAMPLES: tuple[tuple[str, str, str, str], ...] = (
    ("get_time(city)", "Get the current local time in a city.", "what time is it in Tokyo right now?", "yes"),
    ("search_recipes(ingredient)", "Find recipes that use an ingredient.", "Who painted the Mona Lisa?", "no"),
    ("create_reminder(text, date)", "Create a reminder.", "remind me to call mom on 2025-03-02", "yes"),
    ("send_sms(phone, text)", "Send a text message.", "Write a short poem about the sea.", "no"),
    ("set_alarm(time)", "Set an alarm.", "How many minutes are in a day?", "no"),
    ("search_recipes(ingredient)", "Find recipes that use an ingredient.",
     "any ideas for dinner with eggplant?", "yes"),
)
# The same kind of turns, half of whose "no"s are near misses: related, but computes or does something else.
_NEAR_MISS_SYSTEM = ("You are a precise classifier. A function that is only related to the request, but computes "
                     "or does something else, is a no.")
_NEAR_MISS_EXAMPLES: tuple[tuple[str, str, str, str], ...] = (
    ("get_time(city)", "Get the current local time in a city.", "what time is it in Tokyo right now?", "yes"),
    ("calculate_square_area(side)", "Calculate the area of a square from its side length.",
     "What is the area of a hexagon with sides of 2 cm?", "no"),
    ("search_recipes(ingredient)", "Find recipes that use an ingredient.", "Who painted the Mona Lisa?", "no"),
    ("convert_length(value, from_unit, to_unit)", "Convert a length between units such as meters, feet and miles.",
     "How many pounds is 30 kilograms?", "no"),
    ("create_reminder(text, date)", "Create a reminder.", "remind me to call mom on 2025-03-02", "yes"),
    ("book_train(origin, destination, date)", "Book a train ticket between two cities.",
     "Cancel my train ticket to Leeds.", "no"),
    ("get_river_length(river)", "Get the length of a river in kilometers.", "How long is the Danube?", "yes"),
    ("calculate_pension(age, salary)", "Estimate a yearly pension from age and salary.",
     "What's the area of a circle with radius 2?", "no"),
    ("send_sms(phone, text)", "Send a text message.", "Write a short poem about the sea.", "no"),
    ("get_river_length(river)", "Get the length of a river in kilometers.", "How deep is the Nile?", "no"),
    ("set_alarm(time)", "Set an alarm.", "wake me at 6:30 tomorrow", "yes"),
)

# The worked examples' parameters, for questions that list them (``parameters=True``).
def _strings(**descriptions: str) -> dict[str, dict[str, str]]:
    return {name: {"type": "string", "description": text} for name, text in descriptions.items()}


_EXAMPLE_PARAMETERS: dict[str, dict[str, dict[str, str]]] = {
    "get_time(city)": _strings(city="City name."),
    "search_recipes(ingredient)": _strings(ingredient="The main ingredient."),
    "create_reminder(text, date)": _strings(text="What to be reminded of.", date="Date, YYYY-MM-DD."),
    "send_sms(phone, text)": _strings(phone="Phone number.", text="The message."),
    "set_alarm(time)": _strings(time="Time, HH:MM."),
    "calculate_square_area(side)": {"side": {"type": "number", "description": "Side length."}},
    "convert_length(value, from_unit, to_unit)": {"value": {"type": "number", "description": "The length."},
                                                  **_strings(from_unit="Unit to convert from.",
                                                             to_unit="Unit to convert to.")},
    "book_train(origin, destination, date)": _strings(origin="From city.", destination="To city.",
                                                      date="YYYY-MM-DD."),
    "get_river_length(river)": _strings(river="River name."),
    "calculate_pension(age, salary)": {"age": {"type": "integer", "description": "Age in years."},
                                       "salary": {"type": "number", "description": "Yearly salary."}},
}


def _example_parameters(signature: str) -> dict[str, Any]:
    return _EXAMPLE_PARAMETERS[signature]


_RESULTS = "\nResults already obtained:\n"


@dataclass(frozen=True, kw_only=True)
class RouteDecision:
    """The chosen tool (None: answer with text), P(yes) of every offered tool, and
    P(yes) of the most likely one."""

    tool: str | None
    probabilities: dict[str, float]
    p_yes: float


def request_with_results(request: str, results: Sequence[str]) -> str:
    """The routing text of a request followed by the tool results obtained since."""
    return request + (_RESULTS + "\n".join(results) if results else "")


def latest_request(messages: Sequence[BaseMessage]) -> str:
    """The last human message, followed by the tool results that came after it."""
    request, results = "", []
    for message in messages:
        if isinstance(message, HumanMessage):
            request, results = message_text(message.content), []
        elif isinstance(message, ToolMessage):
            results.append(f"{message.name or 'tool'} returned: {message_text(message.content)[:300]}")
    return request_with_results(request, results)


def _signature(tool: dict[str, Any]) -> tuple[str, str]:
    function = tool["function"]
    params = ", ".join((function.get("parameters") or {}).get("properties", {}))
    description = " ".join(str(function.get("description", "")).split())[:200]
    return f"{function['name']}({params})", description


def _parameter_lines(properties: dict[str, Any]) -> str:
    """One line per parameter: name, JSON type (and allowed values), description."""
    lines = []
    for name, prop in properties.items():
        prop = prop if isinstance(prop, dict) else {}
        kind = str(prop.get("type", "any"))
        if isinstance(prop.get("enum"), list):
            kind += ", one of " + "|".join(map(str, prop["enum"]))[:120]
        lines.append(f"- {name} ({kind}): {' '.join(str(prop.get('description', '')).split())[:120]}")
    return "\n".join(lines) or "- (none)"


def _question(signature: str, description: str, request: str, parameters: dict[str, Any] | None = None) -> str:
    """The yes/no question on one function; with ``parameters`` (a JSON-schema ``properties``
    object) it lists them and asks whether the request can be expressed in them."""
    if parameters is not None:
        question = ("Is calling this function, with arguments taken from the request, still needed to do what "
                    "the user asks?" if _RESULTS in request else
                    "Can calling this function, with arguments taken from the request, do what the user asks?")
        return (f"Function: {signature.split('(')[0]}\nDescription: {description}\nParameters:\n"
                f"{_parameter_lines(parameters)}\n\nUser request: {request}\n\n{question} Answer yes or no.")
    question = ("Is calling this function still needed to do what the user asks?"
                if _RESULTS in request else "Would calling this function do what the user asks?")
    return (f"Function: {signature}\nDescription: {description}\n\nUser request: {request}\n\n"
            f"{question} Answer yes or no.")


def verify_prompt(tool: dict[str, Any], request: str, *, near_misses: bool = True,
                  parameters: bool = False) -> list[dict[str, str]]:
    """The yes/no conversation (template messages): would calling ``tool`` do what ``request`` asks?
    ``near_misses``: few-shot turns that include related functions that cannot do it.
    ``parameters``: the question lists the function's parameters (type, allowed values,
    description) and asks whether the request can be done with arguments taken from it."""
    system, examples = ((_NEAR_MISS_SYSTEM, _NEAR_MISS_EXAMPLES) if near_misses
                        else (_PLAIN_SYSTEM, _PLAIN_EXAMPLES))
    messages = [{"role": "system", "content": system}]
    for signature, description, example, answer in examples:
        shown = _example_parameters(signature) if parameters else None
        messages.append({"role": "user", "content": _question(signature, description, example, shown)})
        messages.append({"role": "assistant", "content": answer})
    signature, description = _signature(tool)
    properties = (tool["function"].get("parameters") or {}).get("properties", {}) if parameters else None
    messages.append({"role": "user", "content": _question(signature, description, request, properties)})
    return messages


# P(yes) of each tool for the content-free request, per (model, question design, tool):
# ``calibrate=True`` divides it out.  Bounded; computed once per tool a process offers.
_NULL_REQUEST = "N/A"
_NULL_P_YES: OrderedDict[tuple[str, bool, bool, str], float] = OrderedDict()
_NULL_P_YES_MAX = 1024


def _calibrated(p_yes: float, p_null: float) -> float:
    """P(yes) with the tool's own bias removed: the log-odds of ``p_yes`` minus those of the
    content-free request's, back on the 0..1 scale (0.5: no more likely than for "N/A")."""
    def log_odds(p: float) -> float:
        p = min(max(p, 1e-6), 1 - 1e-6)
        return math.log(p / (1 - p))

    return 1.0 / (1.0 + math.exp(-(log_odds(p_yes) - log_odds(p_null))))


def route(decoder: Decoder, llama: Any, prompter: ChatPrompter, messages: Sequence[BaseMessage],
          tools: Sequence[dict[str, Any]], *, threshold: float, near_misses: bool = True, parameters: bool = False,
          calibrate: bool = False) -> RouteDecision:
    """Ask the yes/no question of every tool; call the likeliest if its P(yes) >= ``threshold``.
    ``parameters``: the question lists the tool's parameters (``verify_prompt``); ``calibrate``:
    each tool's P(yes) is taken relative to its P(yes) for the content-free request "N/A"."""
    request = latest_request(messages)

    def first_token(text: str) -> int:
        return llama.tokenize(text.encode(), add_bos=False, special=False)[0]

    answers = [first_token(w) for w in ("yes", "Yes", "no", "No")]

    def p_yes(tool: dict[str, Any], text: str) -> float:
        prompt = decoder.tokenize(prompter.render(verify_prompt(tool, text, near_misses=near_misses,
                                                                parameters=parameters)))
        q = decoder.next_token_probabilities(llama, prompt, answers)
        return float((q[0] + q[1]) / q.sum()) if q.sum() > 0 else 0.0

    probabilities: dict[str, float] = {}
    for tool in tools:
        p = p_yes(tool, request)
        if calibrate:
            key = (str(getattr(llama, "model_path", id(llama))), near_misses, parameters,
                   json.dumps(tool["function"], sort_keys=True, default=str))
            if key not in _NULL_P_YES:
                _NULL_P_YES[key] = p_yes(tool, _NULL_REQUEST)
                while len(_NULL_P_YES) > _NULL_P_YES_MAX:
                    _NULL_P_YES.popitem(last=False)
            p = _calibrated(p, _NULL_P_YES[key])
        probabilities[tool["function"]["name"]] = p
    best = max(probabilities, key=probabilities.__getitem__)
    p_yes = probabilities[best]
    return RouteDecision(tool=best if p_yes >= threshold else None, probabilities=probabilities, p_yes=p_yes)
