"""The checks an evaluation case can ask for, as small functions over what a run produced.

Each check is a ``Check``: ``problems(value)`` says what is wrong with the value a dataset
gives it (checked when the dataset loads, so a malformed check never runs), and
``run(value, facts)`` returns a ``Verdict`` (passed, and a reason a person can read) from
the run's ``RunFacts``.  ``CHECKS`` maps each name of the dataset format to its check.

Text comparisons (``mentions``) are case-insensitive; words match on word boundaries
(``four weeks`` is not in ``fourteen weeks``); an expected text that is a number compares
as a number (``14.74`` matches ``$14.74`` and ``14.740``, not ``114.74``); one starting
with ``re:`` is a regular expression (searched, case-insensitive).
"""

from __future__ import annotations

import json
import math
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    # checking
    "CHECKS",
    "Check",
    "RunFacts",
    "Verdict",
    "check_problems",
    "run_checks",
    # what the checks read from a run
    "answer_text",
    "cited_names",
    "lookup",
    "tools_called",
    "value_matches",
    # text matching
    "ABSTENTION_PHRASES",
    "abstains",
    "mentions",
    "numbers_in",
]

# An expected text that is a number ("27", "-3", "1,200", "14.74").
_NUMBER = re.compile(r"^[-+]?\d+(?:,\d{3})*(?:\.\d+)?$|^[-+]?\d*\.\d+$")
# A number in free text, not glued to a word before it or to another number (so "192.168.8.1",
# "2026-10-03" and "E1" yield nothing); thousands separators allowed ("1,200"); a unit written
# right after it is not part of it ("220ml", "11kg", "10am").
_NUMBER_IN_TEXT = re.compile(r"(?<![\w.,/:-])[-+]?\d+(?:,\d{3})*(?:\.\d+)?(?![\d_]|[.,/:-]\d)")
_REL_TOL = 1e-9

# What an answer says when the documents do not hold the answer (matched as phrases, on word
# boundaries, case-insensitive; a straight or curly apostrophe).
ABSTENTION_PHRASES = (
    "do not say", "does not say", "doesn't say", "don't say", "did not say",
    "no information", "not in the documents", "not in the passages", "not in the provided",
    "cannot find", "can't find", "could not find", "couldn't find", "unable to find",
    "not mentioned", "do not mention", "does not mention", "doesn't mention", "don't mention",
    "not stated", "do not state", "does not state", "not specified", "do not specify", "does not specify",
    "do not contain", "does not contain", "doesn't contain", "no mention", "i don't know", "i do not know",
)


@dataclass(frozen=True, kw_only=True)
class Verdict:
    """One check's result on one run."""

    check: str
    passed: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "passed": self.passed, "reason": self.reason}


@dataclass(kw_only=True)
class RunFacts:
    """What the checks look at: the answer text, the output and final state, the nodes that
    ran (in order, from the run's history) and the tools called during the run."""

    answer: str = ""
    output: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    nodes: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Check:
    """A check of the dataset format: what its value must be, and how it judges a run."""

    name: str
    expects: str  # what the value must be, for messages
    problems: Callable[[Any], list[str]]
    run: Callable[[Any, RunFacts], tuple[bool, str]]

    def __call__(self, value: Any, facts: RunFacts) -> Verdict:
        passed, reason = self.run(value, facts)
        return Verdict(check=self.name, passed=passed, reason=reason)


# -- text matching ------------------------------------------------------------------------


def numbers_in(text: str) -> list[float]:
    """The numbers written in ``text`` (``1,200`` is 1200; parts of dates, versions, addresses
    and codes such as ``E1`` are not numbers)."""
    return [float(m.group().replace(",", "")) for m in _NUMBER_IN_TEXT.finditer(text)]


def _close(a: float, b: float, tolerance: float = 0.0) -> bool:
    return abs(a - b) <= max(tolerance, _REL_TOL * max(1.0, abs(a), abs(b)))


def _phrase_pattern(phrase: str) -> str:
    """``phrase`` as a regex: its words separated by any whitespace, with a word boundary at each
    end that is a word character (so ``[1]`` is found in ``days[1]`` but ``four`` not in ``fourteen``)."""
    words = [re.escape(w) for w in phrase.replace("\u2019", "'").split()]
    body = r"\s+".join(words)
    start = r"(?<!\w)" if re.match(r"\w", phrase.strip()) else ""
    end = r"(?!\w)" if re.search(r"\w$", phrase.strip()) else ""
    return start + body + end


def mentions(text: str | None, expected: str) -> bool:
    """Whether ``text`` states ``expected``: a ``re:`` regular expression (searched), a number
    (compared as a number), or words (case-insensitive, on word boundaries)."""
    if not text:
        return False
    text = text.replace("\u2019", "'")
    if expected.startswith("re:"):
        return re.search(expected[3:], text, re.IGNORECASE) is not None
    stripped = expected.strip()
    if _NUMBER.match(stripped):
        value = float(stripped.replace(",", ""))
        return any(_close(n, value) for n in numbers_in(text))
    return re.search(_phrase_pattern(stripped), text, re.IGNORECASE) is not None


def abstains(answer: str) -> bool:
    """Whether ``answer`` says the documents do not hold the answer (one of ``ABSTENTION_PHRASES``)."""
    return any(mentions(answer, phrase) for phrase in ABSTENTION_PHRASES)


def _quoted(items: Iterable[Any]) -> str:
    return ", ".join(repr(i) for i in items)


# -- value shapes (checked when a dataset loads) --------------------------------------------


def _text_list(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        return ["must be a non-empty list of texts"]
    problems = [f"item {n} must be a non-empty text, not {json.dumps(v)}" for n, v in enumerate(value)
                if not isinstance(v, str) or not v.strip()]
    for n, v in enumerate(value):
        if isinstance(v, str) and v.startswith("re:"):
            problems += [f"item {n}: {p}" for p in _regex_problems(v[3:])]
    return problems


def _regex_problems(pattern: str) -> list[str]:
    try:
        re.compile(pattern)
    except re.error as exc:
        return [f"{pattern!r} is not a valid regular expression: {exc}"]
    return []


def _regex_value(value: Any) -> list[str]:
    if not isinstance(value, str) or not value:
        return ["must be a regular expression (a non-empty text)"]
    return _regex_problems(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _number_value(value: Any) -> list[str]:
    if not isinstance(value, dict):
        return ['must be an object like {"value": 5.1, "tolerance": 0.01, "unit": "litres"}']
    problems = [f"unknown key {k!r} (keys: value, tolerance, unit)" for k in value
                if k not in ("value", "tolerance", "unit")]
    if not _is_number(value.get("value")):
        problems.append("value must be a number")
    tolerance = value.get("tolerance", 0)
    if not _is_number(tolerance) or tolerance < 0:
        problems.append("tolerance must be a number >= 0 (absolute)")
    if "unit" in value and (not isinstance(value["unit"], str) or not value["unit"].strip()):
        problems.append("unit must be a non-empty text")
    return problems


def _json_value(value: Any) -> list[str]:
    if not isinstance(value, dict) or not value:
        return ['must be a non-empty object of dot paths and values, like {"receipt.total": 14.74}']
    return [f"path {k!r} must be dot-separated names, like receipt.total" for k in value
            if not isinstance(k, str) or not all(part.strip() for part in k.split("."))]


def _bool_value(value: Any) -> list[str]:
    return [] if isinstance(value, bool) else ["must be true or false"]


# -- the checks -----------------------------------------------------------------------------


def _contains(items: list[str], facts: RunFacts) -> tuple[bool, str]:
    missing = [i for i in items if not mentions(facts.answer, i)]
    if missing:
        return False, f"missing {_quoted(missing)}"
    return True, f"found {_quoted(items)}"


def _contains_any(items: list[str], facts: RunFacts) -> tuple[bool, str]:
    found = [i for i in items if mentions(facts.answer, i)]
    if found:
        return True, f"found {found[0]!r}"
    return False, f"none of {_quoted(items)}"


def _not_contains(items: list[str], facts: RunFacts) -> tuple[bool, str]:
    found = [i for i in items if mentions(facts.answer, i)]
    if found:
        return False, f"found {_quoted(found)}"
    return True, f"none of {_quoted(items)}"


def _regex(pattern: str, facts: RunFacts) -> tuple[bool, str]:
    match = re.search(pattern, facts.answer, re.IGNORECASE)
    if match is None:
        return False, f"no match for /{pattern}/"
    return True, f"matched {match.group()!r}"


def _number(spec: dict[str, Any], facts: RunFacts) -> tuple[bool, str]:
    value, tolerance, unit = float(spec["value"]), float(spec.get("tolerance", 0)), spec.get("unit")
    found = numbers_in(facts.answer)
    near = [n for n in found if _close(n, value, tolerance)]
    shown = ", ".join(f"{n:g}" for n in found) or "none"
    within = f" within {tolerance:g}" if tolerance else ""
    if not near:
        return False, f"no number{within} of {value:g} (numbers in the answer: {shown})"
    if unit and not mentions(facts.answer, unit):
        return False, f"found {near[0]:g} but not the unit {unit!r}"
    return True, f"found {near[0]:g}" + (f" {unit}" if unit else "")


_MISSING = object()


def lookup(values: Mapping[str, Any], path: str) -> Any:
    """The value at a dot path (``receipt.total``, ``items.0.price``), or ``_MISSING``."""
    current: Any = values
    for part in path.split("."):
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return _MISSING
    return current


def value_matches(expected: Any, actual: Any) -> bool:
    """A ``json`` check's comparison: numbers numerically (also a number written in a text),
    texts case-insensitively as substrings, anything else by equality."""
    if isinstance(expected, bool) or expected is None:
        return actual is expected
    if _is_number(expected):
        if _is_number(actual):
            return _close(float(actual), float(expected))
        return isinstance(actual, str) and any(_close(n, float(expected)) for n in numbers_in(actual))
    if isinstance(expected, str):
        if actual is None or isinstance(actual, (dict, list, bool)):
            return False
        return expected.casefold() in str(actual).casefold()
    return expected == actual


def _json(spec: dict[str, Any], facts: RunFacts) -> tuple[bool, str]:
    wrong = []
    for path, expected in spec.items():
        actual = lookup(facts.output, path)
        if actual is _MISSING:
            wrong.append(f"no {path} in the output")
        elif not value_matches(expected, actual):
            wrong.append(f"{path} is {json.dumps(actual, default=str)[:80]}, expected {json.dumps(expected)}")
    if wrong:
        return False, "; ".join(wrong)
    return True, f"{', '.join(spec)} as expected"


def _base(name: Any) -> str:
    return posixpath.basename(str(name).replace("\\", "/")).casefold()


def cited_names(sources: Any) -> list[str]:
    """The file names (base names) in an output ``sources`` list of ``{source, page}``."""
    if not isinstance(sources, list):
        return []
    return [str(item.get("source")) for item in sources if isinstance(item, Mapping) and item.get("source")]


def _sources(names: list[str], facts: RunFacts) -> tuple[bool, str]:
    cited = cited_names(facts.output.get("sources"))
    have = {_base(n) for n in cited}
    missing = [n for n in names if _base(n) not in have]
    shown = ", ".join(dict.fromkeys(posixpath.basename(c) for c in cited)) or "none"
    if missing:
        return False, f"not cited: {', '.join(missing)} (cited: {shown})"
    return True, f"cited {shown}"


def _ran(names: list[str], facts: RunFacts) -> tuple[bool, str]:
    missing = [n for n in names if n not in facts.nodes]
    route = " > ".join(dict.fromkeys(facts.nodes)) or "nothing"
    if missing:
        return False, f"did not run {', '.join(missing)} (ran {route})"
    return True, f"ran {', '.join(names)}"


def _not_ran(names: list[str], facts: RunFacts) -> tuple[bool, str]:
    ran = [n for n in names if n in facts.nodes]
    if ran:
        return False, f"ran {', '.join(ran)}"
    return True, f"did not run {', '.join(names)}"


def _tools(names: list[str], facts: RunFacts) -> tuple[bool, str]:
    missing = [n for n in names if n not in facts.tools]
    called = ", ".join(dict.fromkeys(facts.tools)) or "none"
    if missing:
        return False, f"not called: {', '.join(missing)} (called: {called})"
    return True, f"called {', '.join(names)}"


def _abstain(expected: bool, facts: RunFacts) -> tuple[bool, str]:
    if "supported" in facts.output and facts.output["supported"] is not None:
        abstained = facts.output["supported"] is False
        why = f"supported is {json.dumps(facts.output['supported'])}"
    else:
        said = abstains(facts.answer)
        cited = cited_names(facts.output.get("sources"))
        abstained = said and not cited
        why = ("the answer says the documents do not hold it" if said else "the answer states something") + \
              (f", citing {', '.join(cited)}" if cited else ", citing nothing")
    if abstained == expected:
        return True, why
    return False, why + (" (should abstain)" if expected else " (should answer)")


CHECKS: dict[str, Check] = {check.name: check for check in (
    Check(name="contains", expects="a list of texts, each must appear", problems=_text_list, run=_contains),
    Check(name="contains_any", expects="a list of texts, one must appear", problems=_text_list, run=_contains_any),
    Check(name="not_contains", expects="a list of texts, none may appear", problems=_text_list, run=_not_contains),
    Check(name="regex", expects="a regular expression the answer must match", problems=_regex_value, run=_regex),
    Check(name="number", expects='{"value": N, "tolerance": T, "unit": "word"}', problems=_number_value,
          run=_number),
    Check(name="json", expects='{"dot.path": value, ...} into the output', problems=_json_value, run=_json),
    Check(name="sources", expects="a list of file names the answer must cite", problems=_text_list, run=_sources),
    Check(name="ran", expects="a list of nodes that must run", problems=_text_list, run=_ran),
    Check(name="not_ran", expects="a list of nodes that must not run", problems=_text_list, run=_not_ran),
    Check(name="tools", expects="a list of tools that must be called", problems=_text_list, run=_tools),
    Check(name="abstain", expects="true (must say the documents do not hold it) or false", problems=_bool_value,
          run=_abstain),
)}


def run_checks(checks: Mapping[str, Any], facts: RunFacts) -> list[Verdict]:
    """Every check of a case on one run's facts, in the case's order."""
    return [CHECKS[name](value, facts) for name, value in checks.items()]


def check_problems(checks: Any) -> list[str]:
    """What is wrong with a case's ``checks`` object (unknown names list the valid ones)."""
    if not isinstance(checks, dict) or not checks:
        return [f"checks must be a non-empty object of checks ({', '.join(CHECKS)})"]
    problems = []
    for name, value in checks.items():
        check = CHECKS.get(name)
        if check is None:
            problems.append(f"checks.{name}: unknown check; valid checks: {', '.join(CHECKS)}")
            continue
        problems += [f"checks.{name}: {p} ({check.expects})" for p in check.problems(value)]
    return problems


def answer_text(value: Any) -> str:
    """An output value as the text the checks read (``None`` is empty; data is JSON)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def tools_called(llm_outputs: Sequence[Mapping[str, Any]], values: Mapping[str, Any],
                 executed: Sequence[str] = ()) -> list[str]:
    """The tools a run called: those it ran (``executed``, the run's recorded tool calls), those
    its recorded LLM replies called (``message_record`` form: ``{"type": "ai", "data": {...}}``),
    then any state value that is a list of steps (``[{"tool": ...}]``, as ``plan_execute`` writes)."""
    names = [str(name) for name in executed if name]
    for output in llm_outputs:
        reply = output.get("data", output) if isinstance(output.get("data"), Mapping) else output
        names += [str(call.get("name")) for call in reply.get("tool_calls") or []
                  if isinstance(call, Mapping) and call.get("name")]
    for value in values.values():
        if isinstance(value, list):
            names += [str(item["tool"]) for item in value if isinstance(item, Mapping) and isinstance(
                item.get("tool"), str) and item["tool"]]
    return names
