"""Errors of the memory store; each says where the problem is and what would be valid."""

from __future__ import annotations

from agentkit.errors import AgentkitError, UserError

__all__ = [
    "COLLECTION_NAME_RULE",
    "CollectionNotFoundError",
    "InvalidCollectionNameError",
    "MemoryError_",
    "MemoryLockedError",
    "MemoryServerError",
]

# Chroma's own rule (chromadb.api.segment.check_index_name), which both the
# embedded store and the server enforce.
COLLECTION_NAME_RULE = ("3-63 characters; starts and ends with a letter or digit; otherwise only letters, "
                        "digits, '.', '_' and '-'; no '..'; not an IPv4 address")


class MemoryError_(AgentkitError):  # trailing underscore: the builtin MemoryError means out of RAM
    """Base class of the memory store's errors."""


class InvalidCollectionNameError(MemoryError_, UserError):
    """A collection name Chroma would refuse."""


class CollectionNotFoundError(MemoryError_, UserError, LookupError):
    """A query or drop of a collection that does not exist."""


class MemoryLockedError(MemoryError_, UserError):
    """Another process is writing to the same embedded store."""


class MemoryServerError(MemoryError_, UserError):
    """The Chroma server cannot be reached (or answered with an error)."""
