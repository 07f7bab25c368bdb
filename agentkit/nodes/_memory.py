"""What the memory node kinds share: the collection key and the search keys (query, filter)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from agentkit.memory.store import DEFAULT_COLLECTION, check_collection_name
from agentkit.nodes import NodeSpec, check_template

__all__ = ["MEMORY_REQUIRES", "MemoryNode", "SearchNode"]

# What the memory kinds need installed (the `memory` extra): Chroma and the offline embedder.
MEMORY_REQUIRES = ("chromadb", "onnxruntime", "tokenizers")


class MemoryNode(NodeSpec):
    """A node that reads or writes one memory collection."""

    collection: str = DEFAULT_COLLECTION

    @field_validator("collection")
    @classmethod
    def _valid_collection(cls, value: str) -> str:
        try:
            return check_collection_name(value)
        except Exception as exc:
            raise ValueError(str(exc)) from None


class SearchNode(MemoryNode):
    """A node that searches a collection with a query templated from state."""

    query: str = Field(min_length=1)
    filter: dict[str, Any] | None = Field(default=None, description="a Chroma 'where' document over metadata")

    @field_validator("query")
    @classmethod
    def _query_template(cls, value: str) -> str:
        return check_template(value)

    def templates(self) -> dict[str, str | None]:
        return {"query": self.query}
