"""Retrieval memory: Chroma collections of document chunks, embedded offline.

- ``embeddings``: all-MiniLM-L6-v2 (int8 ONNX on onnxruntime), one per process.
- ``store``: the Chroma store (embedded in the workspace, or a server by URL).
- ``ingest``: files and folders -> chunks with source/page/chunk metadata.
- ``nodes``: the ``retrieve`` and ``remember`` node kinds.
"""

from agentkit.memory.embeddings import EMBEDDING_MODEL, MiniLMEmbedder, get_embedder
from agentkit.memory.errors import (
    CollectionNotFoundError,
    InvalidCollectionNameError,
    MemoryLockedError,
    MemoryServerError,
)
from agentkit.memory.ingest import IngestReport, ingest
from agentkit.memory.nodes import remember_text
from agentkit.memory.store import MMR, Hit, MemoryStore, Record, get_store

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
    # errors
    "CollectionNotFoundError",
    "InvalidCollectionNameError",
    "MemoryLockedError",
    "MemoryServerError",
]
