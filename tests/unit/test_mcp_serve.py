"""``agentkit mcp serve``: graphs as MCP tools, checked with a real SDK client session against the
command running as a process (stdio and streamable HTTP).  The graphs here need no model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters

from agentkit.cli import main

CALC = """\
name: calc
description: Work out an arithmetic expression exactly.
state:
  expression: {type: str, description: "the arithmetic to evaluate, e.g. 2 * (3 + 4)"}
  precision: {type: int, default: 2}
  result: {type: str}
input: [expression, precision]
output: [result]
entry: evaluate
nodes:
  evaluate: {kind: tool, tool: calculator, args: {expression: "{expression}"}, output: result}
"""

GATED = """\
name: gated
description: Work something out, after a person approves.
state: {expression: {type: str}, result: {type: str}}
input: [expression]
output: [result]
entry: evaluate
nodes:
  evaluate: {kind: tool, tool: calculator, args: {expression: "{expression}"}, output: result,
             approval: "Evaluate this expression?"}
"""


@pytest.fixture()
def graphs(tmp_path: Path) -> list[str]:
    (tmp_path / "calc.yaml").write_text(CALC)
    (tmp_path / "gated.yaml").write_text(GATED)
    return [str(tmp_path / "calc.yaml"), str(tmp_path / "gated.yaml")]


def _env(workspace: str) -> dict[str, str]:
    return {"AGENTKIT_WORKSPACE": workspace, "PYTHONPATH": os.environ.get("PYTHONPATH", "")}


async def _session(target: Any) -> dict[str, Any]:
    """List the tools, call calc with progress, call gated, send bad arguments."""
    seen: dict[str, Any] = {"progress": []}

    async def progress(value: float, total: float | None, message: str | None) -> None:
        seen["progress"].append(message)

    async with Client(target) as client:
        seen["tools"] = {tool.name: tool for tool in (await client.list_tools()).tools}
        seen["calc"] = await client.call_tool("calc", {"expression": "6 * 7"}, progress_callback=progress)
        seen["gated"] = await client.call_tool("gated", {"expression": "1 + 1"})
        seen["bad"] = await client.call_tool("calc", {"expression": 42})
        seen["unknown"] = await client.call_tool("nope", {})
    return seen


def _check(seen: dict[str, Any], workspace: str) -> None:
    tools = seen["tools"]
    assert set(tools) >= {"calc", "gated", "search_memory"}
    calc = tools["calc"]
    assert calc.description.startswith("Work out an arithmetic expression exactly.")
    assert calc.input_schema["properties"]["expression"] == {
        "type": "string", "description": "the arithmetic to evaluate, e.g. 2 * (3 + 4)"}
    assert calc.input_schema["properties"]["precision"] == {"type": "integer", "default": 2}
    assert calc.input_schema["required"] == ["expression"]
    assert tools["search_memory"].annotations.read_only_hint is True

    result = seen["calc"]
    assert not result.is_error
    data = json.loads(result.content[0].text)
    assert data["status"] == "done" and data["output"] == {"result": "42"} and data["thread_id"]
    assert result.structured_content == data
    assert any(m and m.startswith(f"run {data['thread_id']} started") for m in seen["progress"])
    assert "evaluate: started" in seen["progress"] and any(m and m.startswith("evaluate: ok in")
                                                           for m in seen["progress"])

    gated = json.loads(seen["gated"].content[0].text)
    assert gated["status"] == "awaiting_approval" and gated["output"] == {}
    assert gated["approvals"] == [{"node": "evaluate", "question": "Evaluate this expression?"}]
    assert f"agentkit resume {gated['thread_id']} --approve" in gated["resume"]
    assert seen["bad"].is_error and "42 is not of type 'string'" in seen["bad"].content[0].text
    assert seen["unknown"].is_error and "unknown tool 'nope'" in seen["unknown"].content[0].text


def test_serve_over_stdio_runs_graphs_durably(graphs: list[str], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = str(tmp_path / "ws")
    params = StdioServerParameters(command=sys.executable, args=["-m", "agentkit.cli", "mcp", "serve", *graphs],
                                   env=_env(workspace), cwd=str(tmp_path))
    seen = anyio.run(_session, params)
    _check(seen, workspace)
    # the run is durable: a person approves it from the command line, in the same workspace
    monkeypatch.setenv("AGENTKIT_WORKSPACE", workspace)
    thread = json.loads(seen["gated"].content[0].text)["thread_id"]
    assert main(["resume", thread, "--approve", "--json"]) == 0
    assert main(["runs", "show", json.loads(seen["calc"].content[0].text)["thread_id"]]) == 0


def test_serve_over_http_on_loopback(graphs: list[str], tmp_path: Path) -> None:
    workspace = str(tmp_path / "ws")
    process = subprocess.Popen([sys.executable, "-m", "agentkit.cli", "mcp", "serve", "--http", "--port", "0",
                                *graphs], stderr=subprocess.PIPE, text=True, env={**os.environ, **_env(workspace)})
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert "agentkit mcp: serving calc, gated, search_memory at http://127.0.0.1:" in line, line
        url = line.split(" at ")[1].split()[0]
        _check(anyio.run(_session, url), workspace)
    finally:
        process.terminate()
        process.wait(15)


def test_serve_refuses_a_non_loopback_address_without_allow_remote(graphs: list[str],
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mcp", "serve", "--http", "--host", "0.0.0.0", *graphs]) == 2
    assert "--host 0.0.0.0 is not a loopback address" in capsys.readouterr().err


def test_serve_names_a_graph_that_does_not_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.yaml").write_text("name: bad\nentry: nowhere\nnodes: {}\n")
    assert main(["mcp", "serve", str(tmp_path / "bad.yaml")]) == 2
    assert "bad.yaml" in capsys.readouterr().err


def test_mcp_tools_lists_a_graphs_servers_tools(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server = Path(__file__).resolve().parents[1] / "mcp_server.py"
    spec = tmp_path / "uses.yaml"
    spec.write_text(f"name: uses\nentry: a\nstate: {{x: {{type: any}}}}\nmcp_servers:\n"
                    f"  demo: {{command: {json.dumps(sys.executable)}, args: [{json.dumps(str(server))}, --tag, "
                    f"cli-list], tools: [add, wipe_disk]}}\n"
                    f"nodes:\n  a: {{kind: tool, tool: demo.add, args: {{a: 1, b: 2}}, output: x}}\n")
    try:
        assert main(["mcp", "tools", str(spec), "--json"]) == 0
    finally:
        from agentkit.mcp import shutdown

        shutdown()
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["demo.add"]["allowed"] and not rows["demo.add"]["high_risk"]
    assert rows["demo.wipe_disk"]["allowed"] and rows["demo.wipe_disk"]["high_risk"]
    assert not rows["demo.crash"]["allowed"]
    assert rows["demo.add"]["input_schema"]["required"] == ["a", "b"]
