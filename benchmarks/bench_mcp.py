"""MCP overhead: a tool called through an MCP server vs the same tool registered in process, and
``agentkit mcp serve``'s round trip for a graph answered from memory vs running it in process.

Tool calls (no model involved): the test server's ``stock_level`` (tests/mcp_server.py, the SDK's
MCPServer) called through agentkit's MCP client over stdio and over streamable HTTP on loopback,
against the same Python function registered in process with ``agentkit.register_tool``.  Each side
is timed as a bare ``tool.invoke`` and as a one-node graph (``kind: tool``) invoke; sides alternate
in rounds.  The first connection (start, handshake, tool listing) is timed separately.

Serving: a graph whose ``recall`` node answers from memory (a note remembered beforehand, as the
assistant does for a question asked before), run (a) in process with ``Runner.start`` -- a durable
run, as each MCP call is -- and (b) by an SDK client session calling it through
``agentkit mcp serve`` over stdio and over streamable HTTP (sessions opened once, warm).

Run: .venv/bin/python benchmarks/bench_mcp.py [--calls 200] [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import agentkit
from agentkit.mcp import HttpServer, StdioServer, mcp_tool, server_tools, shutdown
from benchmarks._common import REPO_ROOT, loadavg_end_line, machine_line, median, now, spread, table

SERVER = Path(REPO_ROOT) / "tests" / "mcp_server.py"


def stock_level(product: str) -> dict:
    """Look up how many units of a product (a code such as K200) are in the warehouse."""
    levels = {"K200": 17, "T100": 3}
    return {"product": product, "units": levels.get(product.strip().upper(), 0)}


def _graph(folder: Path, name: str, tool: str, server: str = "") -> Any:
    path = folder / f"{name}.yaml"
    path.write_text(f"name: {name}\nentry: call\nstate: {{result: {{type: any}}}}\n{server}"
                    f"nodes:\n  call: {{kind: tool, tool: {tool}, args: {{product: K200}}, output: result}}\n")
    return agentkit.load(path, allow_imports=True)  # the spec starts a stdio server: an opt-in


def _start_http(markers: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([sys.executable, str(SERVER), "--http", "0"], stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "MCP_TEST_MARKERS": str(markers)})
    assert process.stderr is not None
    line = process.stderr.readline()
    if not line.startswith("listening on "):
        process.kill()
        raise SystemExit(f"the test server did not start: {line}")
    return process, line.split()[-1]


def bench_tools(calls: int, folder: Path) -> None:
    markers = folder / "markers"
    markers.mkdir()
    agentkit.register_tool(stock_level)
    http_process, url = _start_http(markers)
    try:
        stdio = StdioServer(command=sys.executable, args=(str(SERVER),), env=(("MCP_TEST_MARKERS", str(markers)),))
        http = HttpServer(url=url)
        startup = {}
        for label, server in (("stdio", stdio), ("http", http)):
            started = now()
            server_tools(server, label=label)
            startup[label] = now() - started
        tools = {"in-process": agentkit.get_tool("stock_level"),
                 "mcp stdio": mcp_tool(stdio, "stock_level", name="s.stock_level", label="s"),
                 "mcp http": mcp_tool(http, "stock_level", name="h.stock_level", label="h")}
        block = (f"mcp_servers:\n  s: {{command: {sys.executable}, args: [{SERVER}], "
                 f"env: {{MCP_TEST_MARKERS: '{markers}'}}}}\n  h: {{url: '{url}'}}\n")
        graphs = {"in-process": _graph(folder, "local", "stock_level"),
                  "mcp stdio": _graph(folder, "viastdio", "s.stock_level", block),
                  "mcp http": _graph(folder, "viahttp", "h.stock_level", block)}
        for side in tools:  # warm up, and check every side answers the same
            assert tools[side].invoke({"product": "K200"}) == {"product": "K200", "units": 17}, side
            assert graphs[side].invoke({})["result"] == {"product": "K200", "units": 17}, side
        invoke: dict[str, list[float]] = {side: [] for side in tools}
        graph: dict[str, list[float]] = {side: [] for side in tools}
        for _ in range(calls):
            for side in tools:
                started = now()
                tools[side].invoke({"product": "K200"})
                invoke[side].append(now() - started)
                started = now()
                graphs[side].invoke({})
                graph[side].append(now() - started)
    finally:
        shutdown()
        http_process.terminate()
        http_process.wait(10)
    base_invoke, base_graph = median(invoke["in-process"]), median(graph["in-process"])
    rows = [[side, median(invoke[side]) * 1000, spread([t * 1000 for t in invoke[side]]),
             median(invoke[side]) / base_invoke, median(graph[side]) * 1000, median(graph[side]) / base_graph]
            for side in tools]
    print(f"\nTool call: {calls} calls a side, alternating (median ms; ratio to the same tool in process)")
    print(table(["side", "tool.invoke ms", "spread ms", "ratio", "graph invoke ms", "ratio"], rows))
    print(f"first connection (start, handshake, list tools): stdio {startup['stdio']:.2f} s, "
          f"http {startup['http']:.3f} s (server already running)")
    print(f"MCP cost per call over in process: stdio +{(median(invoke['mcp stdio']) - base_invoke) * 1000:.2f} ms, "
          f"http +{(median(invoke['mcp http']) - base_invoke) * 1000:.2f} ms")


RECALL = """\
name: remembered
description: Answer a question asked before, from memory.
state: {question: {type: str}, answer: {type: str}}
input: [question]
output: [answer]
entry: recall
nodes:
  recall: {kind: recall, collection: answers, query: "{question}", min_score: 0.9, outputs: {answer: answer}}
"""
QUESTION = "How often should the K200 kettle be descaled?"


async def _serve_round_trips(target: Any, runs: int) -> list[float]:
    import json

    from mcp import Client

    times = []
    async with Client(target) as client:
        for n in range(runs + 1):
            started = now()
            result = await client.call_tool("remembered", {"question": QUESTION})
            elapsed = now() - started
            data = json.loads(result.content[0].text)
            assert data["status"] == "done" and data["output"]["answer"] == "Every 4 weeks.", data
            if n:  # the first call loads the embedder in the server
                times.append(elapsed)
    return times


def bench_serve(runs: int, folder: Path) -> None:
    import anyio
    from mcp import StdioServerParameters

    from agentkit.memory.notes import remember_text
    from agentkit.runtime import Runner

    workspace = folder / "ws"
    os.environ["AGENTKIT_WORKSPACE"] = str(workspace)
    spec = folder / "remembered.yaml"
    spec.write_text(RECALL)
    remember_text(QUESTION, collection="answers", source="bench", metadata={"answer": "Every 4 weeks."})
    in_process = []
    with Runner() as runner:
        for n in range(runs + 1):
            started = now()
            result = runner.start(spec, {"question": QUESTION})
            if n:
                in_process.append(now() - started)
            assert result.values["answer"] == "Every 4 weeks.", result.values
    from agentkit.memory.store import close_stores

    close_stores()  # the servers below open the store themselves
    env = {"AGENTKIT_WORKSPACE": str(workspace), "HOME": os.environ.get("HOME", "/root")}
    command = [sys.executable, "-m", "agentkit.cli", "mcp", "serve", str(spec), "--no-memory"]
    stdio = anyio.run(_serve_round_trips, StdioServerParameters(command=command[0], args=command[1:], env=env,
                                                                cwd=str(folder)), runs)
    process = subprocess.Popen([*command, "--http", "--port", "0"], stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **env}, cwd=str(folder))
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        url = line.split(" at ")[1].split()[0]
        http = anyio.run(_serve_round_trips, url, runs)
    finally:
        process.terminate()
        process.wait(15)
    base = median(in_process)
    rows = [["Runner.start in process", base * 1000, spread([t * 1000 for t in in_process]), 1.0],
            ["agentkit mcp serve, stdio", median(stdio) * 1000, spread([t * 1000 for t in stdio]),
             median(stdio) / base],
            ["agentkit mcp serve, http", median(http) * 1000, spread([t * 1000 for t in http]), median(http) / base]]
    print(f"\nA graph answered from memory (recall), {runs} durable runs a side (median ms; ratio to in process)")
    print(table(["side", "round trip ms", "spread ms", "ratio"], rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    options = parser.parse_args()
    print(machine_line())
    with tempfile.TemporaryDirectory() as folder:
        bench_tools(options.calls, Path(folder))
        bench_serve(options.runs, Path(folder))
    print(loadavg_end_line())


if __name__ == "__main__":
    main()
