"""Memory tools an agent can call: ``search_memory`` and ``save_memory``.

Thin wrappers over ``agentkit.memory`` (the process's shared store: the
workspace, or ``AGENTKIT_CHROMA_URL``).  Their replies are plain text for the
model; a missing collection or a bad name comes back as a message the model
can act on, not an exception that ends the run.
"""

from __future__ import annotations

from langchain_core.tools import tool
from pydantic import BaseModel, Field

from agentkit.errors import MemoryStoreError
from agentkit.extras import require

require("memory", what="the memory tools (search_memory, save_memory)")

from agentkit.memory.notes import remember_text  # noqa: E402  (after the check that names the extra)
from agentkit.memory.store import DEFAULT_COLLECTION, get_store  # noqa: E402

__all__ = ["save_memory", "search_memory"]


class SearchMemoryArgs(BaseModel):
    query: str = Field(max_length=200, description="What to look for, in plain words.")
    collection: str = Field(default=DEFAULT_COLLECTION, description="The memory collection to search.")
    k: int = Field(default=4, ge=1, le=20, description="How many passages to return.")


class SaveMemoryArgs(BaseModel):
    text: str = Field(description="The fact or note to remember, self-contained.")
    collection: str = Field(default=DEFAULT_COLLECTION, description="The memory collection to write to.")


@tool(args_schema=SearchMemoryArgs)
def search_memory(query: str, collection: str = DEFAULT_COLLECTION, k: int = 4) -> str:
    """Search long-term memory for passages about a question; returns them with their sources."""
    try:
        hits = get_store().query(collection, query, k=k)
    except MemoryStoreError as exc:
        return f"memory search failed: {exc}"
    if not hits:
        return f"nothing found in memory collection {collection!r}"
    lines = []
    for n, hit in enumerate(hits, 1):
        page = f", page {hit.metadata['page']}" if "page" in hit.metadata else ""
        lines.append(f"[{n}] ({hit.source}{page}; score {hit.score:.2f})\n{hit.text}")
    return "\n\n".join(lines)


@tool(args_schema=SaveMemoryArgs)
def save_memory(text: str, collection: str = DEFAULT_COLLECTION) -> str:
    """Save a fact or note to long-term memory so it can be found later."""
    if not text.strip():
        return "nothing saved: the text is empty"
    try:
        ids = remember_text(text.strip(), collection=collection, source="agent")
    except MemoryStoreError as exc:
        return f"memory save failed: {exc}"
    return f"saved to memory collection {collection!r} ({len(ids)} chunk{'s' if len(ids) != 1 else ''})"


# Which collection a model's search or note reaches is the graph's choice, never the model's: a
# node that gives these tools to a model fixes `collection` (its `pin:`, or the default collection).
for _tool in (search_memory, save_memory):
    _tool.metadata = {**(_tool.metadata or {}), "data_args": ["collection"]}
