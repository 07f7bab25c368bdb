"""The programs in examples/: the streaming service, the two plug-in packages, the embedding script.

No real model: runs use the scripted fakes of agentkit.testing.  The plug-in packages are
built into wheels and installed into a folder that only subprocesses see, so their
entry points are found the way a user's ``pip install`` makes them found.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from agentkit.memory.store import close_stores
from agentkit.runtime import Runner
from agentkit.testing import scripted_queue
from examples.service import GRAPHS_DIR, create_app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ANSWER = "Rayleigh scattering makes short blue wavelengths spread across the sky."


# -- the service ------------------------------------------------------------------------------

def _client(tmp_path: Path, *replies: str, graphs_dir: Path = GRAPHS_DIR) -> TestClient:
    model_factory = scripted_queue(*replies)
    database = tmp_path / "runs.sqlite"
    return TestClient(create_app(lambda sink: Runner(database, sink=sink, model_factory=model_factory),
                                 graphs_dir=graphs_dir))


def _events(body: str) -> list[dict[str, Any]]:
    lines = [line for line in body.splitlines() if line]
    assert all(line.startswith("data: ") for line in lines), lines
    return [json.loads(line.removeprefix("data: ")) for line in lines]


def test_a_run_streams_its_events_in_order_and_ends_with_the_result(tmp_path: Path) -> None:
    client = _client(tmp_path, ANSWER)
    response = client.post("/runs", json={"graph": "ask", "inputs": {"question": "Why is the sky blue?"}})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _events(response.text)
    kinds = [e["event"] for e in events]
    assert kinds[0] == "run_start" and kinds[-2:] == ["run_end", "result"]
    start, end = kinds.index("node_start"), kinds.index("node_end")
    tokens = [e for e in events[start:end] if e["event"] == "token"]
    assert "".join(t["text"] for t in tokens).split() == ANSWER.split()  # streamed while the node ran
    assert {e["thread_id"] for e in events} == {events[0]["thread_id"]}
    result = events[-1]
    assert result["status"] == "done" and result["output"] == {"answer": ANSWER}
    assert [n["node"] for n in result["nodes"]] == ["answer"] and result["nodes"][0]["llm_calls"] == 1

    stored = client.get(f"/runs/{result['thread_id']}")
    assert stored.status_code == 200
    body = stored.json()
    assert body["status"] == "done" and body["graph"] == "ask" and body["output"] == {"answer": ANSWER}
    assert body["nodes"][0]["node"] == "answer"


def test_unknown_graphs_and_runs_are_404_with_a_message(tmp_path: Path) -> None:
    client = _client(tmp_path)
    response = client.post("/runs", json={"graph": "no_such_graph", "inputs": {}})
    assert response.status_code == 404
    assert "no graph named 'no_such_graph'" in response.json()["error"] and "ask" in response.json()["error"]
    response = client.get("/runs/feedfacecafe")
    assert response.status_code == 404 and "feedfacecafe" in response.json()["error"]
    assert "ask" in client.get("/graphs").json()["graphs"]


def test_a_request_cannot_name_a_path(tmp_path: Path) -> None:
    graphs = tmp_path / "graphs"
    graphs.mkdir()
    outside = tmp_path / "outside.yaml"
    outside.write_text((GRAPHS_DIR / "ask.yaml").read_text())  # a valid graph, but not in graphs_dir
    (graphs / "linked.yaml").symlink_to(outside)  # a link inside that leads outside
    client = _client(tmp_path, ANSWER, graphs_dir=graphs)
    for name in ("../outside", str(outside), "/etc/passwd", "outside.yaml", "linked", "ask/../../outside"):
        response = client.post("/runs", json={"graph": name, "inputs": {"question": "hi"}})
        assert response.status_code in (404, 422), name  # 422: longer than a name may be
        assert response.headers["content-type"] == "application/json", name  # refused, nothing ran
        assert "no graph named" in response.json()["error"] or "at most 64 characters" in response.json()["error"]
    assert not (tmp_path / "runs.sqlite").exists()  # no runner was ever made


def test_bad_inputs_are_4xx_naming_the_input(tmp_path: Path) -> None:
    client = _client(tmp_path, ANSWER)
    missing = client.post("/runs", json={"graph": "ask", "inputs": {}})
    assert missing.status_code == 422 and "'question'" in missing.json()["error"]
    assert "Traceback" not in missing.text
    unknown = client.post("/runs", json={"graph": "ask", "inputs": {"question": "hi", "temperature": 2}})
    assert unknown.status_code == 422 and "'temperature'" in unknown.json()["error"]
    not_a_mapping = client.post("/runs", json={"graph": "ask", "inputs": ["hi"]})
    assert not_a_mapping.status_code == 422 and "inputs" in not_a_mapping.json()["error"]


def test_a_failing_node_ends_the_stream_with_an_error_and_the_run_is_stored_as_failed(tmp_path: Path) -> None:
    client = _client(tmp_path)  # no scripted replies: the model call fails
    events = _events(client.post("/runs", json={"graph": "ask", "inputs": {"question": "hi"}}).text)
    assert [e["event"] for e in events][-2:] == ["run_end", "error"]
    assert events[-1]["message"].startswith("IndexError")
    assert client.get(f"/runs/{events[0]['thread_id']}").json()["status"] == "failed"


def test_the_module_level_app_serves_the_example_graphs() -> None:
    from examples.service import app

    assert "ask" in TestClient(app).get("/graphs").json()["graphs"]


# -- the plug-in packages ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def plugins(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both example packages built into wheels and installed into a folder (not into this venv)."""
    wheels, target, sources = (tmp_path_factory.mktemp(name) for name in ("wheels", "site", "sources"))
    for package in ("plugin_tool", "custom_node_kind"):  # built from copies: setuptools writes build/ in place
        shutil.copytree(EXAMPLES / package, sources / package, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(sources / "plugin_tool"),
                    str(sources / "custom_node_kind")], check=True, capture_output=True, timeout=300)
    built = sorted(p.name for p in wheels.glob("*.whl"))
    assert [n.split("-")[0] for n in built] == ["agentkit_regex_extract", "agentkit_unit_convert"]
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), *map(str, wheels.glob("*.whl"))],
                   check=True, capture_output=True, timeout=120)
    return target


def _python(site: Path, workspace: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "AGENTKIT_WORKSPACE": workspace}
    return subprocess.run([sys.executable, *args], check=False, capture_output=True, text=True, timeout=120, env=env,
                          cwd=site.parent)


def _result(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["event"] == "result" and result["status"] == "done"
    return result["output"]


def test_the_tool_plugin_is_found_by_name_and_its_graph_runs(plugins: Path, isolated_workspace: str) -> None:
    code = ("import json, agentkit; t = agentkit.get_tool('unit_convert'); "
            "print(json.dumps([type(t).__module__, t.args_schema.__name__, t.invoke("
            "{'value': 212, 'from_unit': 'fahrenheit', 'to_unit': 'c'})]))")
    proc = _python(plugins, isolated_workspace, "-c", code)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == ["langchain_core.tools.structured", "UnitConvertArgs",
                                       {"value": 100.0, "unit": "c", "text": "212 f = 100 c"}]
    run = [str(EXAMPLES / "plugin_tool" / "convert.yaml"), "-i", "value=10", "-i", "from_unit=km", "-i", "to_unit=mi"]
    output = _result(_python(plugins, isolated_workspace, "-m", "agentkit.cli", "run", *run, "--json"))
    assert output["result"]["unit"] == "mi" and output["result"]["value"] == pytest.approx(6.213712)
    wrong = _python(plugins, isolated_workspace, "-m", "agentkit.cli", "run", *run[:-1], "to_unit=kg")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert "cannot convert length (km) to mass (kg)" in " ".join(wrong.stderr.split())


def test_without_the_package_the_tool_is_unknown(tmp_path: Path, isolated_workspace: str) -> None:
    proc = _python(tmp_path, isolated_workspace, "-m", "agentkit.cli", "validate",
                   str(EXAMPLES / "plugin_tool" / "convert.yaml"))
    assert proc.returncode == 2 and "unknown tool 'unit_convert'" in proc.stderr


def test_the_node_kind_plugin_is_found_by_name_and_its_graph_runs(plugins: Path, isolated_workspace: str) -> None:
    code = ("import json; from agentkit.registry import node_kind; k = node_kind('regex_extract'); "
            "print(json.dumps([k.name, k.spec.__name__]))")
    proc = _python(plugins, isolated_workspace, "-c", code)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == ["regex_extract", "RegexExtractNode"]
    text = "Write to ana@example.org or Bo.Li@mail.example.com; call +44 20 7946 0018 before 5."
    output = _result(_python(plugins, isolated_workspace, "-m", "agentkit.cli", "run",
                             str(EXAMPLES / "custom_node_kind" / "extract_contacts.yaml"), "-i", f"text={text}",
                             "--json"))
    assert output == {"emails": [{"user": "ana", "domain": "example.org"},
                                 {"user": "Bo.Li", "domain": "mail.example.com"}],
                      "phones": ["+44 20 7946 0018"]}


def test_a_bad_regex_is_a_located_error_at_load_time(plugins: Path, isolated_workspace: str, tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("name: bad\nstate: {text: {type: str}, out: {type: list}}\ninput: [text]\nentry: find\n"
                    "nodes:\n  find:\n    kind: regex_extract\n    text: '{text}'\n    flags: [ignorecase, loud]\n"
                    "    pattern: '(?P<user>[a-z+'\n    output: out\n")
    proc = _python(plugins, isolated_workspace, "-m", "agentkit.cli", "validate", str(spec), "--json")
    assert proc.returncode == 2, proc.stderr
    problems = {p["path"]: p for p in json.loads(proc.stdout)["problems"]}
    assert set(problems) == {"nodes.find.flags.1", "nodes.find.pattern"}
    assert problems["nodes.find.pattern"]["line"] == 10 and problems["nodes.find.flags.1"]["line"] == 9
    message = problems["nodes.find.pattern"]["message"]
    assert "'(?P<user>[a-z+' is not a valid regular expression: unterminated character set" in message
    assert "Input should be 'ignorecase'" in problems["nodes.find.flags.1"]["message"]
    assert "Value error" not in message
    human = _python(plugins, isolated_workspace, "-m", "agentkit.cli", "validate", str(spec))
    assert f"{spec}:10: nodes.find.pattern: '(?P<user>[a-z+' is not a valid" in " ".join(human.stderr.split())


def test_the_plugin_kind_is_in_the_schema_the_validate_hints_and_show(plugins: Path, isolated_workspace: str,
                                                                      tmp_path: Path) -> None:
    schema = _python(plugins, isolated_workspace, "-m", "agentkit.cli", "schema")
    assert schema.returncode == 0, schema.stderr
    definitions = json.loads(schema.stdout)["$defs"]
    assert {"RegexExtractNode", "LLMNode", "RetrieveNode"} <= set(definitions)
    keys = set(definitions["RegexExtractNode"]["properties"])
    assert {"pattern", "flags", "max_matches", "retry", "timeout_s"} <= keys
    spec = tmp_path / "typo.yaml"
    spec.write_text("name: typo\nstate: {text: {type: str}, out: {type: list}}\ninput: [text]\nentry: find\n"
                    "nodes:\n  find: {kind: regex_extract, text: '{text}', patern: 'a+', output: out}\n")
    hints = _python(plugins, isolated_workspace, "-m", "agentkit.cli", "validate", str(spec))
    assert hints.returncode == 2
    shown = " ".join(hints.stderr.split())
    assert "nodes.find.patern: unknown key 'patern'; valid keys: kind, text, flags, pattern, max_matches, output, " \
           "description," in shown
    show = _python(plugins, isolated_workspace, "-m", "agentkit.cli", "show",
                   str(EXAMPLES / "custom_node_kind" / "extract_contacts.yaml"), "--json")
    assert show.returncode == 0, show.stderr
    assert set(json.loads(show.stdout)["nodes"].values()) == {"regex_extract"}


def test_the_node_kind_registers_in_process_without_installing(tmp_path: Path, isolated_workspace: str) -> None:
    proc = _python(tmp_path, isolated_workspace, str(EXAMPLES / "custom_node_kind" / "in_process.py"),
                   "ana@example.org, not@, bo@mail.example.com")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"emails": ["ana@example.org", "bo@mail.example.com"]}


def test_regex_extract_shapes_matches_by_groups() -> None:
    sys.path.insert(0, str(EXAMPLES / "custom_node_kind"))
    try:
        from agentkit_regex_extract import compile_pattern, extract
    finally:
        sys.path.remove(str(EXAMPLES / "custom_node_kind"))
    text = "a=1, B=2, c=3"
    assert extract(compile_pattern(r"(?P<key>\w)=(?P<value>\d)", []), text, 2) == [
        {"key": "a", "value": "1"}, {"key": "B", "value": "2"}]
    assert extract(compile_pattern(r"(\w)=\d", []), text, 10) == ["a", "B", "c"]
    assert extract(compile_pattern(r"(\w)=(\d)", []), text, 1) == [["a", "1"]]
    assert extract(compile_pattern(r"b=\d", ["ignorecase"]), text, 10) == ["B=2"]
    assert extract(compile_pattern(r"z", []), text, 10) == []


# -- embed_graph.py ------------------------------------------------------------------------------

@pytest.fixture()
def embed() -> Iterator[Any]:
    from examples import embed_graph

    yield embed_graph
    close_stores()  # the next test's workspace gets its own store


def test_embed_graph_answers_from_the_ingested_docs(embed: Any, tmp_path: Path) -> None:
    report = embed.ingest_docs()
    assert report.counts() == {"added": 5} and report.chunks_added > 5
    question = "How often should I descale the K200 kettle?"
    result = embed.run(question, model_factory=scripted_queue("Every four weeks [1]."),
                       database=tmp_path / "runs.sqlite")
    assert result.status == "done" and result.output["answer"] == "Every four weeks [1]."
    assert embed.sources(result.values)[0] == "docs/kettle-k200-manual.md"
    assert "Descale every four weeks" in result.values["docs"][0]["text"]
    assert [(n.node, n.llm_calls) for n in result.nodes] == [("find", 0), ("answer", 1)]
    updates = list(embed.stream_plain(question, model_factory=scripted_queue("Monthly.")))
    assert [list(u) for u in updates] == [["find"], ["answer"]] and updates[1]["answer"] == {"answer": "Monthly."}
    assert embed.ingest_docs().counts() == {"unchanged": 5}


def test_embed_graph_main_prints_the_run(embed: Any, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(embed, "default_model_factory", scripted_queue("It has 1.7 litres [1].", "1.7 l."))
    assert embed.main(["--question", "How much water does the K200 kettle hold?"]) == 0
    out = capsys.readouterr().out
    assert "answer: It has 1.7 litres [1]." in out and "sources: docs/kettle-k200-manual.md" in out
    assert out.count("thread: ") == 1 and "(done)" in out
    assert "answer   1 run(s)" in out and "answer wrote answer" in out
