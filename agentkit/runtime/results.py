"""What a session of a run returns: its status, state and output, and a per-node table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agentkit.runtime.store import NodeRecord

__all__ = ["NodeSummary", "RunResult", "node_summary"]


@dataclass(kw_only=True)
class NodeSummary:
    """One row of the per-node table: executions, seconds, LLM calls and tokens."""

    node: str
    runs: int
    seconds: float
    llm_calls: int
    tokens: int


def node_summary(events: list[NodeRecord]) -> list[NodeSummary]:
    """Per-node totals, in the order nodes first ran."""
    rows: dict[str, NodeSummary] = {}
    for event in events:
        row = rows.setdefault(event.node, NodeSummary(node=event.node, runs=0, seconds=0.0, llm_calls=0, tokens=0))
        row.runs += event.status == "ok"
        row.seconds += event.seconds
        row.llm_calls += event.llm_calls
        row.tokens += event.tokens
    return list(rows.values())


@dataclass(kw_only=True)
class RunResult:
    """How a session of a run ended and the state it left."""

    thread_id: str
    status: str
    values: dict[str, Any]
    message: str = ""
    approvals: list[dict[str, Any]] = field(default_factory=list)
    nodes: list[NodeSummary] = field(default_factory=list)
    usage: dict[str, float] = field(default_factory=dict)
    output: dict[str, Any] = field(default_factory=dict)  # ``values`` limited to the spec's output fields
    matches: bool | None = None  # replay only: the replayed final state equals the recorded one

    def to_dict(self) -> dict[str, Any]:
        return {"thread_id": self.thread_id, "status": self.status, "message": self.message,
                "values": self.values, "output": self.output, "approvals": self.approvals, "usage": self.usage,
                "nodes": [vars(n) for n in self.nodes], **({} if self.matches is None else {"matches": self.matches})}
