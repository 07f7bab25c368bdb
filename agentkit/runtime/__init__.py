"""Running graphs: ``load`` one for LangGraph's own API, or drive durable runs with
``Runner`` (SQLite checkpoints, resume, fork, approvals, budgets, events, record and replay)."""

from agentkit.errors import (
    ApprovalRejectedError,
    BudgetExceededError,
    DatabaseLockedError,
    IncompatibleSpecError,
    ReplayMissError,
    RunDatabaseError,
    UnknownRunError,
)
from agentkit.runtime.approvals import approve, pending_approvals, reject
from agentkit.runtime.budgets import Budget, Budgets, parse_budget_options
from agentkit.runtime.checkpoints import (
    default_database,
    memory_saver,
    resolve_checkpointer,
    sqlite_saver,
    strict_serde,
)
from agentkit.runtime.events import RunEvent
from agentkit.runtime.inputs import image_inputs, media_inputs, parse_input_pairs
from agentkit.runtime.loading import load
from agentkit.runtime.recording import ReplayChatModel, prompt_hash
from agentkit.runtime.results import NodeSummary, RunResult, node_summary
from agentkit.runtime.runner import Runner

__all__ = [
    # running
    "load",
    "Runner",
    "RunResult",
    "RunEvent",
    "NodeSummary",
    "node_summary",
    # inputs
    "image_inputs",
    "media_inputs",
    "parse_input_pairs",
    # persistence
    "default_database",
    "memory_saver",
    "resolve_checkpointer",
    "sqlite_saver",
    "strict_serde",
    # approvals
    "approve",
    "reject",
    "pending_approvals",
    # budgets
    "Budget",
    "Budgets",
    "parse_budget_options",
    # record and replay
    "ReplayChatModel",
    "prompt_hash",
    # errors (defined in agentkit.errors)
    "ApprovalRejectedError",
    "BudgetExceededError",
    "DatabaseLockedError",
    "IncompatibleSpecError",
    "ReplayMissError",
    "RunDatabaseError",
    "UnknownRunError",
]
