"""Reasoning patterns as plug-in node kinds (registered through ``agentkit.node_kinds``).

- ``plan_execute`` (``plan_execute.py``): plan tool steps with one constrained call,
  run each step's tool, answer from the results;
- ``reflect`` (``reflect.py``): draft, critique, revise, up to ``max_rounds`` revisions;
- ``self_consistency`` (``vote.py``): several sampled answers, the most common wins.

Each kind runs its steps as a small compiled LangGraph graph inside its node, so the
steps appear in ``stream(..., subgraphs=True)`` and in checkpoints (the inner graph
inherits the parent's checkpointer); its state is plain data and its recursion
limit follows from the node's own bound, so every loop ends.
"""

from __future__ import annotations

from agentkit.patterns.plan_execute import PLAN_EXECUTE, PlanExecuteNode
from agentkit.patterns.reflect import REFLECT, ReflectNode
from agentkit.patterns.vote import SELF_CONSISTENCY, SelfConsistencyNode, normalise_answer

__all__ = [
    "PLAN_EXECUTE",
    "REFLECT",
    "SELF_CONSISTENCY",
    "PlanExecuteNode",
    "ReflectNode",
    "SelfConsistencyNode",
    "normalise_answer",
]
