"""The studio's HTTP side: its API over a real run database, its security rules, uploads
and the CLI command's refusals (the browser tests are in test_studio_browser.py)."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage
from starlette.testclient import TestClient

import agentkit
from agentkit.cli import main
from agentkit.errors import UserError
from agentkit.studio import StudioSettings, create_app
from agentkit.testing import ScriptedModel

TOKEN = "s3cret-token-for-tests-0123456789"
BASE = "http://127.0.0.1:8765"

APPROVE = """
name: approve_me
description: Draft, then wait for a human before sending.
entry: draft
state: {topic: {type: str}, draft: {type: str}, sent: {type: str}}
input: [topic]
nodes:
  draft: {kind: llm, description: write the draft, prompt: "Write about {topic}", output: draft}
  send: {kind: python, function: send, approval: "Send this draft?", output: sent}
edges: [{from: draft, to: send}]
"""

PICTURE = """
name: picture
entry: size
state: {image: {type: any}, size: {type: int}}
input: [image]
nodes:
  size: {kind: python, function: file_size, output: size}
"""


@pytest.fixture
def studio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, agentkit_registry):
    monkeypatch.setenv("AGENTKIT_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "approve.yaml").write_text(APPROVE)
    (tmp_path / "picture.yaml").write_text(PICTURE)
    (tmp_path / "notes.yaml").write_text("just: some yaml\n")  # not a graph: not listed
    agentkit.register_function("send", lambda state: "sent: " + state["draft"])
    agentkit.register_function("file_size", lambda state: Path(state["image"]).stat().st_size)
    model = ScriptedModel(messages=itertools.cycle([AIMessage("Dear <b>reader</b>, hello.")]))
    app = create_app(StudioSettings(root=tmp_path, token=TOKEN, model_factory=lambda name: model))
    with TestClient(app, base_url=BASE) as client:
        client.jobs = app.app.state.jobs  # type: ignore[attr-defined]
        yield client


def _post(client: TestClient, path: str, payload: dict | None = None, **headers: str):
    return client.post(path, content=json.dumps(payload or {}),
                       headers={"X-Agentkit-Token": TOKEN, "Content-Type": "application/json", **headers})


def test_graphs_lists_shipped_and_workspace_graphs_with_their_nodes_and_inputs(studio) -> None:
    graphs = {g["id"]: g for g in studio.get("/api/graphs").json()}
    assert {"shipped/rag_qa", "shipped/assistant", "workspace/approve.yaml", "workspace/picture.yaml"} <= set(graphs)
    assert "workspace/notes.yaml" not in graphs
    detail = studio.get("/api/graphs/shipped/assistant").json()
    assert detail["nodes"]["documents"]["kind"] == "subgraph"
    assert detail["nodes"]["documents"]["subgraph"] == "shipped/rag_qa"  # expandable
    assert {"from": "start", "to": "recall", "label": ""} in detail["edges"]
    assert [i["name"] for i in detail["inputs"]] == ["question", "image", "media"]
    approve = studio.get("/api/graphs/workspace/approve.yaml").json()
    assert approve["nodes"]["send"]["settings"]["approval"] == "Send this draft?"
    assert approve["inputs"] == [{"name": "topic", "type": "str", "description": "", "default": None,
                                  "required": True, "image": False}]


def test_a_graph_id_is_never_a_path(studio) -> None:
    for graph_id in ("workspace/%2E%2E/%2E%2E/etc/passwd", "workspace%2F..%2F..%2Fetc%2Fpasswd",
                     "workspace//etc/passwd", "shipped/..%2Fx"):
        response = studio.get(f"/api/graphs/{graph_id}")
        assert response.status_code == 400 and "no graph" in response.json()["error"], graph_id


def test_start_approve_and_inspect_a_run(studio) -> None:
    started = _post(studio, "/api/runs", {"graph": "workspace/approve.yaml", "inputs": {"topic": "cats"}})
    assert started.status_code == 202
    thread = started.json()["thread_id"]
    studio.jobs.wait(thread, 30)
    run = studio.get(f"/api/runs/{thread}").json()
    assert run["status"] == "awaiting_approval"
    assert [a["node"] for a in run["approvals"]] == ["send"]
    (call,) = run["calls"]
    assert call["node"] == "draft" and call["has_prompt"] and call["ms"] is not None
    full = studio.get(f"/api/runs/{thread}/calls/{call['id']}").json()
    assert full["messages"][-1]["content"] == "Write about cats"
    assert full["reply"]["content"] == "Dear <b>reader</b>, hello."
    assert _post(studio, f"/api/runs/{thread}/resume", {"approve": True}).status_code == 202
    studio.jobs.wait(thread, 30)
    run = studio.get(f"/api/runs/{thread}").json()
    assert run["status"] == "done" and run["approvals"] == []
    steps = studio.get(f"/api/runs/{thread}/checkpoints").json()
    assert steps[-1]["values"]["sent"] == "sent: Dear <b>reader</b>, hello."
    assert {"field": "sent", "change": "added", "after": "sent: Dear <b>reader</b>, hello."} in steps[-1]["diff"]
    assert studio.get("/api/runs", params={"status": "done"}).json()[0]["thread_id"] == thread
    assert studio.get("/api/runs", params={"status": "failed"}).json() == []
    forked = _post(studio, f"/api/runs/{thread}/fork", {"node": "draft"}).json()["thread_id"]
    studio.jobs.wait(forked, 30)
    fork_run = studio.get(f"/api/runs/{forked}").json()
    assert fork_run["parent_thread"] == thread and fork_run["status"] == "awaiting_approval"
    assert [n["node"] for n in fork_run["nodes"]] == []  # re-runs only what follows draft: waits at send
    replayed = _post(studio, f"/api/runs/{thread}/replay").json()["thread_id"]
    studio.jobs.wait(replayed, 30)
    assert studio.get(f"/api/runs/{replayed}").json()["status"] == "done"


def test_a_run_missing_an_input_is_refused_before_it_starts(studio) -> None:
    response = _post(studio, "/api/runs", {"graph": "workspace/approve.yaml", "inputs": {}})
    assert response.status_code == 400 and "needs input 'topic'" in response.json()["error"]
    assert studio.get("/api/runs").json() == []


def test_every_change_needs_the_token_even_on_loopback(studio) -> None:
    body = json.dumps({"graph": "workspace/approve.yaml", "inputs": {"topic": "x"}})
    no_token = studio.post("/api/runs", content=body)
    assert no_token.status_code == 403 and "token" in no_token.json()["error"]
    wrong = studio.post("/api/runs", content=body, headers={"X-Agentkit-Token": "nope"})
    assert wrong.status_code == 403
    cross = _post(studio, "/api/runs", {"graph": "workspace/approve.yaml", "inputs": {"topic": "x"}},
                  Origin="http://evil.example")
    assert cross.status_code == 403
    assert studio.put("/api/uploads?name=a.png", content=b"x").status_code == 403
    assert studio.get("/api/runs").json() == []


def test_the_page_carries_its_token_and_a_strict_content_policy(studio) -> None:
    page = studio.get("/")
    assert f'content="{TOKEN}"' in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "default-src 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "http" not in "".join(  # nothing loaded from anywhere but the studio
        line for line in page.text.splitlines() if "src=" in line or "href=" in line)
    assert studio.get("/static/studio.js").headers["content-type"].startswith("text/javascript")
    assert studio.get("/static/../server.py").status_code == 404


def test_requests_for_another_host_are_refused(studio) -> None:
    response = studio.get("/api/runs", headers={"Host": "attacker.example:8765"})
    assert response.status_code == 400  # DNS rebinding: the page of another name gets nothing


def test_remote_mode_needs_the_token_on_every_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTKIT_WORKSPACE", str(tmp_path / "ws"))
    with pytest.raises(UserError, match="--allow-remote"):
        create_app(StudioSettings(root=tmp_path, host="0.0.0.0"))
    app = create_app(StudioSettings(root=tmp_path, host="0.0.0.0", remote=True, token=TOKEN))
    with TestClient(app, base_url="http://192.0.2.10:8765") as client:
        assert client.get("/api/runs").status_code == 401
        assert client.get("/").status_code == 401
        entered = client.get(f"/?token={TOKEN}", follow_redirects=False)
        assert entered.status_code == 303 and "httponly" in entered.headers["set-cookie"].lower()
        assert client.get("/api/runs").status_code == 200  # the cookie now
        assert client.post("/api/runs", content="{}").status_code == 403  # changes still need the header


def test_uploads_are_images_written_inside_the_workspace(studio, tmp_path: Path) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    up = studio.put("/api/uploads?name=../../evil%20name.png", content=buffer.getvalue(),
                    headers={"X-Agentkit-Token": TOKEN})
    assert up.status_code == 201, up.text
    name = up.json()["name"]
    assert "/" not in name and name.endswith("-evil-name.png")
    assert (tmp_path / "ws" / "uploads" / name).read_bytes() == buffer.getvalue()
    fake = studio.put("/api/uploads?name=x.png", content=b"not an image", headers={"X-Agentkit-Token": TOKEN})
    assert fake.status_code == 400
    assert sorted(p.name for p in (tmp_path / "ws" / "uploads").iterdir()) == [name]  # nothing half-written
    script = studio.put("/api/uploads?name=x.html", content=b"<script>", headers={"X-Agentkit-Token": TOKEN})
    assert script.status_code == 400 and "only images" in script.json()["error"]
    started = _post(studio, "/api/runs", {"graph": "workspace/picture.yaml", "images": [name]})
    thread = started.json()["thread_id"]
    studio.jobs.wait(thread, 30)
    assert studio.get(f"/api/runs/{thread}/checkpoints").json()[-1]["values"]["size"] == len(buffer.getvalue())
    escape = _post(studio, "/api/runs", {"graph": "workspace/picture.yaml", "images": ["../../etc/passwd"]})
    assert escape.status_code == 400 and "upload it first" in escape.json()["error"]


def test_eval_reports_are_read_from_the_workspace(studio, tmp_path: Path) -> None:
    assert studio.get("/api/evals").json()["reports"] == []
    folder = tmp_path / "ws" / "evals"
    folder.mkdir(parents=True)
    (folder / "run1.json").write_text(json.dumps({"cases": [{"id": "q1", "passed": True}]}))
    (folder / "broken.json").write_text("{")
    reports = {r["file"]: r for r in studio.get("/api/evals").json()["reports"]}
    assert reports["run1.json"]["report"]["cases"][0]["passed"] is True
    assert "error" in reports["broken.json"]


def test_cli_refuses_a_remote_bind_without_the_flag(tmp_path: Path, capsys) -> None:
    assert main(["studio", "--host", "0.0.0.0", "--graphs", str(tmp_path)]) == 2
    assert "--allow-remote" in capsys.readouterr().err
    assert main(["studio", "--graphs", str(tmp_path / "missing")]) == 2
    assert main(["studio", "--allow-remote", "--host", "0.0.0.0", "--token", "short",
                 "--graphs", str(tmp_path)]) == 2


def test_a_call_shows_its_tool_route_decision_and_prefix_cache_reuse(tmp_path: Path, monkeypatch) -> None:
    from agentkit.runtime import Runner
    from agentkit.studio import data
    from agentkit.testing import FunctionModel

    monkeypatch.setenv("AGENTKIT_WORKSPACE", str(tmp_path / "ws"))
    (tmp_path / "ask.yaml").write_text("name: ask\nentry: a\nstate: {q: {type: str}, a: {type: str}}\n"
                                       "input: [q]\nnodes:\n  a: {kind: llm, prompt: '{q}', output: a}\n")
    reply = AIMessage("No tool needed.", usage_metadata={
        "input_tokens": 900, "output_tokens": 4, "total_tokens": 904, "input_token_details": {"cache_read": 850}},
        response_metadata={"finish_reason": "stop", "tool_route": {
            "tool": None, "p_yes": 0.12, "probabilities": {"ocr": 0.3, "none": 0.7}}})
    model = FunctionModel(function=lambda messages, options: reply)
    with Runner(tmp_path / "runs.sqlite", model_factory=lambda name: model) as runner:
        thread = runner.start(tmp_path / "ask.yaml", {"q": "hi"}).thread_id
        (summary,) = data.run_detail(runner, thread)["calls"]
        full = data.llm_call(runner, thread, summary["id"])
    assert summary["cache_hit"] is True and summary["cache_read"] == 850 and summary["input_tokens"] == 900
    assert full["tool_route"] == {"tool": None, "p_yes": 0.12, "probabilities": {"ocr": 0.3, "none": 0.7}}
    assert full["reply"] == {"content": "No tool needed.", "tool_calls": [], "finish_reason": "stop"}


def test_an_agents_tool_calls_belong_to_its_node_execution(tmp_path: Path, monkeypatch) -> None:
    """run_detail gives each tool call the task of the node execution that made it, as for LLM calls:
    what the page nests an agent's tool loop under."""
    from agentkit.runtime import Runner
    from agentkit.studio import data
    from agentkit.testing import scripted

    monkeypatch.setenv("AGENTKIT_WORKSPACE", str(tmp_path / "ws"))
    (tmp_path / "agent.yaml").write_text(
        "name: agent\nentry: solve\nstate: {q: {type: str}, a: {type: str}}\ninput: [q]\nnodes:\n"
        "  solve: {kind: agent, prompt: '{q}', tools: [calculator], max_steps: 3, output: a}\n")
    call = AIMessage("", tool_calls=[{"name": "calculator", "args": {"expression": "2+2"}, "id": "c1"}])
    factory = scripted(call, "<b>4</b>")[0]
    with Runner(tmp_path / "runs.sqlite", model_factory=factory) as runner:
        detail = data.run_detail(runner, runner.start(tmp_path / "agent.yaml", {"q": "2+2?"}).thread_id)
    (node,) = detail["nodes"]
    (tool,) = detail["tools"]
    assert (tool["name"], tool["status"], tool["args"], tool["output"]) == ("calculator", "ok", '{"expression": "2+2"}',
                                                                            "4")
    assert tool["task"] == node["task"] == detail["calls"][0]["task"] == detail["calls"][1]["task"]
    assert detail["calls"][0]["created"] <= tool["started"] <= detail["calls"][1]["created"]


def test_checkpoints_are_shown_even_when_the_graph_cannot_be_built_here(tmp_path: Path, monkeypatch) -> None:
    from agentkit.runtime import Runner
    from agentkit.studio import data
    from agentkit.testing import isolated_registry

    monkeypatch.setenv("AGENTKIT_WORKSPACE", str(tmp_path / "ws"))
    (tmp_path / "own.yaml").write_text("name: own\nentry: a\nstate: {x: {type: int}, y: {type: int}}\n"
                                       "input: [x]\nnodes:\n  a: {kind: python, function: my_double, output: y}\n")
    with Runner(tmp_path / "runs.sqlite") as runner:
        with isolated_registry():  # the function lives only in the program that ran the graph
            agentkit.register_function("my_double", lambda state: state["x"] * 2)
            thread = runner.start(tmp_path / "own.yaml", {"x": 21}).thread_id
        steps = data.checkpoints(runner, thread)
    assert steps[-1]["values"] == {"x": 21, "y": 42}
    assert {"field": "y", "change": "added", "after": 42} in steps[-1]["diff"]
    assert "cannot be built" in steps[-1]["note"]


def test_a_pending_approval_can_be_rejected(studio) -> None:
    thread = _post(studio, "/api/runs", {"graph": "workspace/approve.yaml", "inputs": {"topic": "x"}}).json()[
        "thread_id"]
    studio.jobs.wait(thread, 30)
    assert _post(studio, f"/api/runs/{thread}/resume", {"approve": False, "reason": "not now"}).status_code == 202
    studio.jobs.wait(thread, 30)
    run = studio.get(f"/api/runs/{thread}").json()
    assert run["status"] == "rejected" and run["message"] == "send"
    assert "sent" not in studio.get(f"/api/runs/{thread}/checkpoints").json()[-1]["values"]  # send never ran
    bad = _post(studio, f"/api/runs/{thread}/resume", {"approve": "yes"})
    assert bad.status_code == 400 and "approve must be" in bad.json()["error"]
