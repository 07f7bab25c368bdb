"""agentkit: local-first, compositional agent graphs on LangGraph and llama.cpp."""

from agentkit.build import load
from agentkit.errors import AgentkitError, UserError
from agentkit.llm import ChatLlamaCpp, get_chat_model
from agentkit.registry import get_tool, register_function, register_node_kind, register_reducer, register_tool
from agentkit.runtime import Runner

__all__ = [
    # graphs
    "load",
    "register_function",
    "register_node_kind",
    "register_reducer",
    "register_tool",
    "get_tool",
    # runs
    "Runner",
    # models
    "ChatLlamaCpp",
    "get_chat_model",
    # errors
    "AgentkitError",
    "UserError",
]

__version__ = "0.1.0"
