"""``agentkit mcp ...``: serve graphs as MCP tools; list the tools of a graph's MCP servers."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape

from agentkit.cli.common import JsonFlag, ThreadsOption
from agentkit.cli.common import err as _err
from agentkit.cli.common import out as _out
from agentkit.errors import UserError
from agentkit.network import is_loopback

__all__ = ["mcp_app"]

mcp_app = typer.Typer(no_args_is_help=True, help="MCP: serve graphs as MCP tools; list a graph's MCP servers' tools.")


@mcp_app.command()
def serve(
    graphs: Annotated[list[str] | None, typer.Argument(help="Graph files or shipped graph names "
                                                            "(default: every shipped graph).")] = None,
    http: Annotated[bool, typer.Option("--http", help="Serve streamable HTTP instead of stdio.")] = False,
    host: Annotated[str, typer.Option(help="HTTP address to listen on (loopback unless --allow-remote).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(help="HTTP port (0: a free one).", min=0, max=65535)] = 8765,
    allow_remote: Annotated[bool, typer.Option("--allow-remote", help="Allow --host to be an address other "
                                               "machines can reach (anyone who can connect can run the graphs).")]
    = False,
    memory: Annotated[bool, typer.Option(help="Also serve search_memory (read-only).")] = True,
    allow_imports: Annotated[bool, typer.Option(help="Let the graphs run code of their own: python nodes' "
                                                "'module:function' imports, stdio MCP servers' commands.")] = False,
    threads: ThreadsOption = None,
) -> None:
    """Serve graphs as MCP tools (and memory search), over stdio or streamable HTTP.

    Each call is a durable run in this workspace; its result has the thread id. A run that
    needs an approval stops and says how a person resumes it.
    """
    from agentkit.runtime.mcp_tools import served_tools

    if http and not allow_remote and not is_loopback(host):
        raise UserError(f"--host {host} is not a loopback address: anyone who can reach it could run these graphs; "
                        f"pass --allow-remote to mean it")
    tools = served_tools(graphs or [], memory=memory, allow_imports=allow_imports)
    names = ", ".join(tool.name for tool in tools)
    from agentkit.mcp import serve_http, serve_stdio

    if not http:
        _err.print(f"agentkit mcp: serving {names} over stdio", highlight=False)
        serve_stdio(tools)
        return
    serve_http(tools, host=host, port=port,
               ready=lambda url: _err.print(f"agentkit mcp: serving {names} at {url} (Ctrl-C stops)",
                                            highlight=False))


@mcp_app.command("tools")
def list_tools(
    file: Annotated[str, typer.Argument(help="A graph spec that declares mcp_servers:.")],
    as_json: JsonFlag = False,
) -> None:
    """Start the MCP servers a graph declares (their commands run) and list their tools as nodes name
    them (SERVER.TOOL)."""
    from agentkit.mcp import server_tools
    from agentkit.nodes import mcp_server_config
    from agentkit.spec import load_spec

    spec = load_spec(file)
    if not spec.mcp_servers:
        raise UserError(f"{file} declares no MCP servers (mcp_servers:)")
    base_dir = spec.origin.path.parent if spec.origin.path else None
    rows = []
    for server, declared in spec.mcp_servers.items():
        config = mcp_server_config(declared, base_dir=base_dir)
        listed = server_tools(config, label=server, startup_timeout=declared.startup_timeout_s)
        for name, tool in sorted(listed.items()):
            rows.append({"name": f"{server}.{name}", "allowed": declared.tools is None or name in declared.tools,
                         "high_risk": name in declared.high_risk or tool.destructive,
                         "description": tool.description, "input_schema": tool.input_schema})
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        flags = ([] if row["allowed"] else ["not allowed by tools:"]) + (["high-risk"] if row["high_risk"] else [])
        _out.print(f"[cyan]{escape(row['name'])}[/cyan]" + (f" [dim]({', '.join(flags)})[/dim]" if flags else "")
                   + f": {escape(row['description'][:200])}", highlight=False)
