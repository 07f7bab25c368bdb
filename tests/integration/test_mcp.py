"""MCP with the real default model and real processes: a graph using a test MCP server's tools over
stdio and over streamable HTTP, a poisoned tool description, a real SDK client session against
``agentkit mcp serve`` running the shipped rag_qa graph over an ingested document, and 20 runs in a
row that leave no server process behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters

import agentkit
from agentkit.mcp import shutdown
from agentkit.runtime import Runner
from agentkit.runtime.recording import message_from_record
from tests.mcp_server import http_server_process

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "tests" / "mcp_server.py"


@pytest.fixture()
def markers(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "markers"
    folder.mkdir()
    yield folder
    shutdown()


def _stdio(markers: Path, *extra: str) -> str:
    return (f"    command: {json.dumps(sys.executable)}\n    args: {json.dumps([str(SERVER), *extra])}\n"
            f"    env: {{MCP_TEST_MARKERS: {json.dumps(str(markers))}}}\n")


def _agent(server: str, tools: list[str], prompt: str) -> str:
    return ("name: stock\nentry: act\nstate: {question: {type: str}, answer: {type: str}}\n"
            f"input: [question]\noutput: [answer]\nmcp_servers:\n  demo:\n{server}"
            f"nodes:\n  act: {{kind: agent, prompt: {json.dumps(prompt)}, tools: {json.dumps(tools)}, max_steps: 2, "
            f"output: answer}}\n")


def _run(tmp_path: Path, text: str, question: str) -> tuple[Any, list[Any]]:
    spec = tmp_path / "graph.yaml"
    spec.write_text(text)
    with Runner(tmp_path / "runs.sqlite") as runner:
        result = runner.start(spec, {"question": question}, allow_imports=True)
        return result, runner.llm_calls(result.thread_id)


@pytest.fixture()
def http_server(markers: Path) -> Iterator[str]:
    with http_server_process(markers) as url:
        yield url


@pytest.mark.parametrize("transport", ["stdio", "http"])
def test_the_real_model_calls_a_server_tool_with_arguments_under_its_schema(
        tmp_path: Path, markers: Path, transport: str, request: pytest.FixtureRequest) -> None:
    server = _stdio(markers) if transport == "stdio" else f"    url: {request.getfixturevalue('http_server')}\n"
    result, calls = _run(tmp_path, _agent(server, ["demo.stock_level"], "{question}"),
                         "How many units of product K200 are in the warehouse? Use the tool.")
    assert result.status == "done"
    first = message_from_record(calls[0].output).tool_calls
    assert first and first[0]["name"] == "demo.stock_level"  # decoded under the tool's inputSchema
    assert set(first[0]["args"]) == {"product"}
    assert (markers / "stock_level").read_text().strip().upper() == "K200"  # the server really ran it


def test_a_poisoned_description_makes_the_real_model_call_nothing_else(tmp_path: Path, markers: Path) -> None:
    result, calls = _run(tmp_path, _agent(_stdio(markers, "--poison"), ["demo.weather"], "{question}"),
                         "What is the weather in Oslo?")
    assert result.status == "done"
    assert not (markers / "wipe_disk").exists()  # whatever the model was told, nothing else ran
    asked = [c["name"] for call in calls for c in message_from_record(call.output).tool_calls]
    assert set(asked) <= {"demo.weather"}  # the grammar only admits the node's own tools
    if asked:  # the poisoned result came back as data; the answer is still text about the weather
        assert (markers / "weather").read_text() == "Oslo"


async def _ask_rag(params: StdioServerParameters, question: str) -> tuple[Any, list[str]]:
    progress: list[str] = []

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append(message or "")

    async with Client(params) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        assert tools["rag_qa"].input_schema["required"] == ["question"]
        result = await client.call_tool("rag_qa", {"question": question}, progress_callback=on_progress)
        memory = await client.call_tool("search_memory", {"query": "descale the kettle", "k": 1})
    return (result, memory), progress


def test_an_mcp_client_runs_the_shipped_rag_qa_graph_through_agentkit_mcp_serve(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kettle.md").write_text("# K200 kettle\n\nDescale the K200 kettle every 4 weeks with citric acid. "
                                    "Its capacity is 1.7 litres.\n")
    env = {**os.environ, "AGENTKIT_WORKSPACE": str(workspace)}
    subprocess.run([sys.executable, "-m", "agentkit.cli", "memory", "ingest", str(docs)], check=True, env=env,
                   capture_output=True)
    params = StdioServerParameters(command=sys.executable, args=["-m", "agentkit.cli", "mcp", "serve", "rag_qa"],
                                   env={"AGENTKIT_WORKSPACE": str(workspace), "HOME": os.environ.get("HOME", "/root")},
                                   cwd=str(tmp_path))
    (result, memory), progress = anyio.run(_ask_rag, params, "How often should the K200 kettle be descaled?")
    assert not result.is_error, result.content
    data = json.loads(result.content[0].text)
    assert data["status"] == "done" and data["thread_id"]
    assert "4 weeks" in data["output"]["answer"] or "four weeks" in data["output"]["answer"].lower()
    assert any(source["source"].endswith("kettle.md") for source in data["output"]["sources"])
    assert {"retrieve: started", "answer: started"} <= set(progress)
    assert "Descale the K200 kettle every 4 weeks" in memory.content[0].text
    with Runner(workspace / "runs.sqlite") as runner:  # the call was a durable run in the workspace
        assert runner.run(data["thread_id"]).status == "done"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_twenty_runs_in_a_row_leave_no_server_process(tmp_path: Path, markers: Path) -> None:
    tag = f"twenty-{os.getpid()}"
    spec = tmp_path / "count.yaml"
    spec.write_text("name: count\nentry: call\nstate: {result: {type: any}}\noutput: [result]\n"
                    f"mcp_servers:\n  demo:\n{_stdio(markers, '--tag', tag)}"
                    "nodes:\n  call: {kind: tool, tool: demo.add, args: {a: 20, b: 22}, output: result}\n")
    env = {**os.environ, "AGENTKIT_WORKSPACE": str(tmp_path / "ws")}
    for _ in range(20):
        done = subprocess.run([sys.executable, "-m", "agentkit.cli", "run", str(spec), "--allow-imports", "--json"],
                              env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout.splitlines()[-1])["values"]["result"] == 42
    time.sleep(0.5)
    assert not _server_pids(tag)


def _server_pids(tag: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (entry / "stat").read_text().split()[2]
        except OSError:
            continue
        if tag in command and str(SERVER) in command and state != "Z":
            found.append(int(entry.name))
    return found


def test_get_tool_with_a_registered_server_in_an_agent_of_the_real_model(markers: Path,
                                                                         agentkit_registry: None) -> None:
    agentkit.register_mcp_server("demo", command=sys.executable, args=[str(SERVER)],
                                 env={"MCP_TEST_MARKERS": str(markers)}, tools=["add"])
    tool = agentkit.get_tool("demo.add")
    reply = agentkit.get_chat_model().bind_tools([tool], tool_choice="demo.add").invoke("What is 20 plus 22?")
    call = reply.tool_calls[0]
    assert call["name"] == "demo.add" and set(call["args"]) == {"a", "b"}
    assert all(isinstance(v, int) for v in call["args"].values())
    assert tool.invoke(call["args"]) == call["args"]["a"] + call["args"]["b"]
