"""The answer-step benchmark's pure parts (benchmarks/bench_answer_steps.py): building a step's
variants from its graph file, choosing the cases, refusing mistakes in one line.  No model runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentkit.errors import UserError
from agentkit.evaluation import Case, Dataset, load_dataset
from benchmarks._common import REPO_ROOT
from benchmarks.bench_answer_steps import (
    build_variants,
    differences,
    main,
    parse_vary,
    runnable,
    set_path,
    step_cases,
    variant_spec,
)

RAG_QA = Path(REPO_ROOT) / "graphs" / "rag_qa.yaml"
RESEARCH = Path(REPO_ROOT) / "graphs" / "research.yaml"


def test_vary_values_are_yaml_scalars() -> None:
    assert parse_vary("reasoning_tokens=80,0") == ("reasoning_tokens", [80, 0])
    assert parse_vary("max_unsaid = null, 0.3") == ("max_unsaid", [None, 0.3])
    for bad in ("reasoning_tokens", "=1,2", "reasoning_tokens=", "x=1,1", "x=[1],2", "x=1,,2"):
        with pytest.raises(UserError, match="--vary"):
            parse_vary(bad)


def test_each_variant_sets_the_field_and_keeps_the_file_as_its_origin() -> None:
    base, other = build_variants(RAG_QA, "answer", [parse_vary("reasoning_tokens=80,0")])
    assert [v.label for v in (base, other)] == ["reasoning_tokens=80", "reasoning_tokens=0"]
    assert base.spec.nodes["answer"].reasoning_tokens == 80
    assert other.spec.nodes["answer"].reasoning_tokens == 0
    assert base.spec.origin.path == other.spec.origin.path == RAG_QA.resolve()
    assert base.spec.nodes["retrieve"] == other.spec.nodes["retrieve"]  # nothing else changes
    assert other.spec.nodes["answer"].min_support == base.spec.nodes["answer"].min_support


def test_several_varies_make_a_grid_with_the_baseline_first() -> None:
    variants = build_variants(RAG_QA, "answer", [parse_vary("reasoning_tokens=80,0"),
                                                 parse_vary("max_unsaid=null,0.3")])
    assert [v.label for v in variants] == ["reasoning_tokens=80,max_unsaid=null", "reasoning_tokens=80,max_unsaid=0.3",
                                           "reasoning_tokens=0,max_unsaid=null", "reasoning_tokens=0,max_unsaid=0.3"]
    assert variants[3].spec.nodes["answer"].max_unsaid == 0.3
    compute = variant_spec(RESEARCH, "compute", {"reasoning_tokens": 0})
    assert compute.nodes["compute"].reasoning_tokens == 0 and compute.origin.path == RESEARCH.resolve()


@pytest.mark.parametrize(("node", "settings", "says"), [
    ("answr", {"reasoning_tokens": 0}, "no such node; nodes: retrieve, answer"),
    ("answer", {"reasoning_tokenz": 0}, "unknown key 'reasoning_tokenz'; valid keys: kind, question"),
    ("answer", {"reasoning_tokens": -1}, "nodes.answer.reasoning_tokens"),
    ("answer", {"max_unsaid": "lots"}, "nodes.answer.max_unsaid"),
])
def test_an_unknown_node_or_field_or_a_bad_value_is_one_clear_line(node: str, settings: dict, says: str) -> None:
    with pytest.raises(UserError) as caught:
        variant_spec(RAG_QA, node, settings)
    message = str(caught.value)
    assert says in message and "\n" not in message


def _case(case_id: str, question: str, tags: tuple[str, ...], **checks: object) -> Case:
    return Case(id=case_id, inputs={"question": question}, checks=dict(checks), tags=tags, line=1)


def test_cases_keep_every_check_but_the_route_ones() -> None:
    dataset = Dataset(path=Path("/nowhere/set.jsonl"), cases=(
        _case("cat", "Can I bring my cat?", ("documents", "yes-no"), regex="(?i)^no", ran=["documents"],
              sources=["rules.md"]),
        _case("hours", "When does the café open?", ("documents",), contains=["9"], not_ran=["research"]),
        _case("pool", "Is there a pool?", ("abstain", "yes-no"), abstain=True),
        _case("routed", "Does it route?", ("yes-no",), ran=["documents"]),  # no check left: dropped
    ))
    chosen = step_cases(dataset, tags=["yes-no"])
    assert [c.id for c in chosen.cases] == ["cat", "pool"]
    assert chosen.cases[0].checks == {"regex": "(?i)^no", "sources": ["rules.md"]}
    assert chosen.cases[0].inputs == dataset.cases[0].inputs and chosen.path == dataset.path
    assert dataset.cases[0].checks["ran"] == ["documents"]  # the loaded dataset is not changed
    assert [c.id for c in step_cases(dataset).cases] == ["cat", "hours", "pool"]
    assert step_cases(dataset).cases[1].checks == {"contains": ["9"]}
    assert [c.id for c in step_cases(dataset, limit=1).cases] == ["cat"]


def test_the_yes_no_filter_asks_is_yes_no() -> None:
    dataset = Dataset(path=Path("/nowhere/set.jsonl"), cases=(
        _case("cat", "Can I bring my cat?", ("abstain",), abstain=True),
        _case("hours", "When does the café open?", ("abstain",), abstain=True),
    ))
    assert [c.id for c in step_cases(dataset, tags=["abstain"], yes_no=True).cases] == ["cat"]


def test_a_case_the_step_graph_cannot_run_is_set_aside() -> None:
    spec = variant_spec(RAG_QA, "answer", {})
    dataset = Dataset(path=Path("/nowhere/set.jsonl"), cases=(
        _case("doc", "How long is the warranty?", ("documents",), contains=["two years"]),
        Case(id="pic", inputs={"question": "How much?", "image": "/nowhere/r.png"}, checks={"contains": ["1"]}),
    ))
    kept, skipped = runnable(dataset, spec)
    assert [c.id for c in kept.cases] == ["doc"] and skipped == ["pic"]


def test_the_dev_set_steps_have_no_route_checks() -> None:
    chosen = step_cases(load_dataset(set_path("dev")), tags=["yes-no"])
    assert chosen.cases and all("yes-no" in c.tags for c in chosen.cases)
    assert not any(set(c.checks) & {"ran", "not_ran"} for c in chosen.cases)


def test_differences_name_gains_and_losses_by_set() -> None:
    base = {("dev", "a"): True, ("dev", "b"): False, ("heldout2", "a"): True}
    other = {("dev", "a"): True, ("dev", "b"): True, ("heldout2", "a"): False}
    assert differences(base, other) == ["+dev/b", "-heldout2/a"]


@pytest.mark.parametrize(("argv", "says"), [
    (["--sets", "heldout"], "'heldout' is not a set this benchmark may run"),
    (["--sets", "dev,heldout9"], "'heldout9' is not a set this benchmark may run"),
    (["--node", "nope"], "no such node"),
    (["--vary", "reasoning_tokens=80,-3"], "nodes.answer.reasoning_tokens"),
    (["--graph", "graphs/no_such.yaml"], "no such file"),
    (["--tag", "no-such-tag"], "nothing to run"),
])
def test_a_mistake_exits_2_with_one_line_and_runs_nothing(argv: list[str], says: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    defaults = {"--graph": str(RAG_QA), "--node": "answer", "--vary": "reasoning_tokens=80,0"}
    for i in range(0, len(argv), 2):
        defaults[argv[i]] = argv[i + 1]
    assert main([part for item in defaults.items() for part in item]) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1
