"""agentkit: local-first, compositional agent graphs on LangGraph and llama.cpp.

Where things are: ``agentkit.spec`` parses and checks graph specs; ``agentkit.nodes``
holds every node kind and the API to define one; ``agentkit.compile`` turns a spec into
a LangGraph graph; ``agentkit.runtime`` drives runs; ``agentkit.cli`` is the command
line.  Models (``agentkit.llm``), memory (``agentkit.memory``) and vision
(``agentkit.vision``) are the services node kinds and tools use.
"""

from agentkit.errors import AgentkitError, RunStopped, ToolError, TransientError, UserError
from agentkit.llm import ChatLlamaCpp, get_chat_model
from agentkit.nodes import register_mcp_server
from agentkit.registry import (
    NodeKind,
    get_tool,
    register_function,
    register_node_kind,
    register_reducer,
    register_tool,
)
from agentkit.runtime import Runner, load
from agentkit.spec import GraphBuilder, GraphSpec, load_spec

__all__ = [
    # graphs
    "GraphBuilder",
    "GraphSpec",
    "load",
    "load_spec",
    # extending
    "NodeKind",
    "register_function",
    "register_node_kind",
    "register_reducer",
    "register_tool",
    "register_mcp_server",
    "get_tool",
    # runs
    "Runner",
    "batch",
    # models
    "ChatLlamaCpp",
    "get_chat_model",
    # errors (every one is in agentkit.errors)
    "AgentkitError",
    "RunStopped",
    "ToolError",
    "TransientError",
    "UserError",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """``agentkit.batch(...)``: ``agentkit.batching.batch``, imported on first use."""
    if name == "batch":
        from agentkit.batching import batch

        return batch
    raise AttributeError(f"module 'agentkit' has no attribute {name!r}")
