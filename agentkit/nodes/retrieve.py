"""The ``retrieve`` node kind: search a memory collection with a query templated from state.

```yaml
find: {kind: retrieve, query: "{question}", collection: handbook, k: 4,
       filter: {source: handbook/leave.md}, mmr: {fetch_k: 20, lambda: 0.5}, output: passages}
```

``hybrid: true`` fuses the ranking by meaning with a BM25 ranking by words, so a chunk holding
the query's rare words is found even when its embedding ranks it lower (``mmr`` always ranks by
meaning).  Off by default: measured on the DEV quality set, it found more answer passages but
also more neighbours that answers wrongly rested on (README, "Retrieval memory").

``output`` gets a list of ``{text, source, page, chunk, score, metadata}``, which a prompt
shows as numbered passages with their sources.  The store is the process's shared one
(``AGENTKIT_CHROMA_URL`` or the workspace); it opens, and the embedding model loads, on
the first run, not at build time.  Retrieved text only ever lands in state: it cannot
change what a node may do.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from agentkit.memory.store import MMR, get_store
from agentkit.nodes import BuildContext, NodeAction, NodeKind, render
from agentkit.nodes._memory import MEMORY_REQUIRES, SearchNode

__all__ = ["KIND", "MMRSpec", "RetrieveNode", "build_retrieve"]


class MMRSpec(BaseModel):
    """``mmr: {fetch_k, lambda}``: fetch ``fetch_k`` candidates, keep ``k`` relevant and varied ones."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    fetch_k: int = Field(default=20, ge=1, le=1000)
    lambda_mult: float = Field(default=0.5, ge=0, le=1, alias="lambda")


class RetrieveNode(SearchNode):
    """Search a collection with a query templated from state; hits go into ``output``."""

    kind: Literal["retrieve"]
    k: int = Field(default=4, ge=1, le=100)
    mmr: bool | MMRSpec = False
    hybrid: bool = Field(default=False, description="rank by words (BM25) as well as by meaning, fused "
                                                    "(default: by meaning alone)")
    output: str


def build_retrieve(name: str, node: RetrieveNode, context: BuildContext) -> NodeAction:
    mmr = None
    if node.mmr:
        spec = node.mmr if isinstance(node.mmr, MMRSpec) else MMRSpec()
        mmr = MMR(fetch_k=spec.fetch_k, lambda_mult=spec.lambda_mult)

    def run(state: dict[str, Any]) -> dict[str, Any]:
        query = render(node.query, state).strip()
        hits = get_store().query(node.collection, query, k=node.k, where=node.filter, mmr=mmr,
                                  hybrid=node.hybrid) if query else []
        return {node.output: [hit.to_dict() for hit in hits]}

    return run


KIND = NodeKind(name="retrieve", spec=RetrieveNode, build=build_retrieve, requires=MEMORY_REQUIRES, extra="memory")
