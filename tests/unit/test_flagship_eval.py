"""The flagship evaluation set and its checker, and the pure helpers of the flagship latency
benchmark's hand-written pipeline (no model is loaded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentkit.nodes.cite import cited_sources
from agentkit.templates import prompt_text
from benchmarks._common import REPO_ROOT
from benchmarks.bench_flagship import cited, format_passages
from benchmarks.eval_flagship import ROUTES, check, load_questions, route_taken


@pytest.mark.parametrize(("answer", "expect"), [
    ("The total was $14.74.", ["14.74"]),
    ("Total: 14.740", ["14.74"]),
    ("They hold 5.1 litres altogether.", ["5.1"]),
    ("It is 5.10 l", ["5.1"]),
    ("Employees get 27 days [1].", ["27"]),
    ("a budget of 1,200 euros", ["1200"]),
    ("Descale it every FOUR weeks.", ["four weeks", "4 weeks"]),
    ("every four\nweeks", ["four weeks"]),
    ("Open 192.168.8.1 in a browser.", ["192.168.8.1"]),
    ("The shop is Harrowgate Hardware.", ["Harrowgate Hardware"]),
    ("Built in 1462.", ["re:\\b14\\d2\\b"]),
    ("three years of warranty", ["3", "three"]),
])
def test_check_accepts_the_fact_in_any_surface_form(answer: str, expect: list[str]) -> None:
    assert check(answer, expect)


@pytest.mark.parametrize(("answer", "expect"), [
    ("The total was 114.74.", ["14.74"]),  # the right digits inside a wrong number
    ("The total was 14.7.", ["14.74"]),
    ("The total was 14.745.", ["14.74"]),
    ("2026-10-03", ["10"]),  # part of a date is not the number 10
    ("It holds 15.1 litres.", ["5.1"]),
    ("It costs 5 euros.", ["5.1"]),
    ("Employees get 270 days.", ["27"]),
    ("Open 192.168.8.10 in a browser.", ["192.168.8.1"]),
    ("every fourteen weeks", ["four weeks"]),
    ("it is threefold", ["three"]),
    ("The documents do not say.", ["27"]),
    ("", ["27"]),
    (None, ["27"]),
])
def test_check_refuses_a_wrong_or_missing_fact(answer: str | None, expect: list[str]) -> None:
    assert not check(answer, expect)


def test_route_taken_names_the_specialist_that_ran() -> None:
    assert route_taken(["recall", "triage", "text_kind", "documents", "remember"], "x") == "documents"
    assert route_taken(["recall", "triage", "picture_kind", "receipt", "answer_receipt"], "x") == "receipt"
    assert route_taken(["recall", "triage"], "an earlier answer") == "remembered"
    assert route_taken(["recall", "triage"], None) == "none"


def test_the_eval_set_is_well_formed() -> None:
    questions = load_questions()
    assert len(questions) >= 14
    assert len({q.id for q in questions}) == len(questions)
    counts = {route: sum(q.route == route for q in questions) for route in ROUTES}
    assert counts["documents"] >= 8 and 2 <= counts["receipt"] <= 3 and counts["research"] >= 2
    assert counts["story"] == 0  # a story has no fact to check
    for q in questions:
        assert q.route in ROUTES, q.id
        assert q.question.strip() and q.question.strip().endswith("?"), q.id
        assert q.expect and all(isinstance(e, str) and e.strip() for e in q.expect), q.id
        if q.route == "receipt":
            assert q.image and (Path(REPO_ROOT) / q.image).is_file(), q.id
        else:
            assert q.image is None, q.id


def test_hand_written_passages_read_as_agentkit_prompt_text() -> None:
    passages = [
        {"text": "Descale every four weeks.", "source": "docs/kettle-k200-manual.md", "page": None, "score": 0.8},
        {"text": "Page two text.", "source": "manual.pdf", "page": 2, "chunk": 3},
        {"text": "No source at all.", "source": None, "page": None},
        {"text": "Page without source.", "page": 1},
    ]
    assert format_passages(passages) == prompt_text(passages)
    assert format_passages(passages[:1]) == prompt_text(passages[:1])


@pytest.mark.parametrize("answer", ["It is 27 days [1].", "See [2, 1] and [3].", "No citation.", "[9] only",
                                    "[1;3]"])
def test_hand_written_citations_match_agentkit_cite(answer: str) -> None:
    passages = [{"text": "a", "source": "docs/a.md", "page": None}, {"text": "b", "source": "docs/b.md", "page": None},
                {"text": "c", "source": "docs/a.md", "page": None}]
    assert cited(passages, answer) == cited_sources(passages, answer)
