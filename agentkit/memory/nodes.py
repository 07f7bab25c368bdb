"""The ``retrieve``, ``remember`` and ``recall`` node kinds (plug-in kinds, registered
through the ``agentkit.node_kinds`` entry-point group).

```yaml
find:  {kind: retrieve, query: "{question}", collection: handbook, k: 4,
        filter: {source: handbook/leave.md}, mmr: {fetch_k: 20, lambda: 0.5}, output: docs}
note:  {kind: remember, text: "{question} -> {answer}", metadata: {topic: "{topic}"},
        collection: notes, output: note_ids}
known: {kind: recall, query: "{question}", collection: answers, min_score: 0.95,
        outputs: {answer: answer, sources: sources}}
```

``retrieve`` writes a list of ``{text, source, page, chunk, score, metadata}`` into ``output``;
``remember`` writes the rendered text (chunked when long) with its metadata and
``source`` (default ``memory:<node name>``), and the ids it stored into ``output``
if given.  ``recall`` looks the query up among remembered notes and, when the best
one scores at least ``min_score`` (cosine similarity), copies its text, score,
source or metadata values into the fields ``outputs`` names (metadata that
``remember`` rendered as JSON comes back as lists and dicts); otherwise it writes
nothing, so a router can tell "known" from "new".  All use the process's shared store (``AGENTKIT_CHROMA_URL`` or the
workspace); it opens, and the embedding model loads, on the first run, not at
build time.  Retrieved text only ever lands in state: it cannot change what a
node may do.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any, Callable, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from agentkit.memory.store import DEFAULT_COLLECTION, MMR, Record, check_collection_name, get_store
from agentkit.registry import NodeKind
from agentkit.spec.validate import check_template

__all__ = ["MMRSpec", "RECALL", "REMEMBER", "RETRIEVE", "RecallNode", "RememberNode", "RetrieveNode", "remember_text"]


class _MemoryNode(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    collection: str = DEFAULT_COLLECTION

    @field_validator("collection")
    @classmethod
    def _valid_collection(cls, value: str) -> str:
        try:
            return check_collection_name(value)
        except Exception as exc:
            raise ValueError(str(exc)) from None


class MMRSpec(BaseModel):
    """``mmr: {fetch_k, lambda}``: fetch ``fetch_k`` candidates, keep ``k`` relevant and varied ones."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    fetch_k: int = Field(default=20, ge=1, le=1000)
    lambda_mult: float = Field(default=0.5, ge=0, le=1, alias="lambda")


class _SearchNode(_MemoryNode):
    """A node that searches a collection with a query templated from state."""

    query: str = Field(min_length=1)
    filter: dict[str, Any] | None = Field(default=None, description="a Chroma 'where' document over metadata")

    @field_validator("query")
    @classmethod
    def _query_template(cls, value: str) -> str:
        return check_template(value)

    def templates(self) -> dict[str, str]:
        return {"query": self.query}


class RetrieveNode(_SearchNode):
    """Search a collection with a query templated from state; hits go into ``output``."""

    kind: Literal["retrieve"]
    k: int = Field(default=4, ge=1, le=100)
    mmr: bool | MMRSpec = False
    output: str


class RememberNode(_MemoryNode):
    """Write text (and metadata) templated from state into a collection."""

    kind: Literal["remember"]
    text: str = Field(min_length=1)
    metadata: dict[str, str] = Field(default_factory=dict)
    source: str | None = None
    output: str | None = None

    @field_validator("text", "source")
    @classmethod
    def _templates(cls, value: str | None) -> str | None:
        return check_template(value)

    @field_validator("metadata")
    @classmethod
    def _metadata_templates(cls, value: dict[str, str]) -> dict[str, str]:
        for key, template in value.items():
            if key in ("chunk", "page", "source", "saved_at"):
                raise ValueError(f"metadata key {key!r} is set by agentkit; choose another name")
            check_template(template)
        return value

    def templates(self) -> dict[str, str | None]:
        return {"text": self.text, "source": self.source,
                **{f"metadata.{key}": value for key, value in self.metadata.items()}}


class RecallNode(_SearchNode):
    """Look a query up among remembered notes; when the best match scores at least
    ``min_score``, copy its text or metadata into state fields (else write nothing)."""

    kind: Literal["recall"]
    min_score: float = Field(default=0.95, ge=0, le=1)
    outputs: dict[str, str] = Field(min_length=1, description="state field -> 'text', 'score', 'source' or a "
                                                              "metadata key of the note")
    output: str | None = None

    def state_fields(self) -> dict[str, str]:
        return {f"outputs.{field}": field for field in self.outputs}


def _render(template: str, state: dict[str, Any]) -> str:
    from agentkit.build.compile import render

    return render(template, state)


def build_retrieve(name: str, node: RetrieveNode, options: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    mmr = None
    if node.mmr:
        spec = node.mmr if isinstance(node.mmr, MMRSpec) else MMRSpec()
        mmr = MMR(fetch_k=spec.fetch_k, lambda_mult=spec.lambda_mult)

    def run(state: dict[str, Any]) -> dict[str, Any]:
        query = _render(node.query, state).strip()
        hits = get_store().query(node.collection, query, k=node.k, where=node.filter, mmr=mmr) if query else []
        return {node.output: [hit.to_dict() for hit in hits]}

    return run


def build_remember(name: str, node: RememberNode, options: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def run(state: dict[str, Any]) -> dict[str, Any]:
        text = _render(node.text, state).strip()
        ids: list[str] = []
        if text:
            metadata = {key: _render(value, state) for key, value in node.metadata.items()}
            source = _render(node.source, state) if node.source else f"memory:{name}"
            ids = remember_text(text, collection=node.collection, source=source, metadata=metadata)
        return {node.output: ids} if node.output else {}

    return run


def _stored_value(value: Any) -> Any:
    """A metadata value as stored, with JSON lists and dicts (how ``remember`` renders them) decoded."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def build_recall(name: str, node: RecallNode, options: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def run(state: dict[str, Any]) -> dict[str, Any]:
        query = _render(node.query, state).strip()
        store = get_store()
        if not query or node.collection not in store.collection_names():
            return {}
        hits = store.query(node.collection, query, k=1, where=node.filter)
        if not hits or hits[0].score < node.min_score:
            return {}
        hit = hits[0]
        found = {"text": hit.text, "score": round(hit.score, 4), **hit.metadata}
        return {field: _stored_value(found.get(key)) for field, key in node.outputs.items()}

    return run


def remember_text(text: str, *, collection: str = DEFAULT_COLLECTION, source: str = "memory",
                  metadata: dict[str, str] | None = None) -> list[str]:
    """Store ``text`` (chunked when long) with ``metadata``; returns the chunk ids.  The same
    text, source and metadata stored twice is stored once."""
    from agentkit.memory.ingest import Page, chunk_records

    extra = {**(metadata or {})}
    digest = hashlib.sha256(repr(sorted(extra.items())).encode()).hexdigest()[:16]
    chunks = chunk_records(source, [Page(text=text)], extra={**extra, "saved_at": int(time.time())})
    # The id covers the metadata too (one text with other metadata is another note),
    # but not the time, so saving the same note again is a no-op.
    records = [Record(id=hashlib.sha256(f"{r.id}{digest}".encode()).hexdigest()[:40], text=r.text,
                      metadata=r.metadata) for r in chunks]
    get_store().add(collection, records)
    return [r.id for r in records]


RECALL = NodeKind(name="recall", model=RecallNode, build=build_recall)
RETRIEVE = NodeKind(name="retrieve", model=RetrieveNode, build=build_retrieve)
REMEMBER = NodeKind(name="remember", model=RememberNode, build=build_remember)
