"""``agentkit.evaluation``: loading and refusing datasets, ``evaluate`` over durable runs (fake models),
the report and the comparison of two reports, and ``agentkit eval`` on the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import BaseMessage

import agentkit
import agentkit.llm
from agentkit.cli import main
from agentkit.cli.common import out as cli_out
from agentkit.errors import DatasetError, UserError
from agentkit.evaluation import (
    CaseResult,
    EvalReport,
    Verdict,
    compare_reports,
    evaluate,
    load_dataset,
    parse_dataset,
    read_report,
)
from agentkit.evaluation.running import CHROMA_URL_ENV, IMAGE_ROOTS_ENV
from agentkit.runtime import Runner, parse_budget_options
from agentkit.testing import FunctionModel, scripted
from tests._needs import module as needs_module

QA = """
name: qa
entry: prep
state:
  question: {type: str}
  image: {type: any, optional: true}
  answer: {type: str}
  sources: {type: list, default: []}
input: [question, image]
output: [answer, sources]
nodes:
  prep: {kind: python, function: eval_prep}
  answer: {kind: llm, prompt: "Q: {question}", output: answer}
  second: {kind: llm, model: some-other-model, prompt: "Again: {answer}", output: answer}
edges: [{from: prep, to: answer}, {from: answer, to: second}]
"""

REAL_GET_CHAT_MODEL = agentkit.llm.get_chat_model
FACTS = {"capital of France": "Paris is the capital [1].", "capital of Spain": "It is Lisbon [1]."}


def _prep(state: dict[str, Any]) -> dict[str, Any]:
    if state["question"] == "boom":
        raise RuntimeError("the prep node broke")
    return {"sources": [{"source": "docs/atlas.md", "page": None}]}


def _reply(messages: list[BaseMessage], options: dict[str, Any]) -> str:
    text = str(messages[-1].content)
    if text.startswith("Again: "):
        return text[len("Again: "):]
    return next((reply for key, reply in FACTS.items() if key in text), "The documents do not say.")


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


def _lines(*items: dict[str, Any]) -> str:
    return "\n".join(json.dumps(i) for i in items) + "\n"


CASES = [
    {"id": "france", "inputs": {"question": "What is the capital of France?"},
     "checks": {"contains": ["Paris"], "sources": ["atlas.md"], "ran": ["answer"]}, "tags": ["geo"]},
    {"id": "spain", "inputs": {"question": "What is the capital of Spain?"},
     "checks": {"contains_any": ["Madrid"], "not_contains": ["[1]"]}, "tags": ["geo", "hard"], "split": "heldout"},
    {"id": "boom", "inputs": {"question": "boom"}, "checks": {"contains": ["x"]}, "tags": ["broken"]},
    {"id": "moon", "inputs": {"question": "Who owns the moon?"}, "checks": {"abstain": True}, "split": "heldout"},
]


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, agentkit_registry: None) -> Path:
    """A graph qa.yaml, a dataset cases.jsonl, a workspace; the function model plays every LLM."""
    agentkit.register_function("eval_prep", _prep)
    monkeypatch.setenv("AGENTKIT_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.setattr("agentkit.llm.get_chat_model", lambda name=None, **kw: FunctionModel(function=_reply))
    _write(tmp_path, "qa.yaml", QA)
    _write(tmp_path, "cases.jsonl", _lines(*CASES))
    return tmp_path


# -- datasets -----------------------------------------------------------------------------------


def test_a_dataset_loads_with_its_header_and_paths_relative_to_its_folder(tmp_path: Path) -> None:
    (tmp_path / "set" / "images").mkdir(parents=True)
    (tmp_path / "set" / "images" / "r.png").write_bytes(b"any bytes: only presence is checked here")
    (tmp_path / "docs").mkdir()
    path = _write(tmp_path / "set", "cases.jsonl", _lines(
        {"setup": {"ingest": ["../docs"], "collection": "manuals", "description": "a set"}},
        {"id": "one", "inputs": {"question": "q?", "image": "images/r.png"}, "checks": {"contains": ["a"]},
         "tags": ["picture"], "split": "heldout", "field": "reply", "note": "for humans"},
        {"id": "two", "inputs": {"question": "q?", "images": ["images/r.png"]}, "checks": {"regex": "a"}}))
    data = load_dataset(path)
    assert data.setup.ingest == (tmp_path / "docs",) and data.setup.collection == "manuals"
    one, two = data.cases
    assert one.inputs["image"] == str(tmp_path / "set" / "images" / "r.png") and one.line == 2
    assert (one.split, one.field, one.tags, two.split, two.field) == ("heldout", "reply", ("picture",), "dev", "answer")
    assert two.inputs["images"] == [str(tmp_path / "set" / "images" / "r.png")]
    assert data.media_folders == [tmp_path / "set" / "images"]


def test_a_malformed_dataset_is_refused_whole_with_every_bad_line(tmp_path: Path) -> None:
    text = "\n".join([
        json.dumps({"id": "good", "inputs": {"question": "q"}, "checks": {"contains": ["a"]}}),
        '{"id": "broken", "inputs": {',
        json.dumps({"id": "typo", "inputs": {"question": "q"}, "checks": {"contians": ["a"]}}),
        json.dumps({"id": "picture", "inputs": {"question": "q", "image": "nowhere.png"}, "checks": {"regex": "a"}}),
        json.dumps({"id": "good", "inputs": {"question": "q"}, "checks": {"contains": ["b"]}}),
        json.dumps({"id": "split", "inputs": {"question": "q"}, "checks": {"contains": ["a"]}, "split": "test"}),
        json.dumps({"setup": {"ingest": ["docs"]}}),
        json.dumps({"id": "extra", "inputs": {}, "checks": {"contains": ["a"]}, "expect": ["a"]}),
        json.dumps({"id": "nochecks", "inputs": {"question": "q"}}),
        json.dumps(["not", "an", "object"]),
    ])
    with pytest.raises(DatasetError) as caught:
        parse_dataset(text, path=tmp_path / "cases.jsonl")
    message = str(caught.value)
    assert "nothing was run" in message
    expected = {2: "not valid JSON", 3: "checks.contians: unknown check; valid checks: contains, contains_any",
                4: "inputs.image: image", 5: "id 'good' is used already at line 1", 6: "must be one of dev, heldout",
                7: "the setup header must be the first line", 8: "expect: unknown key; valid keys: id, inputs",
                9: "checks is missing", 10: "a line must be a JSON object"}
    for line, what in expected.items():
        assert any(n == line and what in m for n, m in caught.value.problems), (line, what, message)
        assert f"cases.jsonl:{line}: " in message
    assert "nowhere.png" in message and "no such file" in message.lower()


@pytest.mark.parametrize(("content", "problem"), [
    (b"", "no cases"),
    (b"\n\n", "no cases"),
    (b'{"id": "a", "inputs": {}, "checks": {"contains": ["\xff"]}}\n', "is not UTF-8 text"),
    (b'{"setup": {"ingest": ["no-such-folder"], "colour": 1}}\n{"id": "a", "inputs": {}, "checks": {"regex": "a"}}',
     "setup.ingest: no such file or folder"),
])
def test_empty_binary_and_bad_headers_are_refused(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_bytes(content)
    with pytest.raises(DatasetError, match=problem):
        load_dataset(path)


def test_a_missing_dataset_file_is_a_dataset_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"does not exist|no such file"):
        load_dataset(tmp_path / "missing.jsonl")


def test_selecting_cases_by_tag_split_and_id(project: Path) -> None:
    data = load_dataset(project / "cases.jsonl")
    assert [c.id for c in data.select(tags=["geo"])] == ["france", "spain"]
    assert [c.id for c in data.select(tags=["hard", "broken"])] == ["spain", "boom"]
    assert [c.id for c in data.select(split="heldout")] == ["spain", "moon"]
    assert [c.id for c in data.select(tags=["geo"], split="dev")] == ["france"]
    assert [c.id for c in data.select(ids=["moon", "boom"])] == ["boom", "moon"]
    with pytest.raises(UserError, match=r"no case 'mars'.*ids: boom, france, moon, spain"):
        data.select(ids=["mars"])
    with pytest.raises(UserError, match="splits are dev, heldout"):
        data.select(split="test")
    with pytest.raises(UserError, match="tags: broken, geo, hard"):
        data.select(tags=["space"])
    with pytest.raises(UserError, match="nothing to run"):
        data.select(tags=["broken"], split="heldout")


def test_cases_that_do_not_fit_the_graph_are_refused_before_anything_runs(project: Path) -> None:
    _write(project, "bad.jsonl", _lines(
        {"id": "noinput", "inputs": {"image": "qa.yaml"}, "checks": {"contains": ["a"]}},
        {"id": "typo", "inputs": {"question": "q", "questoin": "q"}, "checks": {"contains": ["a"]}},
        {"id": "field", "inputs": {"question": "q"}, "field": "reply", "checks": {"contains": ["a"]}},
        {"id": "node", "inputs": {"question": "q"}, "checks": {"ran": ["research"], "not_ran": ["answer"]}},
        {"id": "json", "inputs": {"question": "q"}, "checks": {"json": {"receipt.total": 1}}}))
    with pytest.raises(DatasetError) as caught:
        evaluate(project / "qa.yaml", project / "bad.jsonl")
    message = str(caught.value)
    for part in ["bad.jsonl:1: case 'noinput': graph 'qa' needs input 'question'",
                 "bad.jsonl:2: case 'typo': inputs.questoin: not an input of graph 'qa'; inputs: question, image",
                 "bad.jsonl:3: case 'field': field 'reply' is not an output of graph 'qa'; outputs: answer, sources",
                 "bad.jsonl:4: case 'node': checks.ran: no node 'research' in graph 'qa'; nodes: prep, answer, second",
                 "bad.jsonl:5: case 'json': checks.json: 'receipt.total' is not in graph 'qa''s output"]:
        assert part in message, message
    assert not (project / "ws" / "evals").exists() or not any((project / "ws" / "evals").iterdir())


# -- evaluate ---------------------------------------------------------------------------------------


def test_evaluate_runs_each_case_durably_and_checks_it(project: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    report = evaluate(project / "qa.yaml", project / "cases.jsonl",
                      on_case=lambda case, n, total: seen.append((case.id, n, total)))
    assert seen == [("france", 1, 4), ("spain", 2, 4), ("boom", 3, 4), ("moon", 4, 4)]
    france, spain, boom, moon = report.cases
    assert france.passed and france.status == "done" and france.answer == "Paris is the capital [1]."
    assert [(v.check, v.passed) for v in france.checks] == [("contains", True), ("sources", True), ("ran", True)]
    assert france.route == ["prep", "answer", "second"] and france.llm_calls == 2 and france.tokens >= 0
    assert not spain.passed and [v.check for v in spain.failed_checks] == ["contains_any", "not_contains"]
    assert spain.failed_checks[1].reason == "found '[1]'"
    # a run that raises is a failed case with its error; the cases after it still ran
    assert not boom.passed and boom.status == "failed" and "the prep node broke" in boom.error
    assert boom.checks == [Verdict(check="contains", passed=False, reason="not checked: the run did not finish")]
    assert not moon.passed  # it abstains in words, but cites atlas.md: not an abstention
    assert "citing docs/atlas.md" in moon.checks[0].reason
    # every case is a run in the eval's own workspace, fresh and kept
    workspace = Path(report.workspace)
    assert workspace.parent == project / "ws" / "evals" and workspace.name.startswith("cases-")
    with Runner(workspace / "runs.sqlite") as runner:
        assert runner.run(france.thread_id).status == "done"
        assert runner.run(boom.thread_id).status == "failed"
        assert [e.node for e in runner.history(spain.thread_id)] == ["prep", "answer", "second"]
        replayed = runner.replay(spain.thread_id)  # a failed case replays from its record, no model
        assert replayed.matches and replayed.values["answer"] == "It is Lisbon [1]."
    assert os.environ["AGENTKIT_WORKSPACE"] == str(project / "ws")  # restored


def test_report_totals_by_split_and_tag_and_json(project: Path) -> None:
    report = evaluate(project / "qa.yaml", project / "cases.jsonl")
    assert (report.totals.cases, report.totals.passed, report.pass_rate) == (4, 1, 0.25)
    splits = report.by_split()
    assert (splits["dev"].cases, splits["dev"].passed, splits["heldout"].passed) == (2, 1, 0)
    tags = report.by_tag()
    assert list(tags) == ["broken", "geo", "hard"] and tags["geo"].pass_rate == 0.5
    data = report.to_dict()
    assert data["graph"] == "qa" and data["model"] is None and "loadavg at start" in data["machine"]
    assert data["totals"]["by_split"]["dev"] == {"cases": 2, "passed": 1, "pass_rate": 0.5,
                                                 "median_seconds": data["totals"]["by_split"]["dev"]["median_seconds"]}
    case = data["cases"][1]
    assert set(case) >= {"id", "split", "tags", "passed", "checks", "answer", "thread_id", "seconds", "llm_calls",
                         "tokens", "route"}
    assert case["checks"][0] == {"check": "contains_any", "passed": False, "reason": "none of 'Madrid'"}
    json.dumps(data)  # plain data


def test_model_maps_every_llm_node_to_one_model(project: Path) -> None:
    asked: list[str | None] = []

    def factory(name: str | None) -> FunctionModel:
        asked.append(name)
        return FunctionModel(function=_reply)

    report = evaluate(project / "qa.yaml", project / "cases.jsonl", ids=["france"], model="smollm2-135m",
                      model_factory=factory)
    assert report.cases[0].passed and report.model == "smollm2-135m"
    assert set(asked) == {"smollm2-135m"}  # the node that names some-other-model got it too
    assert report.model_line == "every LLM node on smollm2-135m"
    asked.clear()
    evaluate(project / "qa.yaml", project / "cases.jsonl", ids=["france"], model_factory=factory)
    assert set(asked) == {None, "some-other-model"}


def test_a_budget_stops_a_case_not_the_eval(project: Path) -> None:
    report = evaluate(project / "qa.yaml", project / "cases.jsonl", ids=["france", "moon"],
                      budgets=parse_budget_options(["llm_calls=1"]))
    assert [c.status for c in report.cases] == ["budget_exceeded", "budget_exceeded"]
    assert all("stopped by a budget" in c.error and "llm_calls" in c.error for c in report.cases)


def test_a_given_workspace_is_kept_and_reused(project: Path) -> None:
    folder = project / "evalws"
    first = evaluate(project / "qa.yaml", project / "cases.jsonl", ids=["france"], workspace=folder)
    second = evaluate(project / "qa.yaml", project / "cases.jsonl", ids=["france"], workspace=folder)
    assert first.workspace == second.workspace == str(folder)
    with Runner(folder / "runs.sqlite") as runner:
        assert {r.thread_id for r in runner.runs()} == {first.cases[0].thread_id, second.cases[0].thread_id}


def test_the_dataset_s_image_folders_are_image_roots_while_it_runs(project: Path, monkeypatch) -> None:
    (project / "pics").mkdir()
    (project / "pics" / "r.png").write_bytes(b"png")
    _write(project, "pics.jsonl", _lines({"id": "p", "inputs": {"question": "What is the capital of France?",
                                                                  "image": "pics/r.png"},
                                          "checks": {"contains": ["Paris"]}}))
    monkeypatch.setenv(IMAGE_ROOTS_ENV, "/somewhere")
    during: list[str] = []
    agentkit.register_function("eval_prep", lambda state: during.append(os.environ[IMAGE_ROOTS_ENV]) or {
        "sources": [], "image": state["image"]})
    report = evaluate(project / "qa.yaml", project / "pics.jsonl")
    assert report.cases[0].passed
    assert during == [os.pathsep.join(["/somewhere", str(project / "pics")])]
    assert os.environ[IMAGE_ROOTS_ENV] == "/somewhere"


def test_the_environment_names_are_the_services_ones() -> None:
    needs_module("PIL", "vision")
    needs_module("chromadb", "memory")
    from agentkit.memory.store import URL_ENV
    from agentkit.vision.images import ENV_ROOTS

    assert (ENV_ROOTS, URL_ENV) == (IMAGE_ROOTS_ENV, CHROMA_URL_ENV)


def test_a_graph_that_does_not_build_leaves_no_eval_folder(project: Path) -> None:
    _write(project, "nofn.yaml", QA.replace("eval_prep", "not_registered"))
    with pytest.raises(UserError, match="not_registered"):
        evaluate(project / "nofn.yaml", project / "cases.jsonl")
    assert not (project / "ws" / "evals").exists() or not any((project / "ws" / "evals").iterdir())


def test_setup_ingests_into_the_eval_s_own_memory(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    needs_module("chromadb", "memory")
    from agentkit.memory import store as store_module
    from agentkit.memory.store import close_stores, get_store
    from tests.unit.test_memory import HashedWordsEmbedder

    monkeypatch.setattr(store_module, "get_embedder", lambda: HashedWordsEmbedder())
    (project / "docs").mkdir()
    (project / "docs" / "atlas.md").write_text("# Atlas\n\nParis is the capital of France.\n")
    _write(project, "rag.yaml", """
name: rag
entry: find
state: {question: {type: str}, passages: {type: list}, answer: {type: str}, sources: {type: list}}
input: [question]
output: [answer, sources]
nodes:
  find: {kind: retrieve, query: "{question}", collection: atlas, k: 1, output: passages}
  answer: {kind: llm, prompt: "Q: {question} {passages}", output: answer}
  cite: {kind: cite, passages: passages, answer: answer, output: sources}
edges: [{from: find, to: answer}, {from: answer, to: cite}]
""")
    _write(project, "rag.jsonl", _lines(
        {"setup": {"ingest": ["docs"], "collection": "atlas"}},
        {"id": "france", "inputs": {"question": "What is the capital of France?"},
         "checks": {"contains": ["Paris"], "sources": ["atlas.md"]}}))
    monkeypatch.setenv(CHROMA_URL_ENV, "http://127.0.0.1:9")  # a server the eval must not use
    close_stores()
    try:
        report = evaluate(project / "rag.yaml", project / "rag.jsonl")
        assert os.environ[CHROMA_URL_ENV] == "http://127.0.0.1:9"
        assert report.cases[0].passed, report.cases[0].checks
        assert report.setup["files"] == 1 and report.setup["chunks_added"] >= 1
        assert get_store(path=Path(report.workspace) / "memory").count("atlas") >= 1
        assert not (project / "ws" / "memory").exists()  # the eval's memory, not the project's
    finally:
        close_stores()


# -- comparing reports ----------------------------------------------------------------------------


def _report(*cases: tuple[str, str, bool]) -> EvalReport:
    return EvalReport(dataset="d", graph="g", cases=[
        CaseResult(id=i, split=s, tags=[], passed=p, status="done",
                   checks=[Verdict(check="contains", passed=p, reason="")]) for i, s, p in cases])


def test_compare_lists_regressions_improvements_and_the_change_per_split() -> None:
    old = _report(("a", "dev", True), ("b", "dev", False), ("c", "heldout", True), ("gone", "dev", True))
    new = _report(("a", "dev", False), ("b", "dev", True), ("c", "heldout", True), ("new", "heldout", False))
    comparison = compare_reports(old.to_dict(), new)
    assert [(c.id, c.failed) for c in comparison.regressions] == [("a", ["contains"])]
    assert [c.id for c in comparison.improvements] == ["b"]
    assert (comparison.added, comparison.removed, comparison.still_failing) == (["new"], ["gone"], [])
    assert comparison.splits["dev"] == (2 / 3, 0.5) and comparison.splits["heldout"] == (1.0, 0.5)
    assert comparison.to_dict()["splits"]["heldout"] == {"old": 1.0, "new": 0.5, "change": -0.5}


@pytest.mark.parametrize(("content", "problem"), [
    ("not json", "is not a JSON eval report"),
    ("[1, 2]", "it has no list of cases"),
    ('{"cases": [{"id": "a"}]}', r"cases\[0\] needs an id"),
])
def test_a_report_that_is_not_one_is_refused(tmp_path: Path, content: str, problem: str) -> None:
    path = _write(tmp_path, "old.json", content)
    with pytest.raises(UserError, match=problem):
        read_report(path)


def test_a_report_is_written_whole(tmp_path: Path) -> None:
    report = _report(("a", "dev", True))
    report.write_json(tmp_path / "r.json", extra={"threshold": {"value": 0.5, "met": True}})
    assert json.loads((tmp_path / "r.json").read_text())["threshold"]["met"] is True
    assert os.listdir(tmp_path) == ["r.json"]  # no temporary file left
    with pytest.raises(UserError, match="no folder"):
        report.write_json(tmp_path / "no" / "r.json")


# -- the command line ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables one row a case (the test terminal is 80 columns wide)."""
    monkeypatch.setattr(cli_out, "width", 240)


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return status, captured.out, captured.err


def test_cli_prints_the_cases_and_a_summary_per_split_and_tag(project: Path, capsys) -> None:
    status, out, err = _cli(["eval", str(project / "qa.yaml"), str(project / "cases.jsonl")], capsys)
    assert status == 0, err
    for text in ["france", "spain", "boom", "moon", "failed checks", "LLM calls", "contains_any: none of 'Madrid'",
                 "run failed: RuntimeError", "split dev", "split heldout", "tag geo", "median seconds",
                 "AGENTKIT_WORKSPACE=", "agentkit runs show THREAD"]:
        assert text in out, (text, out)
    assert "[1/4] france pass" in err and "[3/4] boom FAIL" in err


def test_cli_json_report_threshold_and_filters(project: Path, capsys) -> None:
    status, out, _ = _cli(["eval", str(project / "qa.yaml"), str(project / "cases.jsonl"), "--json",
                           "--tag", "geo", "--threshold", "0.5", "-o", str(project / "r.json")], capsys)
    assert status == 0
    printed = json.loads(out)
    assert [c["id"] for c in printed["cases"]] == ["france", "spain"]
    assert printed["threshold"] == {"value": 0.5, "met": True} and printed["filters"]["tags"] == ["geo"]
    assert json.loads((project / "r.json").read_text())["cases"] == printed["cases"]
    status, _, err = _cli(["eval", str(project / "qa.yaml"), str(project / "cases.jsonl"), "--tag", "geo",
                           "--threshold", "0.8"], capsys)
    assert status == 1 and "pass rate 0.50 is below the threshold 0.80" in err
    status, out, _ = _cli(["eval", str(project / "qa.yaml"), str(project / "cases.jsonl"), "--json",
                           "--split", "heldout", "--ids", "spain,moon,france"], capsys)
    assert status == 0 and [c["id"] for c in json.loads(out)["cases"]] == ["spain", "moon"]


def test_cli_compare_shows_regressions_and_improvements(project: Path, capsys,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    assert _cli(["eval", str(project / "qa.yaml"), str(project / "cases.jsonl"), "-o", str(project / "old.json")],
                capsys)[0] == 0
    FACTS_NOW = {"capital of France": "It is Lyon.", "capital of Spain": "Madrid is the capital."}
    monkeypatch.setattr(f"{__name__}.FACTS", FACTS_NOW)
    status, out, _ = _cli(["eval", str(project / "qa.yaml"), str(project / "cases.jsonl"), "--compare",
                           str(project / "old.json")], capsys)
    assert status == 0
    assert "regression france (dev): now fails contains" in " ".join(out.split())
    assert "improvement spain (heldout): passes now (failed contains_any, not_contains)" in " ".join(out.split())
    assert "split dev: pass rate 0.50 -> 0.00 (-0.50)" in out and "split heldout: pass rate 0.00 -> 0.50 (+0.50)" in out


def test_cli_model_option_runs_every_llm_node_on_that_model(project: Path, capsys,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    factory, seen = scripted(*["Paris [1]"] * 4)
    monkeypatch.setattr("agentkit.llm.get_chat_model", factory)
    status, out, _ = _cli(["eval", str(project / "qa.yaml"), str(project / "cases.jsonl"), "--ids", "france",
                           "--model", "tiny-model", "--json"], capsys)
    assert status == 0 and json.loads(out)["model"] == "tiny-model"
    assert set(seen) == {"tiny-model"}


@pytest.mark.parametrize(("dataset", "graph", "expected"), [
    ('{"id": "a", "inputs": {"question": "q"}, "checks": {"contains": ["a"]}}\n{"id": "b", "inputs"', "qa.yaml",
     ["cases.jsonl:2: not valid JSON"]),
    ('{"id": "a", "inputs": {"question": "q"}, "checks": {"has": ["a"]}}', "qa.yaml",
     ["cases.jsonl:1: checks.has: unknown check; valid checks: contains, contains_any, not_contains, regex, number, "
      "json, sources, ran, not_ran, tools, abstain"]),
    ('{"id": "a", "inputs": {"question": "q", "image": "gone.png"}, "checks": {"contains": ["a"]}}', "qa.yaml",
     ["cases.jsonl:1: inputs.image: image", "gone.png"]),
    ('{"id": "a", "inputs": {"question": "q"}, "checks": {"contains": ["a"]}}', "missing.yaml",
     ["missing.yaml", "no such file"]),
    ('{"id": "a", "inputs": {"question": "q"}, "checks": {"contains": ["a"]}}', "broken.yaml",
     ["broken.yaml", "entry"]),
])
def test_cli_refuses_bad_input_with_a_message_and_status_2(project: Path, capsys, dataset: str, graph: str,
                                                          expected: list[str]) -> None:
    _write(project, "cases.jsonl", dataset)
    _write(project, "broken.yaml", "name: broken\nentry: nowhere\nnodes: {a: {kind: llm, prompt: x, output: y}}\n")
    status, out, err = _cli(["eval", str(project / graph), str(project / "cases.jsonl")], capsys)
    assert status == 2, out + err
    flat = " ".join(err.split())
    for text in expected:
        assert text in flat, (text, err)
    assert not (project / "ws" / "evals").exists() or not any((project / "ws" / "evals").iterdir())


@pytest.mark.parametrize("argv", [
    ["--compare", "{project}/missing.json"],
    ["--compare", "{project}/qa.yaml"],
    ["-o", "{project}/no/such/folder/r.json"],
    ["--ids", "mars"],
    ["--split", "test"],
    ["--tag", "space"],
    ["--model", "no-such-model"],
    ["--budget", "tokens=x"],
    ["--workspace", "{project}/qa.yaml"],
])
def test_cli_option_mistakes_are_messages_before_anything_runs(project: Path, capsys, monkeypatch,
                                                               argv: list[str]) -> None:
    monkeypatch.setattr("agentkit.llm.get_chat_model", REAL_GET_CHAT_MODEL)  # an unknown name fails on the real lookup
    status, out, err = _cli(["eval", str(project / "qa.yaml"), str(project / "cases.jsonl"),
                             *[a.format(project=project) for a in argv]], capsys)
    assert status == 2 and "error" in err.lower(), out + err
    assert not (project / "ws" / "evals").exists() or not any((project / "ws" / "evals").iterdir())


def test_cli_hostile_files_as_dataset_graph_report_or_output_are_messages(project: Path, capsys) -> None:
    from tests._hostile import bounded, hostile_files

    hostile = hostile_files(project / "hostile", suffix=".jsonl")
    (project / "huge.jsonl").write_text("{}\n" * (20 * 2**20))
    (project / "folder.jsonl").mkdir()
    names = [*hostile.values(), project / "huge.jsonl", project / "folder.jsonl", project / "missing.jsonl"]
    graph, cases = str(project / "qa.yaml"), str(project / "cases.jsonl")
    for name in map(str, names):
        for argv in (["eval", graph, name], ["eval", name, cases], ["eval", graph, cases, "--compare", name],
                     ["eval", graph, cases, "--ids", "france", "-o", name]):
            if argv[-1].endswith(("huge.jsonl", "missing.jsonl")) and argv[-2] == "-o":
                continue  # a regular file or a new one: a report may go there
            status, out, err = bounded(lambda argv=argv: _cli(argv, capsys), seconds=20)
            assert status == 2, (argv, out, err)
    assert not any((project / "ws" / "evals").iterdir()) if (project / "ws" / "evals").exists() else True


def _interrupting_reply(messages: list[BaseMessage], options: dict[str, Any]) -> str:
    if "capital of Spain" in str(messages[-1].content):
        raise KeyboardInterrupt  # Ctrl-C while the second case's model call runs
    return _reply(messages, options)


def test_ctrl_c_keeps_the_finished_cases_in_an_interrupted_report(project: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from agentkit.errors import EvalInterrupted

    monkeypatch.setattr("agentkit.llm.get_chat_model", lambda name=None, **kw: FunctionModel(
        function=_interrupting_reply))
    with pytest.raises(EvalInterrupted) as stopped:
        evaluate(project / "qa.yaml", project / "cases.jsonl")
    report = stopped.value.report
    assert isinstance(stopped.value, KeyboardInterrupt)
    assert [c.id for c in report.cases] == ["france"] and report.cases[0].passed
    assert report.interrupted and report.cases_not_run == 3
    assert report.to_dict()["interrupted"] is True and report.to_dict()["cases_not_run"] == 3
    assert Path(report.workspace).is_dir()  # the finished case's run can still be opened


def test_cli_ctrl_c_writes_the_partial_report_prints_the_table_and_exits_130(project: Path, capsys,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("agentkit.llm.get_chat_model", lambda name=None, **kw: FunctionModel(
        function=_interrupting_reply))
    status, out, err = _cli(["eval", str(project / "qa.yaml"), str(project / "cases.jsonl"), "--threshold", "0.9",
                             "-o", str(project / "partial.json")], capsys)
    assert status == 130
    written = json.loads((project / "partial.json").read_text())
    assert [c["id"] for c in written["cases"]] == ["france"]
    assert written["interrupted"] is True and written["cases_not_run"] == 3 and "threshold" not in written
    flat = " ".join(out.split())
    assert "interrupted: 3 case(s) not run" in flat and "france" in flat and "spain" not in flat
    assert "interrupted: 1 case(s) finished, 3 not run" in " ".join(err.split())
    status, out, _ = _cli(["eval", str(project / "qa.yaml"), str(project / "cases.jsonl"), "--json"], capsys)
    assert status == 130 and json.loads(out)["cases_not_run"] == 3
