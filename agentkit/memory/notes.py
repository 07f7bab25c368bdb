"""Notes: short texts that graphs (``remember`` nodes) and agents (``save_memory``) store in memory.

A note is chunked like an ingested file when long, keeps its metadata and ``source``, and
gets an id from its text, source and metadata (not the time it was saved), so saving the
same note again stores nothing new.
"""

from __future__ import annotations

import hashlib
import time

from agentkit.memory.ingest import Page, chunk_records
from agentkit.memory.store import DEFAULT_COLLECTION, Record, get_store

__all__ = ["remember_text"]


def remember_text(text: str, *, collection: str = DEFAULT_COLLECTION, source: str = "memory",
                  metadata: dict[str, str] | None = None) -> list[str]:
    """Store ``text`` (chunked when long) with ``metadata``; returns the chunk ids.  The same
    text, source and metadata stored twice is stored once."""
    extra = {**(metadata or {})}
    digest = hashlib.sha256(repr(sorted(extra.items())).encode()).hexdigest()[:16]
    chunks = chunk_records(source, [Page(text=text)], extra={**extra, "saved_at": int(time.time())})
    # The id covers the metadata too (one text with other metadata is another note),
    # but not the time, so saving the same note again is a no-op.
    records = [Record(id=hashlib.sha256(f"{r.id}{digest}".encode()).hexdigest()[:40], text=r.text,
                      metadata=r.metadata) for r in chunks]
    get_store().add(collection, records)
    return [r.id for r in records]
