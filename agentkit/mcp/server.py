"""Plain tool definitions served to MCP clients, over stdio or streamable HTTP.

A ``ServedTool`` is a name, a description, a JSON ``input_schema`` and a function
``run(arguments, progress) -> data`` (run in a worker thread; ``progress(message)`` sends the
caller an MCP progress notification when it asked for them).  Arguments are checked against
the schema before ``run`` sees them.  What ``run`` returns is sent as JSON text and, when it
is an object, as structured content; an ``AgentkitError`` it raises becomes an error result
whose text is the error's message (a ``UserError`` is the caller's to fix), anything else an
error result saying the call failed, logged here with its traceback.

``serve_stdio(tools)`` speaks MCP on this process's stdin/stdout (the SDK points file
descriptor 1 at stderr meanwhile, so nothing printed can corrupt the protocol);
``serve_http(tools, host=..., port=...)`` serves streamable HTTP at ``http://HOST:PORT/mcp``
(with the SDK's DNS-rebinding protection on a loopback address).  The engine turns graphs into
``ServedTool``s (``agentkit.runtime.mcp_tools``); this module knows nothing of graphs.
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from agentkit.errors import AgentkitError, UserError
from agentkit.extras import require

__all__ = ["Progress", "ServedTool", "build_server", "serve_http", "serve_stdio"]

_log = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass(frozen=True, kw_only=True)
class ServedTool:
    """One tool an MCP client may call: ``run(arguments, progress)`` does the work."""

    name: str
    description: str
    input_schema: dict[str, Any]
    run: Callable[[dict[str, Any], Progress], Any]
    read_only: bool = False


def _argument_problems(schema: Mapping[str, Any], arguments: dict[str, Any]) -> str:
    import jsonschema

    try:
        validator = jsonschema.validators.validator_for(schema)(schema)
        errors = sorted(validator.iter_errors(arguments), key=lambda e: list(e.absolute_path))
    except Exception:  # a schema jsonschema cannot apply: the tool itself checks what it gets
        _log.warning("the input schema of an MCP tool cannot be checked here", exc_info=True)
        return ""
    return "; ".join(f"{'.'.join(map(str, e.absolute_path)) or 'arguments'}: {e.message}" for e in errors[:5])


def build_server(tools: Sequence[ServedTool], *, name: str = "agentkit", instructions: str | None = None) -> Any:
    """A low-level MCP ``Server`` offering ``tools`` (names must be unique)."""
    require("mcp", what="serving MCP tools")
    import anyio
    import anyio.from_thread
    import anyio.to_thread
    import mcp_types as types
    from mcp.server import Server

    by_name: dict[str, ServedTool] = {}
    for tool in tools:
        if tool.name in by_name:
            raise UserError(f"two MCP tools are named {tool.name!r}; serve each graph once, under distinct names")
        by_name[tool.name] = tool

    def error(text: str) -> Any:
        return types.CallToolResult(content=[types.TextContent(type="text", text=text)], is_error=True)

    async def list_tools(ctx: Any, params: Any) -> Any:
        return types.ListToolsResult(tools=[
            types.Tool(name=tool.name, description=tool.description, input_schema=tool.input_schema,
                       annotations=types.ToolAnnotations(read_only_hint=tool.read_only))
            for tool in by_name.values()])

    async def call_tool(ctx: Any, params: Any) -> Any:
        tool = by_name.get(params.name)
        if tool is None:
            return error(f"unknown tool {params.name!r}; tools: {', '.join(by_name)}")
        arguments = dict(params.arguments or {})
        problems = _argument_problems(tool.input_schema, arguments)
        if problems:
            return error(f"{tool.name}: arguments do not fit its input schema: {problems}")
        sent = [0]

        def progress(message: str) -> None:
            sent[0] += 1
            try:
                anyio.from_thread.run(ctx.session.report_progress, sent[0], None, message)
            except Exception:  # a client gone away must not stop the work
                _log.debug("progress notification not delivered", exc_info=True)

        try:
            value = await anyio.to_thread.run_sync(tool.run, arguments, progress, abandon_on_cancel=True)
        except UserError as exc:
            return error(str(exc))
        except AgentkitError as exc:
            return error(f"{type(exc).__name__}: {exc}")
        except Exception as exc:
            _log.exception("MCP tool %s failed", tool.name)
            return error(f"{tool.name} failed: {type(exc).__name__}: {exc}")
        text = json.dumps(value, ensure_ascii=False, default=str)
        structured = json.loads(text) if isinstance(value, dict) else None
        return types.CallToolResult(content=[types.TextContent(type="text", text=text)],
                                    structured_content=structured)

    return Server(name, version=_version(), instructions=instructions, on_list_tools=list_tools,
                  on_call_tool=call_tool)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("agentkit")
    except PackageNotFoundError:
        return "0"


def serve_stdio(tools: Sequence[ServedTool], **options: Any) -> None:
    """Serve ``tools`` on this process's stdin/stdout until the client closes stdin."""
    server = build_server(tools, **options)
    import anyio
    from mcp.server.stdio import stdio_server

    async def main() -> None:
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())

    anyio.run(main)


def serve_http(tools: Sequence[ServedTool], *, host: str = "127.0.0.1", port: int = 8765,
               ready: Callable[[str], None] | None = None, **options: Any) -> None:
    """Serve ``tools`` over streamable HTTP at ``http://HOST:PORT/mcp`` until interrupted
    (port 0: a free port; ``ready(url)`` is called once the socket listens)."""
    server = build_server(tools, **options)
    import uvicorn

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port "
                        f"(0 picks a free one)") from None
    sock.listen(128)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    app = server.streamable_http_app(host=host)
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    if ready is not None:
        ready(f"http://{shown}:{bound}/mcp")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
