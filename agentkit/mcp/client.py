"""MCP servers' tools as LangChain tools, over connections that start lazily, once per process.

A server is a ``StdioServer`` (a command run as a child process, spoken to over its
stdin/stdout) or an ``HttpServer`` (a streamable-HTTP URL).  ``server_tools(server)``
connects on first use -- one connection per distinct server per process, shared by every
graph and thread -- and lists its tools; ``mcp_tool(server, tool, name=...)`` is one of them
as a langchain-core ``BaseTool`` whose JSON schema is the tool's ``inputSchema`` (so the
llama.cpp model decodes its arguments under that schema's grammar, like any other tool).

What a server sends is data.  A tool's description is shown to a model and nothing else:
which tools a node may call is decided by the graph, never by a server.  Arguments are
checked against the tool's ``inputSchema`` before they are sent; a result the server marks
as an error, and arguments that do not fit, raise ``ToolError`` (an agent's model reads
it).  A call that runs past its timeout raises ``McpTimeoutError``; a server that cannot be
started, or stops in the middle of a call, raises ``McpServerError`` -- both
``TransientError``, so a node's ``retry:`` retries them, and the next call starts the
server again.

Lifetime: the connections live in one background thread's event loop (an anyio blocking
portal) and are closed at interpreter exit (``atexit``: a finished run, an exception, Ctrl-C)
or by ``shutdown()``; the SDK closes a stdio server's stdin, then terminates its process
group.  On Linux a stdio server is also started with the parent-death signal set
(``PR_SET_PDEATHSIG``), so even a ``kill -9`` of agentkit leaves no server behind.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import math
import os
import re
import shlex
import shutil
import sys
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from langchain_core.tools import BaseTool

from agentkit.errors import McpServerError, McpTimeoutError, ToolError, UserError
from agentkit.extras import require

__all__ = [
    "DEFAULT_TIMEOUT_S",
    "STARTUP_TIMEOUT_S",
    "TOOL_NAME",
    "HttpServer",
    "McpTool",
    "ServerConfig",
    "ServerTool",
    "StdioServer",
    "mcp_tool",
    "server_tools",
    "shutdown",
]

_log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 60.0  # one tool call
STARTUP_TIMEOUT_S = 30.0  # start, handshake and the tool listing
TOOL_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,128}$")  # the MCP specification's tool names
MAX_DESCRIPTION = 2_000  # characters of a server's tool description shown to a model
MAX_RESULT_CHARS = 100_000  # characters of a tool's text result kept
MAX_TOOLS = 1_000  # tools listed from one server
_STDERR_TAIL = 1_500
_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")

# A stdio server is started through this few-line Python program (Linux): it asks the kernel
# to kill it when its parent thread -- the connection thread of this process -- ends, then
# becomes the server (exec keeps the request and the process id).
_GUARD = ("import ctypes,os,sys\n"
          "ctypes.CDLL(None,use_errno=True).prctl(1,9)\n"  # PR_SET_PDEATHSIG, SIGKILL
          "os.getppid()==int(sys.argv[1]) or os._exit(1)\n"  # the parent is already gone
          "try:os.execvp(sys.argv[2],sys.argv[2:])\n"
          "except OSError as e:print(f'cannot run {sys.argv[2]!r}: {e.strerror}',file=sys.stderr);os._exit(127)\n")


def _expand(value: str, where: str) -> str:
    """``${NAME}`` in ``value`` replaced by the environment variable NAME (secrets stay out of specs)."""
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise UserError(f"{where} uses ${{{name}}}, but the environment variable {name} is not set")
        return os.environ[name]

    return _ENV_REFERENCE.sub(replace, value)


@dataclass(frozen=True, kw_only=True)
class StdioServer:
    """A server run as a child process: ``command`` with ``args``, extra ``env`` (values may say
    ``${NAME}`` to take the variable from agentkit's environment), in ``cwd``.  The child gets
    only the SDK's safe environment (PATH, HOME, ...) plus ``env``."""

    command: str
    args: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    cwd: str | None = None

    def describe(self) -> str:
        return shlex.join([self.command, *self.args])


@dataclass(frozen=True, kw_only=True)
class HttpServer:
    """A streamable-HTTP server at ``url``, sent ``headers`` (values may say ``${NAME}``)."""

    url: str
    headers: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        return self.url


ServerConfig = StdioServer | HttpServer


@dataclass(frozen=True, kw_only=True)
class ServerTool:
    """A tool as a server lists it: its name, description, ``inputSchema`` and whether the
    server itself says it is destructive (``annotations.destructiveHint: true``)."""

    name: str
    description: str
    input_schema: dict[str, Any]
    destructive: bool = False


def _leaves(exc: BaseException) -> list[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for inner in exc.exceptions for leaf in _leaves(inner)]
    return [exc]


def _reason(exc: BaseException) -> str:
    leaf = _leaves(exc)[0]
    text = str(leaf).strip()
    return f"{type(leaf).__name__}: {text}" if text else type(leaf).__name__


def _is_connection_loss(exc: BaseException) -> bool:
    from mcp.shared.exceptions import MCPError
    from mcp_types import CONNECTION_CLOSED

    leaf = _leaves(exc)[0]
    if isinstance(leaf, MCPError):
        return leaf.code == CONNECTION_CLOSED
    return isinstance(leaf, (OSError, EOFError)) or type(leaf).__module__.startswith(("httpx", "anyio"))


@dataclass(eq=False)
class _Connection:
    """One live session with one server, run as a task in the hub's event loop."""

    config: ServerConfig
    label: str
    client: Any = None
    tools: dict[str, ServerTool] = field(default_factory=dict)
    alive: bool = False
    stop: Any = None  # an anyio.Event, made in the loop
    done: Any = None  # the task's concurrent Future
    errlog: Any = None  # a stdio server's stderr, kept for error messages

    def stderr_tail(self) -> str:
        if self.errlog is None:
            return ""
        try:  # pread: the server's stderr shares this file's offset, which must not move
            fd = self.errlog.fileno()
            size = os.fstat(fd).st_size
            text = os.pread(fd, _STDERR_TAIL, max(0, size - _STDERR_TAIL)).decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""
        return f"; its last output: {text}" if text else ""

    def _transport(self) -> Any:
        if isinstance(self.config, HttpServer):
            import httpx2
            from mcp.client.streamable_http import streamable_http_client

            headers = {k: _expand(v, f"MCP server {self.label!r}: headers.{k}") for k, v in self.config.headers}
            client = httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30.0, read=None))
            return streamable_http_client(self.config.url, http_client=client)
        from mcp.client.stdio import StdioServerParameters, stdio_client

        env = {k: _expand(v, f"MCP server {self.label!r}: env.{k}") for k, v in self.config.env}
        command, args = self.config.command, list(self.config.args)
        if sys.platform.startswith("linux"):
            command, args = sys.executable, ["-I", "-S", "-c", _GUARD, str(os.getpid()), command, *args]
        self.errlog = tempfile.TemporaryFile()  # noqa: SIM115 -- closed with the connection
        return stdio_client(StdioServerParameters(command=command, args=args, env=env, cwd=self.config.cwd),
                            errlog=self.errlog)

    async def run(self, startup_timeout: float, *, task_status: Any) -> None:
        import anyio
        from mcp import Client, Implementation

        self.stop = anyio.Event()
        started = False
        try:
            with anyio.CancelScope() as scope:
                scope.deadline = anyio.current_time() + startup_timeout
                async with Client(self._transport(), client_info=Implementation(name="agentkit", version="0.1.0"),
                                  cache=None) as client:
                    self.tools = await _list_tools(client, self.label)
                    scope.deadline = math.inf
                    self.client, self.alive, started = client, True, True
                    task_status.started()
                    await self.stop.wait()
            if not started:
                raise TimeoutError(f"no answer within {startup_timeout:g} s")
        finally:
            self.alive = False
            if self.errlog is not None and started:
                self.errlog.close()

    async def call(self, tool: str, arguments: dict[str, Any], timeout: float) -> Any:
        import anyio

        try:
            with anyio.fail_after(timeout):
                return await self.client.call_tool(tool, arguments)
        except Exception as exc:
            if _is_connection_loss(exc):
                self.alive = False
                self.stop.set()
            raise


async def _list_tools(client: Any, label: str) -> dict[str, ServerTool]:
    tools: dict[str, ServerTool] = {}
    cursor = None
    for _ in range(100):  # pages
        page = await client.list_tools(cursor=cursor)
        for tool in page.tools:
            if not TOOL_NAME.match(tool.name or "") or not isinstance(tool.input_schema, dict):
                _log.warning("MCP server %r: ignored a tool with an invalid name or schema: %.80r", label, tool.name)
                continue
            annotations = tool.annotations
            description = " ".join((tool.description or tool.title or "").split())
            tools[tool.name] = ServerTool(
                name=tool.name, description=description[:MAX_DESCRIPTION], input_schema=dict(tool.input_schema),
                destructive=bool(annotations is not None and annotations.destructive_hint is True))
            if len(tools) >= MAX_TOOLS:
                return tools
        cursor = page.next_cursor
        if not cursor:
            break
    return tools


class _Hub:
    """Every MCP connection of this process, in one event-loop thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stack: contextlib.ExitStack | None = None
        self._portal: Any = None
        self._connections: dict[ServerConfig, _Connection] = {}
        self._exit_hook = False

    def _loop(self) -> Any:
        if self._portal is None:
            from anyio.from_thread import start_blocking_portal

            stack = contextlib.ExitStack()
            self._portal = stack.enter_context(start_blocking_portal(name="agentkit-mcp"))
            self._stack = stack
            if not self._exit_hook:
                atexit.register(self.close)
                self._exit_hook = True
        return self._portal

    def connection(self, config: ServerConfig, label: str, startup_timeout: float) -> _Connection:
        with self._lock:
            current = self._connections.get(config)
            if current is not None and current.alive:
                return current
            portal = self._loop()
            if current is not None:  # it died: let it finish closing, then start again
                self._finish(current, portal)
            if isinstance(config, StdioServer) and shutil.which(config.command, path=os.environ.get("PATH")) is None \
                    and not os.path.isfile(os.path.join(config.cwd or "", config.command)):
                raise UserError(f"MCP server {label!r}: command {config.command!r} not found (on PATH, or as a "
                                f"file); install it or give its full path")
            connection = _Connection(config=config, label=label)
            try:
                connection.done, _ = portal.start_task(connection.run, startup_timeout, name=f"mcp:{label}")
            except UserError:
                raise
            except Exception as exc:
                verb = "started" if isinstance(config, StdioServer) else "reached"
                raise McpServerError(f"MCP server {label!r} ({config.describe()}) could not be {verb}: "
                                     f"{_reason(exc)}{connection.stderr_tail()}", server=label) from None
            finally:
                if not connection.alive and connection.errlog is not None:
                    connection.errlog.close()
            self._connections[config] = connection
            return connection

    def call(self, config: ServerConfig, label: str, tool: str, arguments: dict[str, Any], *,
             timeout: float, startup_timeout: float) -> Any:
        connection = self.connection(config, label, startup_timeout)
        try:
            return self._portal.call(connection.call, tool, arguments, timeout)
        except TimeoutError:
            raise McpTimeoutError(f"MCP tool {label}.{tool} did not answer within its timeout_s={timeout:g}; "
                                  f"the call was cancelled", server=label) from None
        except Exception as exc:
            from mcp.shared.exceptions import MCPError

            if _is_connection_loss(exc):
                again = "starts it again" if isinstance(config, StdioServer) else "connects again"
                raise McpServerError(f"MCP server {label!r} ({config.describe()}) stopped during a call to "
                                     f"{tool!r}: {_reason(exc)}{connection.stderr_tail()}; the next call {again}",
                                     server=label) from None
            if isinstance(_leaves(exc)[0], MCPError):  # the server refused the request itself
                raise ToolError(f"{label}.{tool}: {_leaves(exc)[0]}") from None
            raise

    @staticmethod
    def _finish(connection: _Connection, portal: Any, wait: float = 10.0) -> None:
        if connection.stop is not None:
            with contextlib.suppress(RuntimeError):
                portal.call(connection.stop.set)
        if connection.done is not None:
            with contextlib.suppress(BaseException):
                connection.done.result(timeout=wait)

    def close(self) -> None:
        """Close every connection (stdio servers are stopped) and the event-loop thread."""
        with self._lock:
            portal, stack = self._portal, self._stack
            connections = list(self._connections.values())
            self._connections.clear()
            self._portal = self._stack = None
            if portal is None or stack is None:
                return
            for connection in connections:
                with contextlib.suppress(RuntimeError):
                    portal.call(connection.stop.set)
            for connection in connections:
                with contextlib.suppress(BaseException):
                    connection.done.result(timeout=10.0)
            # What still runs is cancelled, so closing (and the process's exit) never waits on it: a call
            # whose caller was interrupted (Ctrl-C), or a connection whose start was, before it was kept.
            with contextlib.suppress(Exception):
                portal.call(portal.stop, True)
            with contextlib.suppress(Exception):
                stack.close()


_hub = _Hub()


def shutdown() -> None:
    """Close every MCP connection of this process now (it also happens at exit); later calls
    start servers again."""
    _hub.close()


def server_tools(server: ServerConfig, *, label: str = "", startup_timeout: float = STARTUP_TIMEOUT_S,
                 ) -> dict[str, ServerTool]:
    """The tools ``server`` lists, by name (the server is started, once per process, if it is not
    running).  ``label`` names the server in messages."""
    require("mcp", what="MCP servers' tools")
    return dict(_hub.connection(server, label or server.describe(), startup_timeout).tools)


def _check_arguments(schema: Mapping[str, Any], arguments: dict[str, Any], name: str) -> None:
    import jsonschema

    try:
        validator = jsonschema.validators.validator_for(schema)(schema)
        errors = sorted(validator.iter_errors(arguments), key=lambda e: list(e.absolute_path))
    except Exception as exc:  # a schema Python cannot check (a regex dialect re lacks, a remote $ref...)
        _log.warning("MCP tool %s: its inputSchema cannot be checked here (%s); the server checks the "
                     "arguments", name, exc)
        return
    if errors:
        problems = "; ".join(f"{'.'.join(map(str, e.absolute_path)) or 'arguments'}: {e.message}"
                             for e in errors[:5])
        raise ToolError(f"{name}: arguments do not fit the tool's input schema: {problems}")


def _clip(text: str) -> str:
    return text if len(text) <= MAX_RESULT_CHARS else text[:MAX_RESULT_CHARS] + "\n...(truncated)"


def _result_value(result: Any, name: str) -> Any:
    """A ``CallToolResult`` as plain data: its structured content (a lone ``result`` key, how SDKs
    wrap a value that is not an object, unwrapped), else its text (a lone JSON object or array
    parsed); images and other binary content are described, not passed on."""
    parts: list[str] = []
    for block in result.content or []:
        kind = getattr(block, "type", "")
        if kind == "text":
            parts.append(block.text)
        elif kind == "resource" and hasattr(block.resource, "text"):
            parts.append(block.resource.text)
        elif kind == "resource_link":
            parts.append(f"[resource {block.uri}]")
        else:
            parts.append(f"[{kind} content, {getattr(block, 'mime_type', None) or 'unknown type'}]")
    text = _clip("\n".join(parts))
    if result.is_error:
        raise ToolError(f"{name}: {text or 'the tool reported an error'}")
    structured = result.structured_content
    if isinstance(structured, dict):
        if set(structured) == {"result"}:
            return structured["result"]
        if len(json.dumps(structured, default=str)) <= MAX_RESULT_CHARS:
            return structured
    if len(parts) == 1 and text.lstrip().startswith(("{", "[")):  # JSON sent as text, as many servers do
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text


class McpTool(BaseTool):
    """One MCP server's tool as a langchain-core tool (see the module's documentation)."""

    server: Any  # ServerConfig
    server_label: str
    remote_name: str
    timeout_s: float = DEFAULT_TIMEOUT_S
    startup_timeout_s: float = STARTUP_TIMEOUT_S

    def _run(self, *args: Any, run_manager: Any = None, **kwargs: Any) -> Any:
        arguments = dict(kwargs)
        if isinstance(self.args_schema, dict):
            _check_arguments(self.args_schema, arguments, self.name)
        result = _hub.call(self.server, self.server_label, self.remote_name, arguments, timeout=self.timeout_s,
                           startup_timeout=self.startup_timeout_s)
        return _result_value(result, self.name)


def mcp_tool(server: ServerConfig, tool: str, *, name: str, label: str = "", timeout_s: float = DEFAULT_TIMEOUT_S,
             startup_timeout_s: float = STARTUP_TIMEOUT_S, high_risk: bool = False) -> McpTool:
    """The tool ``tool`` of ``server`` as a langchain-core tool called ``name`` (e.g.
    ``files.read_file``).  ``UserError`` naming the server's tools when it lists no such tool.
    It is high-risk (``metadata={"risk": "high"}``) when ``high_risk`` is true or the server
    marks it destructive: a server can make a tool stricter, never looser."""
    label = label or server.describe()
    listed = server_tools(server, label=label, startup_timeout=startup_timeout_s)
    found = listed.get(tool)
    if found is None:
        raise UserError(f"MCP server {label!r} has no tool {tool!r}; its tools: "
                        f"{', '.join(sorted(listed)) or '(none)'}")
    schema = found.input_schema or {"type": "object", "properties": {}}
    risky = high_risk or found.destructive
    metadata = {"mcp_server": label, **({"risk": "high"} if risky else {})}
    return McpTool(name=name, description=found.description or f"{tool} (from MCP server {label})",
                   args_schema=schema, server=server, server_label=label, remote_name=tool, timeout_s=timeout_s,
                   startup_timeout_s=startup_timeout_s, metadata=metadata)
