"""Runs that last: SQLite checkpoints, resume, approvals, budgets, events, record and replay."""

from agentkit.runtime.approvals import ApprovalRejectedError, approve, pending_approvals, reject
from agentkit.runtime.budgets import Budget, BudgetExceededError, Budgets, parse_budget_options
from agentkit.runtime.checkpoints import (
    RunDatabaseError,
    default_database,
    memory_saver,
    resolve_checkpointer,
    sqlite_saver,
    strict_serde,
)
from agentkit.runtime.events import RunEvent
from agentkit.runtime.recording import ReplayChatModel, ReplayMissError, prompt_hash
from agentkit.runtime.runner import IncompatibleSpecError, NodeSummary, Runner, RunResult, UnknownRunError

__all__ = [
    # running
    "Runner",
    "RunResult",
    "RunEvent",
    "NodeSummary",
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
    # errors
    "ApprovalRejectedError",
    "BudgetExceededError",
    "IncompatibleSpecError",
    "ReplayMissError",
    "RunDatabaseError",
    "UnknownRunError",
]
