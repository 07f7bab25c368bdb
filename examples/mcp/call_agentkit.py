"""Call agentkit from an MCP client: the official SDK starts ``agentkit mcp serve rag_qa`` and asks it.

    .venv/bin/agentkit memory ingest examples/data/docs
    .venv/bin/python examples/mcp/call_agentkit.py "How often should I descale the K200 kettle?"

Node events arrive as progress notifications; the result is the run's JSON (thread id, status,
output).  Over HTTP instead: start ``agentkit mcp serve rag_qa --http`` and pass its URL
(``--url http://127.0.0.1:8765/mcp``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import anyio
from mcp import Client, StdioServerParameters


async def ask(question: str, url: str | None) -> None:
    async def progress(value: float, total: float | None, message: str | None) -> None:
        print(f"  .. {message}", file=sys.stderr)

    agentkit = os.path.join(os.path.dirname(sys.executable), "agentkit")
    workspace = os.environ.get("AGENTKIT_WORKSPACE", os.path.abspath(".agentkit"))
    server = url or StdioServerParameters(command=agentkit, args=["mcp", "serve", "rag_qa"],
                                          env={"AGENTKIT_WORKSPACE": workspace})
    async with Client(server) as client:
        tools = (await client.list_tools()).tools
        print("tools:", ", ".join(tool.name for tool in tools), file=sys.stderr)
        result = await client.call_tool("rag_qa", {"question": question}, progress_callback=progress)
    print(json.dumps(json.loads(result.content[0].text), indent=2))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("question")
    parser.add_argument("--url", help="an agentkit mcp serve --http endpoint instead of starting one")
    options = parser.parse_args()
    anyio.run(ask, options.question, options.url)
