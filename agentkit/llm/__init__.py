"""Local llama.cpp models: registry, pool, grammars and the LangChain chat model."""

from typing import Any

from langchain_core.language_models import BaseChatModel

from agentkit.llm.chat_model import ChatLlamaCpp
from agentkit.llm.pool import LlamaSettings, ModelPool, default_pool
from agentkit.llm.registry import DEFAULT_MODEL, KNOWN_MODELS, ModelCard, resolve_model
from agentkit.llm.remote import RemoteModel, looks_like_url, read_models_file, remote_model
from agentkit.llm.remote import chat_model_for as _chat_model_for

__all__ = [
    "ChatLlamaCpp",
    "DEFAULT_MODEL",
    "KNOWN_MODELS",
    "LlamaSettings",
    "ModelCard",
    "ModelPool",
    "RemoteModel",
    "check_spec_model",
    "default_pool",
    "get_chat_model",
    "read_models_file",
    "remote_model",
    "resolve_model",
]


def check_spec_model(name: str | None) -> None:
    """Refuse a model name that a graph spec (data, possibly someone else's) may not use: the URL
    of a server that is not on loopback (other hosts are reached through the user's models file)."""
    if name is not None and looks_like_url(name):
        remote_model(name, allow_remote=False)


def get_chat_model(name: str | None = None, **settings: Any) -> BaseChatModel:
    """The chat model for ``name``: a known model or a ``.gguf`` path (None: the default), an
    entry of the models file or the URL of an OpenAI-compatible server (``agentkit.llm.remote``).

    ``settings`` are ``ChatLlamaCpp`` fields (temperature, max_tokens, n_ctx, seed, ...); a served
    model takes temperature, max_tokens, seed, top_p, stop, timeout_s, max_retries.  Cheap to call:
    local models with the same file and context settings share one instance.  Names written in a
    graph spec are checked with ``check_spec_model`` first.
    """
    if name is not None and name not in KNOWN_MODELS and not name.endswith(".gguf"):
        remote = remote_model(name)
        if remote is not None:
            return _chat_model_for(remote, **settings)
    return ChatLlamaCpp(model=name or DEFAULT_MODEL, **settings)
