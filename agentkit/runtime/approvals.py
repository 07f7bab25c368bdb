"""Human approval before a node runs (LangGraph ``interrupt``).

A node whose spec says ``approval: true`` (or a question) pauses the run just
before it executes (the compiler wraps it: ``agentkit.compile``): the graph stops
with an ``Interrupt`` whose value is ``{kind: APPROVAL_KIND, node, question}``, the
checkpoint is kept, and the run continues when resumed with a decision --
``Command(resume=...)``, built here by ``approve()`` and ``reject()``.  A rejected
node does not run: it raises ``ApprovalRejectedError`` and the run ends there with
status ``rejected``.

Resuming needs a checkpointer (LangGraph's rule for interrupts).
"""

from __future__ import annotations

import contextlib
from typing import Any

from langgraph.types import Command

from agentkit.compile import APPROVAL_KIND
from agentkit.errors import ApprovalRejectedError, UserError

__all__ = [
    "ApprovalRejectedError",
    "approve",
    "decision_command",
    "pending_approvals",
    "reject",
]


def pending_approvals(snapshot: Any) -> list[dict[str, Any]]:
    """The approvals a paused run waits for: ``[{id, node, question}]`` (from ``graph.get_state``)."""
    found = []
    for item in getattr(snapshot, "interrupts", ()) or ():
        value = getattr(item, "value", None)
        if isinstance(value, dict) and value.get("kind") == APPROVAL_KIND:
            found.append({"id": item.id, "node": value["node"], "question": value["question"]})
    return found


def decision_command(snapshot: Any, approved: bool, reason: str = "") -> Command:
    """A ``Command`` answering every approval the paused run waits for."""
    pending = pending_approvals(snapshot)
    if not pending:
        raise UserError("this run is not waiting for an approval")
    value = {"approved": approved, "reason": reason}
    return Command(resume={item["id"]: value for item in pending})


def approve(graph: Any, config: dict[str, Any], **kwargs: Any) -> Any:
    """Continue a paused run of ``graph`` (thread in ``config``), approving what it waits for."""
    return graph.invoke(decision_command(graph.get_state(config), True), config, **kwargs)


def reject(graph: Any, config: dict[str, Any], reason: str = "", **kwargs: Any) -> Any:
    """Answer a paused run with a rejection; returns the state it ended with (the node did not run)."""
    with contextlib.suppress(ApprovalRejectedError):
        graph.invoke(decision_command(graph.get_state(config), False, reason), config, **kwargs)
    return graph.get_state(config).values
