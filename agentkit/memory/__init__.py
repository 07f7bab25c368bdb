"""Retrieval memory: Chroma collections of document chunks, embedded offline.

- ``embeddings``: all-MiniLM-L6-v2 (int8 ONNX on onnxruntime), one per process.
- ``store``: the Chroma store (embedded in the workspace, or a server by URL).
- ``ingest``: files and folders -> chunks with source/page/chunk metadata.
- ``notes``: short texts remembered by graphs and agents (``remember_text``).

The memory node kinds (``retrieve``, ``remember``, ``recall``, ``cite``) live in ``agentkit.nodes``.

The embedding names are imported on first use (PEP 562): importing this package
(as agentkit's plug-in loading does) does not load chromadb and onnxruntime.
"""

from __future__ import annotations

import importlib
from typing import Any

from agentkit.errors import (
    CollectionNotFoundError,
    InvalidCollectionNameError,
    MemoryLockedError,
    MemoryServerError,
)
from agentkit.memory.ingest import IngestReport, ingest
from agentkit.memory.notes import correct_answer, forget_answer, remember_text, remembered_answers
from agentkit.memory.store import MMR, Hit, MemoryStore, Record, get_store

_LAZY = {"EMBEDDING_MODEL", "MiniLMEmbedder", "get_embedder"}  # from agentkit.memory.embeddings

__all__ = [
    # store
    "MemoryStore",
    "get_store",
    "Hit",
    "MMR",
    "Record",
    # embeddings
    "EMBEDDING_MODEL",
    "MiniLMEmbedder",
    "get_embedder",
    # writing
    "IngestReport",
    "ingest",
    "remember_text",
    # remembered answers
    "correct_answer",
    "forget_answer",
    "remembered_answers",
    # errors
    "CollectionNotFoundError",
    "InvalidCollectionNameError",
    "MemoryLockedError",
    "MemoryServerError",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module("agentkit.memory.embeddings"), name)
    raise AttributeError(f"module 'agentkit.memory' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
