"""A small MCP server (the official SDK's MCPServer) for the MCP examples: a warehouse's stock.

It speaks MCP over stdin/stdout when an MCP client -- here agentkit, through a graph's
``mcp_servers:`` -- starts it.  Nothing is downloaded; the data is below.
"""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

server = MCPServer("warehouse", log_level="WARNING")

STOCK = {"K200": {"name": "K200 kettle", "units": 17}, "T100": {"name": "T100 toaster", "units": 3}}


@server.tool()
def stock_level(product: str) -> dict:
    """How many units of a product (a code such as K200 or T100) are in the warehouse."""
    item = STOCK.get(product.strip().upper())
    return {"product": product, "name": item["name"], "units": item["units"]} if item else \
        {"product": product, "units": 0, "note": "unknown product code"}


@server.tool()
def products() -> list[str]:
    """The product codes the warehouse stocks."""
    return sorted(STOCK)


if __name__ == "__main__":
    server.run()
