"""The flagship evaluation set (benchmarks/data/flagship.jsonl, in agentkit's evaluation format),
and the pure helpers of the flagship latency benchmark's hand-written pipeline (no model is loaded).
The checks themselves are tested in test_eval_checks.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentkit.nodes.cite import cited_sources
from agentkit.templates import prompt_text
from benchmarks._common import REPO_ROOT
from benchmarks.bench_flagship import HAND_HUMAN, HAND_SYSTEM, cited, format_passages
from benchmarks.eval_flagship import DATA, ROUTES, load_questions, route_taken


def test_route_taken_names_the_specialist_that_ran() -> None:
    assert route_taken(["recall", "triage", "text_kind", "documents", "remember"], "x") == "documents"
    assert route_taken(["recall", "triage", "picture_kind", "receipt", "answer_receipt"], "x") == "receipt"
    assert route_taken(["recall", "triage"], "an earlier answer") == "remembered"
    assert route_taken(["recall", "triage"], None) == "none"


def test_the_eval_set_is_well_formed() -> None:
    from agentkit.evaluation import graph_problems, load_dataset
    from agentkit.spec import load_spec

    dataset = load_dataset(DATA)  # refuses a malformed line, an unknown check, a missing file
    assert dataset.setup.ingest == (Path(REPO_ROOT) / "examples" / "data" / "docs",)
    assert graph_problems(load_spec("assistant"), dataset.cases) == []
    questions = load_questions()
    ids = [q.id for q in questions]
    assert len(questions) >= 21 and len(set(ids)) == len(ids)
    for old_id in ("doc-holiday", "doc-descale", "receipt-total", "research-kettles", "doc-keep-warm"):
        assert old_id in ids  # the ids the eval had before the format
    counts = {route: sum(q.route == route for q in questions) for route in ROUTES}
    assert counts["documents"] >= 8 and 2 <= counts["receipt"] <= 3 and counts["research"] >= 2
    assert counts["story"] == 0  # a story has no fact to check
    assert sum(q.held_out for q in questions) >= 6
    for case, q in zip(dataset.cases, questions, strict=True):
        assert q.question.strip() and q.question.strip().endswith("?"), q.id
        assert case.checks["contains_any"] and case.checks["ran"] == [q.route], q.id
        assert len(case.checks["sources"]) == 1, q.id
        assert ("tools" in case.checks) == (q.route == "research"), q.id
        assert set(case.tags) >= {"documents" if q.route == "documents" else q.route}, q.id
        if q.route == "receipt":
            assert q.image and Path(q.image).is_file() and case.checks["sources"] == ["receipt.png"], q.id
        else:
            assert q.image is None, q.id
            doc = Path(REPO_ROOT) / "examples" / "data" / "docs" / case.checks["sources"][0]
            assert doc.is_file(), q.id


def test_hand_written_passages_read_as_agentkit_prompt_text() -> None:
    passages = [
        {"text": "Descale every four weeks.", "source": "docs/kettle-k200-manual.md", "page": None, "score": 0.8},
        {"text": "Page two text.", "source": "manual.pdf", "page": 2, "chunk": 3},
        {"text": "No source at all.", "source": None, "page": None},
        {"text": "Page without source.", "page": 1},
    ]
    assert format_passages(passages) == prompt_text(passages)
    assert format_passages(passages[:1]) == prompt_text(passages[:1])


def test_hand_written_prompt_is_the_v1_rag_qa_answer_prompt() -> None:
    import yaml

    # the hand-written side mirrors the flagship as it was before issue 14 (frozen in benchmarks/data/flagship_v1)
    v1 = Path(REPO_ROOT) / "benchmarks" / "data" / "flagship_v1" / "rag_qa.yaml"
    node = yaml.safe_load(v1.read_text())["nodes"]["answer"]
    assert node["system"] == HAND_SYSTEM
    assert node["prompt"] == HAND_HUMAN


@pytest.mark.parametrize("answer", ["It is 27 days [1].", "See [2, 1] and [3].", "No citation.", "[9] only",
                                    "[1;3]"])
def test_hand_written_citations_match_agentkit_cite(answer: str) -> None:
    passages = [{"text": "a", "source": "docs/a.md", "page": None}, {"text": "b", "source": "docs/b.md", "page": None},
                {"text": "c", "source": "docs/a.md", "page": None}]
    assert cited(passages, answer) == cited_sources(passages, answer)
