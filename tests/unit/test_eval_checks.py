"""Every check of the evaluation dataset format, on answers that must pass and answers that must fail,
and the checking of each check's value when a dataset loads."""

from __future__ import annotations

from typing import Any

import pytest

from agentkit.evaluation import CHECKS, RunFacts, abstains, mentions, numbers_in, run_checks
from agentkit.evaluation.checks import check_problems, tools_called


def verdict(name: str, value: Any, answer: str = "", **facts: Any):
    return CHECKS[name](value, RunFacts(answer=answer, **facts))


# -- text matching (what contains / contains_any / not_contains use) ---------------------------


@pytest.mark.parametrize(("answer", "expected"), [
    ("The total was $14.74.", "14.74"),
    ("Total: 14.740", "14.74"),
    ("They hold 5.1 litres altogether.", "5.1"),
    ("Employees get 27 days [1].", "27"),
    ("a budget of 1,200 euros", "1200"),
    ("a budget of 1200 euros", "1,200"),
    ("It fell by -3 degrees", "-3"),
    ("Descale it every FOUR weeks.", "four weeks"),
    ("every four\nweeks", "four weeks"),
    ("Open 192.168.8.1 in a browser.", "192.168.8.1"),
    ("The shop is Harrowgate Hardware.", "harrowgate hardware"),
    ("Built in 1462.", "re:\\b14\\d2\\b"),
    ("It lasts 27 days[1].", "[1]"),  # a phrase that starts with a non-word character needs no boundary
    ("It doesn\u2019t say.", "doesn't say"),  # a curly apostrophe is an apostrophe
])
def test_mentions_finds_the_fact_in_any_surface_form(answer: str, expected: str) -> None:
    assert mentions(answer, expected)


@pytest.mark.parametrize(("answer", "expected"), [
    ("The total was 114.74.", "14.74"),  # the right digits inside a wrong number
    ("The total was 14.7.", "14.74"),
    ("The total was 14.745.", "14.74"),
    ("2026-10-03", "10"),  # part of a date is not the number 10
    ("It holds 15.1 litres.", "5.1"),
    ("Employees get 270 days.", "27"),
    ("Open 192.168.8.10 in a browser.", "192.168.8.1"),
    ("every fourteen weeks", "four weeks"),
    ("it is threefold", "three"),
    ("code E1", "1"),
    ("The documents do not say.", "27"),
    ("", "27"),
    (None, "27"),
    ("See [12].", "[1]"),
])
def test_mentions_refuses_a_wrong_or_missing_fact(answer: str | None, expected: str) -> None:
    assert not mentions(answer, expected)


def test_numbers_in_reads_numbers_not_dates_versions_or_codes() -> None:
    assert numbers_in("3 kettles of 1.7 litres cost $1,200.50 on 2026-10-03 (v1.2.3, E1)") == [3.0, 1.7, 1200.5]
    # a unit glued to the number does not hide it
    assert numbers_in("Fill 220ml of water; it weighs 11kg; open at 10am") == [220.0, 11.0, 10.0]


# -- contains, contains_any, not_contains, regex ------------------------------------------------


def test_contains_needs_every_item_and_names_the_missing_ones() -> None:
    assert verdict("contains", ["27", "days"], "You get 27 days.").passed
    failed = verdict("contains", ["27", "paid"], "You get 27 days.")
    assert not failed.passed and failed.reason == "missing 'paid'"


def test_contains_any_needs_one_item() -> None:
    assert verdict("contains_any", ["two years", "24 months"], "It has a 24 months warranty.").passed
    failed = verdict("contains_any", ["two years", "24 months"], "It has a 12 months warranty.")
    assert not failed.passed and "none of" in failed.reason


def test_not_contains_fails_on_any_item_found() -> None:
    assert verdict("not_contains", ["[1]", "1.5 litres"], "It holds 1.7 litres.").passed
    failed = verdict("not_contains", ["[1]", "1.5 litres"], "It holds 1.7 litres [1].")
    assert not failed.passed and failed.reason == "found '[1]'"


def test_regex_searches_case_insensitively() -> None:
    assert verdict("regex", r"\bHARROWGATE\b", "Bought at Harrowgate Hardware").passed
    failed = verdict("regex", r"^\d+ days$", "27 days, more or less")
    assert not failed.passed and "no match" in failed.reason


# -- number ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "value", "passes"), [
    ("Three kettles hold 5.1 litres.", {"value": 5.1, "unit": "litres"}, True),
    ("Three kettles hold 5.10 litres.", {"value": 5.1, "unit": "litres"}, True),
    ("Three kettles hold 5.12 litres.", {"value": 5.1, "tolerance": 0.05, "unit": "litres"}, True),
    ("Three kettles hold 5.2 litres.", {"value": 5.1, "tolerance": 0.05, "unit": "litres"}, False),
    ("Three kettles hold 15.1 litres.", {"value": 5.1, "unit": "litres"}, False),
    ("Three kettles hold 5.1 l.", {"value": 5.1, "unit": "litres"}, False),  # the unit word must appear
    ("It cost $14.74.", {"value": 14.74}, True),
    ("It cost $114.74.", {"value": 14.74}, False),
    ("No number here.", {"value": 0}, False),
])
def test_number_compares_numbers_within_the_tolerance_and_wants_the_unit(answer: str, value: dict[str, Any],
                                                                         passes: bool) -> None:
    assert verdict("number", value, answer).passed is passes


def test_number_reasons_say_what_was_found() -> None:
    assert "numbers in the answer: 15.1" in verdict("number", {"value": 5.1}, "15.1 litres").reason
    assert "not the unit 'litres'" in verdict("number", {"value": 5.1, "unit": "litres"}, "5.1 l").reason


# -- json -----------------------------------------------------------------------------------------


RECEIPT = {"receipt": {"total": 14.74, "vendor": "Harrowgate Hardware", "paid": True, "lines": [{"price": "3.25"}],
                       "currency": None}}


def test_json_follows_dot_paths_and_compares_numbers_and_text_leniently() -> None:
    ok = verdict("json", {"receipt.total": 14.74, "receipt.vendor": "HARROWGATE", "receipt.paid": True,
                          "receipt.lines.0.price": 3.25, "receipt.currency": None}, output=RECEIPT)
    assert ok.passed, ok.reason


@pytest.mark.parametrize(("expected", "reason"), [
    ({"receipt.total": 114.74}, "receipt.total is 14.74, expected 114.74"),
    ({"receipt.total": "15"}, "receipt.total is 14.74"),
    ({"receipt.vendor": "Leeds Hardware"}, "receipt.vendor is"),
    ({"receipt.paid": 1}, "receipt.paid is true"),  # a number is not a boolean
    ({"receipt.date": "2026"}, "no receipt.date in the output"),
    ({"receipt.lines.3.price": 1}, "no receipt.lines.3.price"),
])
def test_json_fails_on_a_wrong_or_missing_value(expected: dict[str, Any], reason: str) -> None:
    failed = verdict("json", expected, output=RECEIPT)
    assert not failed.passed and reason in failed.reason


# -- sources, ran, not_ran, tools ---------------------------------------------------------------------


SOURCES = {"sources": [{"source": "docs/warranty-policy.md", "page": None}, {"source": "manual.pdf", "page": 2}]}


def test_sources_compare_base_names() -> None:
    assert verdict("sources", ["warranty-policy.md", "Manual.pdf"], output=SOURCES).passed
    failed = verdict("sources", ["warranty-policy.md", "policy.md"], output=SOURCES)
    assert not failed.passed and "not cited: policy.md" in failed.reason and "warranty-policy.md" in failed.reason
    assert not verdict("sources", ["manual.pdf"], output={}).passed


def test_ran_and_not_ran_read_the_node_history() -> None:
    nodes = ["recall", "triage", "text_kind", "documents", "remember"]
    assert verdict("ran", ["documents", "remember"], nodes=nodes).passed
    failed = verdict("ran", ["research"], nodes=nodes)
    assert not failed.passed and "did not run research" in failed.reason and "text_kind > documents" in failed.reason
    assert verdict("not_ran", ["research"], nodes=nodes).passed
    assert not verdict("not_ran", ["research", "triage"], nodes=nodes).passed


def test_tools_come_from_recorded_tool_calls_and_from_steps() -> None:
    from langchain_core.messages import AIMessage

    from agentkit.runtime.recording import message_record

    # replies as the run store records them (message_record), not a hand-made shape
    llm_outputs = [message_record(AIMessage("", tool_calls=[{"name": "search_memory", "args": {}, "id": "1"}])),
                   message_record(AIMessage("done"))]
    values = {"steps": [{"step": 1, "tool": "calculator", "result": "5.1"}], "answer": "5.1", "other": [1, 2]}
    called = tools_called(llm_outputs, values)
    assert called == ["search_memory", "calculator"]
    # the tools the run executed (its recorded tool calls) come first
    assert tools_called([], {}, ["ocr"]) == ["ocr"]
    assert verdict("tools", ["calculator", "search_memory"], tools=called).passed
    failed = verdict("tools", ["ocr"], tools=called)
    assert not failed.passed and "not called: ocr (called: search_memory, calculator)" in failed.reason


# -- abstain ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("expected", "answer", "output", "passes"), [
    (True, "The documents do not say.", {"sources": []}, True),
    (True, "I cannot find that in the documents.", {}, True),
    (True, "The documents do not say, but see [1].", {"sources": [{"source": "a.md"}]}, False),  # cites a source
    (True, "Employees get 27 days.", {"sources": []}, False),
    (False, "Employees get 27 days [1].", {"sources": [{"source": "a.md"}]}, True),
    (False, "The documents do not say.", {"sources": []}, False),
    (True, "Employees get 27 days.", {"supported": False}, True),  # the graph's own verdict wins
    (True, "The documents do not say.", {"supported": True}, False),
    (False, "Anything.", {"supported": True}, True),
])
def test_abstain_reads_supported_or_else_the_phrases_and_sources(expected: bool, answer: str,
                                                                 output: dict[str, Any], passes: bool) -> None:
    assert verdict("abstain", expected, answer, output=output).passed is passes


def test_abstention_phrases_are_phrases_not_substrings() -> None:
    assert abstains("The handbook does not mention it.")
    assert not abstains("The kettle is unable to findings")  # "unable to find" must end on a word boundary


# -- several checks, and their values ----------------------------------------------------------------


def test_run_checks_gives_a_verdict_per_check_in_order() -> None:
    facts = RunFacts(answer="27 days [1]", output={"sources": [{"source": "docs/handbook.md"}]}, nodes=["documents"])
    verdicts = run_checks({"contains": ["27"], "sources": ["handbook.md"], "ran": ["research"]}, facts)
    assert [(v.check, v.passed) for v in verdicts] == [("contains", True), ("sources", True), ("ran", False)]


@pytest.mark.parametrize(("checks", "problem"), [
    ({"contians": ["x"]}, "checks.contians: unknown check; valid checks: contains, contains_any, not_contains, "
                          "regex, number, json, sources, ran, not_ran, tools, abstain"),
    ({}, "checks must be a non-empty object"),
    ([], "checks must be a non-empty object"),
    ({"contains": "27"}, "checks.contains: must be a non-empty list of texts"),
    ({"contains_any": ["27", ""]}, "item 1 must be a non-empty text"),
    ({"contains": ["re:(unclosed"]}, "is not a valid regular expression"),
    ({"regex": "[a-"}, "is not a valid regular expression"),
    ({"number": 5.1}, 'must be an object like {"value"'),
    ({"number": {"value": "5.1"}}, "value must be a number"),
    ({"number": {"value": 5.1, "tolerance": -1}}, "tolerance must be a number >= 0"),
    ({"number": {"value": 5.1, "units": "l"}}, "unknown key 'units'"),
    ({"json": {"receipt..total": 1}}, "must be dot-separated names"),
    ({"json": []}, "must be a non-empty object of dot paths"),
    ({"abstain": "yes"}, "checks.abstain: must be true or false"),
    ({"ran": [3]}, "item 0 must be a non-empty text"),
])
def test_malformed_check_values_are_named_with_what_is_expected(checks: Any, problem: str) -> None:
    problems = check_problems(checks)
    assert any(problem in p for p in problems), problems


def test_every_check_of_the_format_is_implemented_and_documented() -> None:
    from pathlib import Path

    import agentkit.evaluation

    documented = ["contains", "contains_any", "not_contains", "regex", "number", "json", "sources", "ran",
                  "not_ran", "tools", "abstain"]
    assert list(CHECKS) == documented
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for name in documented:
        assert f"``{name}``" in (agentkit.evaluation.__doc__ or ""), name
        assert f"`{name}`" in readme, name
