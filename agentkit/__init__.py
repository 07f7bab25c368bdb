"""agentkit: local-first, compositional agent graphs on LangGraph and llama.cpp."""

from agentkit.errors import AgentkitError, UserError
from agentkit.llm import ChatLlamaCpp, get_chat_model

__all__ = [
    # models
    "ChatLlamaCpp",
    "get_chat_model",
    # errors
    "AgentkitError",
    "UserError",
]

__version__ = "0.1.0"
