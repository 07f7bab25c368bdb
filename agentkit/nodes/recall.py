"""The ``recall`` node kind: answer from memory when a note close enough is there.

```yaml
known: {kind: recall, query: "{question}", collection: answers, min_score: 0.95,
        outputs: {answer: answer, sources: sources}}
```

Looks the query up among remembered notes; when the best one scores at least
``min_score`` (cosine similarity), copies its ``text``, ``score``, ``source`` or metadata
values into the fields ``outputs`` names (metadata that ``remember`` rendered as JSON comes
back as lists and dicts); otherwise it writes nothing, so a router can tell "known" from
"new".
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import Field

from agentkit.memory.store import get_store
from agentkit.nodes import BuildContext, NodeAction, NodeKind, render
from agentkit.nodes._memory import MEMORY_REQUIRES, SearchNode

__all__ = ["KIND", "RecallNode", "build_recall"]


class RecallNode(SearchNode):
    """Look a query up among remembered notes; when the best match scores at least
    ``min_score``, copy its text or metadata into state fields (else write nothing)."""

    kind: Literal["recall"]
    min_score: float = Field(default=0.95, ge=0, le=1)
    outputs: dict[str, str] = Field(min_length=1, description="state field -> 'text', 'score', 'source' or a "
                                                              "metadata key of the note")
    output: str | None = None

    def writes(self) -> dict[str, str | None]:
        return {**super().writes(), **{f"outputs.{field}": field for field in self.outputs}}


def _stored_value(value: Any) -> Any:
    """A metadata value as stored, with JSON lists and dicts (how ``remember`` renders them) decoded."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def build_recall(name: str, node: RecallNode, context: BuildContext) -> NodeAction:
    def run(state: dict[str, Any]) -> dict[str, Any]:
        query = render(node.query, state).strip()
        store = get_store()
        if not query or node.collection not in store.collection_names():
            return {}
        hits = store.query(node.collection, query, k=1, where=node.filter, hybrid=False)  # the same question
        if not hits or hits[0].score < node.min_score:
            return {}
        hit = hits[0]
        found = {"text": hit.text, "score": round(hit.score, 4), **hit.metadata}
        return {field: _stored_value(found.get(key)) for field, key in node.outputs.items()}

    return run


KIND = NodeKind(name="recall", spec=RecallNode, build=build_recall, requires=MEMORY_REQUIRES, extra="memory")
