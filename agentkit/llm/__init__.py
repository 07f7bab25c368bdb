"""Local llama.cpp models: registry, pool, grammars and the LangChain chat model."""

from agentkit.llm.chat_model import ChatLlamaCpp
from agentkit.llm.pool import LlamaSettings, ModelPool, default_pool
from agentkit.llm.registry import DEFAULT_MODEL, KNOWN_MODELS, ModelCard, resolve_model

__all__ = [
    "ChatLlamaCpp",
    "DEFAULT_MODEL",
    "KNOWN_MODELS",
    "LlamaSettings",
    "ModelCard",
    "ModelPool",
    "default_pool",
    "get_chat_model",
    "resolve_model",
]


def get_chat_model(name: str | None = None, **settings: object) -> ChatLlamaCpp:
    """The chat model for ``name`` (a known model or a ``.gguf`` path; None: the default).

    ``settings`` are ``ChatLlamaCpp`` fields (temperature, max_tokens, n_ctx, seed, ...).
    Cheap to call: models with the same file and context settings share one instance.
    """
    return ChatLlamaCpp(model=name or DEFAULT_MODEL, **settings)
