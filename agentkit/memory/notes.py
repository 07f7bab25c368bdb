"""Notes: short texts that graphs (``remember`` nodes) and agents (``save_memory``) store in memory.

A note is chunked like an ingested file when long, keeps its metadata and ``source``, and
gets an id from its text, source and metadata (not the time it was saved), so saving the
same note again stores nothing new.

Remembered answers (the assistant keeps a note per question in the ``answers`` collection,
its answer and sources as metadata) can be looked at, corrected and forgotten:
``remembered_answers``, ``correct_answer``, ``forget_answer``.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from agentkit.memory.ingest import Page, chunk_records
from agentkit.memory.store import DEFAULT_COLLECTION, Hit, Record, get_store

__all__ = ["ANSWERS", "correct_answer", "forget_answer", "remember_text", "remembered_answers"]

ANSWERS = "answers"  # the collection the assistant remembers its answers in
_SAME_QUESTION = 0.9  # cosine similarity at which a remembered question counts as this one


def remember_text(text: str, *, collection: str = DEFAULT_COLLECTION, source: str = "memory",
                  metadata: dict[str, str | int | float | bool] | None = None) -> list[str]:
    """Store ``text`` (chunked when long) with ``metadata`` (text or scalars, as Chroma keeps
    them); returns the chunk ids.  The same text, source and metadata stored twice is stored once."""
    extra = {**(metadata or {})}
    digest = hashlib.sha256(repr(sorted(extra.items())).encode()).hexdigest()[:16]
    chunks = chunk_records(source, [Page(text=text)], extra={**extra, "saved_at": int(time.time())})
    # The id covers the metadata too (one text with other metadata is another note),
    # but not the time, so saving the same note again is a no-op.
    records = [Record(id=hashlib.sha256(f"{r.id}{digest}".encode()).hexdigest()[:40], text=r.text,
                      metadata=r.metadata) for r in chunks]
    get_store().add(collection, records)
    return [r.id for r in records]


def remembered_answers(question: str, *, collection: str = ANSWERS, min_score: float = _SAME_QUESTION,
                       k: int = 5) -> list[Hit]:
    """The remembered answers to ``question`` (questions at least ``min_score`` alike), best first."""
    store = get_store()
    if collection not in store.collection_names():
        return []
    return [hit for hit in store.query(collection, question, k=k, hybrid=False) if hit.score >= min_score]


def forget_answer(question: str, *, collection: str = ANSWERS, min_score: float = _SAME_QUESTION) -> list[Hit]:
    """Forget every remembered answer to ``question``; returns what was forgotten."""
    found = remembered_answers(question, collection=collection, min_score=min_score)
    get_store().delete(collection, [hit.id for hit in found])
    return found


def correct_answer(question: str, answer: str, *, sources: list[dict[str, Any]] | None = None,
                   collection: str = ANSWERS) -> list[str]:
    """Replace what is remembered for ``question`` with ``answer`` (a person's correction, stored with
    ``corrected: yes``); a later ask is answered with it.  Returns the new note's ids."""
    forget_answer(question, collection=collection)
    cited = sources or [{"source": "correction", "page": None}]
    metadata: dict[str, str | int | float | bool] = {
        "answer": answer, "sources": json.dumps(cited), "corrected": "yes", "supported": True}  # a person vouches
    return remember_text(question, collection=collection, source="correction", metadata=metadata)
