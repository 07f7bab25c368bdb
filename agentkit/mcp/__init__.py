"""MCP (the Model Context Protocol), as a service: tools of any MCP server as langchain-core
tools (``client``), and plain tool definitions served to MCP clients over stdio or streamable
HTTP (``server``).  Needs the ``mcp`` extra (``pip install 'agentkit[mcp]'``).

Like the other services it knows nothing of the engine: graphs name a server's tools as
``server.tool`` through the spec's ``mcp_servers:`` key (resolved by ``agentkit.nodes``), and
``agentkit mcp serve`` turns graphs into the tool definitions served here
(``agentkit.runtime.mcp_tools``).
"""

from agentkit.mcp.client import (
    DEFAULT_TIMEOUT_S,
    STARTUP_TIMEOUT_S,
    TOOL_NAME,
    HttpServer,
    McpTool,
    ServerConfig,
    ServerTool,
    StdioServer,
    mcp_tool,
    server_tools,
    shutdown,
)
from agentkit.mcp.server import Progress, ServedTool, build_server, serve_http, serve_stdio

__all__ = [
    # servers and their tools
    "HttpServer",
    "StdioServer",
    "ServerConfig",
    "ServerTool",
    "McpTool",
    "mcp_tool",
    "server_tools",
    "shutdown",
    # serving tools to MCP clients
    "ServedTool",
    "Progress",
    "build_server",
    "serve_http",
    "serve_stdio",
    # limits
    "DEFAULT_TIMEOUT_S",
    "STARTUP_TIMEOUT_S",
    "TOOL_NAME",
]
