"""Budgets: limits on LLM calls, tokens and wall-clock time, per run and per node.

A ``Meter`` counts what a run spends.  It is asked before every LLM call, on every
generated token and after every node; the first limit crossed raises
``BudgetExceededError`` naming it.  The run stops there, its last checkpoint
stays, and resuming with a raised limit continues (the counts carry over, so the
old limit would stop it again).  Tokens are prompt plus generated tokens; the
per-node counts are per node execution.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

from agentkit.errors import BudgetExceededError, UserError
from agentkit.spec.models import GraphSpec

__all__ = ["Budget", "BudgetExceededError", "Budgets", "Meter", "parse_budget_options"]

_KEYS = ("llm_calls", "tokens", "seconds")


@dataclass(frozen=True, kw_only=True)
class Budget:
    """Limits of one scope (None: no limit)."""

    llm_calls: int | None = None
    tokens: int | None = None
    seconds: float | None = None

    def merged(self, other: Budget) -> Budget:
        """This budget with ``other``'s set limits taking precedence."""
        return replace(self, **{k: getattr(other, k) for k in _KEYS if getattr(other, k) is not None})

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in _KEYS if getattr(self, k) is not None}


@dataclass(frozen=True, kw_only=True)
class Budgets:
    """The run's limits and each node's."""

    run: Budget = field(default_factory=Budget)
    nodes: dict[str, Budget] = field(default_factory=dict)

    @classmethod
    def from_spec(cls, spec: GraphSpec) -> Budgets:
        run = Budget(**spec.budget.model_dump()) if spec.budget else Budget()
        nodes = {name: Budget(**node.budget.model_dump()) for name, node in spec.nodes.items() if node.budget}
        return cls(run=run, nodes=nodes)

    def merged(self, other: Budgets) -> Budgets:
        nodes = dict(self.nodes)
        for name, budget in other.nodes.items():
            nodes[name] = nodes.get(name, Budget()).merged(budget)
        return Budgets(run=self.run.merged(other.run), nodes=nodes)

    def to_dict(self) -> dict[str, Any]:
        return {"run": self.run.to_dict(), "nodes": {n: b.to_dict() for n, b in self.nodes.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Budgets:
        return cls(run=Budget(**data.get("run", {})),
                   nodes={n: Budget(**b) for n, b in data.get("nodes", {}).items()})


def parse_budget_options(items: list[str], node_names: list[str] | None = None) -> Budgets:
    """``["tokens=2000", "summarize.llm_calls=1", "seconds=60"]`` -> ``Budgets``."""
    run: dict[str, Any] = {}
    nodes: dict[str, dict[str, Any]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        node, _, limit = key.rpartition(".")
        if not sep or limit not in _KEYS:
            raise UserError(f"--budget {item!r}: write [NODE.]LIMIT=NUMBER with LIMIT one of {', '.join(_KEYS)}")
        if node and node_names is not None and node not in node_names:
            raise UserError(f"--budget {item!r}: no node {node!r}; nodes: {', '.join(node_names)}")
        try:
            value: float = float(raw) if limit == "seconds" else int(raw)
        except ValueError:
            raise UserError(f"--budget {item!r}: {raw!r} is not a number") from None
        if value < 0:
            raise UserError(f"--budget {item!r}: limits cannot be negative")
        (nodes.setdefault(node, {}) if node else run)[limit] = value
    return Budgets(run=Budget(**run), nodes={n: Budget(**v) for n, v in nodes.items()})


@dataclass
class _Usage:
    llm_calls: int = 0
    tokens: int = 0


class Meter:
    """What a run has spent, checked against ``Budgets`` (thread-safe)."""

    def __init__(self, budgets: Budgets, *, llm_calls: int = 0, tokens: int = 0, seconds: float = 0.0) -> None:
        self.budgets = budgets
        self.run = _Usage(llm_calls, tokens)
        self._seconds_before = seconds  # spent in earlier sessions of this run
        self._started = time.monotonic()
        self._recorded_until = self._started  # this session's seconds up to here are stored with the run
        self._node_started: dict[str, float] = {}  # task id -> start
        self._node_usage: dict[str, _Usage] = {}  # task id -> usage
        self._lock = threading.Lock()

    @property
    def seconds(self) -> float:
        return self._seconds_before + time.monotonic() - self._started

    def unrecorded_seconds(self) -> float:
        """This session's seconds since the last call (to add to the stored run time)."""
        with self._lock:
            now = time.monotonic()
            seconds, self._recorded_until = now - self._recorded_until, now
        return seconds

    def node_started(self, task: str) -> None:
        with self._lock:
            self._node_started[task] = time.monotonic()
            self._node_usage[task] = _Usage()

    def node_usage(self, task: str) -> tuple[int, int]:
        usage = self._node_usage.get(task, _Usage())
        return usage.llm_calls, usage.tokens

    def node_finished(self, task: str, node: str) -> float:
        """Seconds the node took; raises if the node went past a time or token limit (its
        writes are kept).  Tokens are checked here too because a call's prompt tokens are
        known only when it ends: a prompt that alone passes the limit stops the run after
        its node, even when that node was the last."""
        with self._lock:
            seconds = time.monotonic() - self._node_started.pop(task, time.monotonic())
            usage = self._node_usage.get(task, _Usage())
        self._check(node, "seconds", seconds, per_node=True)
        self._check(None, "seconds", self.seconds)
        self._check(node, "tokens", usage.tokens, per_node=True)
        self._check(None, "tokens", self.run.tokens)
        return seconds

    def before_call(self, task: str | None, node: str | None) -> None:
        """Refuse an LLM call once a limit is reached."""
        self.check_time(task, node)
        usage = self._node_usage.get(task or "", _Usage())
        self._check(None, "llm_calls", self.run.llm_calls + 1)
        self._check(None, "tokens", self.run.tokens, reached=True)
        if node is not None:
            self._check(node, "llm_calls", usage.llm_calls + 1, per_node=True)
            self._check(node, "tokens", usage.tokens, per_node=True, reached=True)

    def on_token(self, task: str | None, node: str | None, generated_so_far: int) -> None:
        """Stop a generation that runs past a token or time limit."""
        self.check_time(task, node)
        usage = self._node_usage.get(task or "", _Usage())
        self._check(None, "tokens", self.run.tokens + generated_so_far)
        if node is not None:
            self._check(node, "tokens", usage.tokens + generated_so_far, per_node=True)

    def after_call(self, task: str | None, tokens: int) -> None:
        with self._lock:
            self.run.llm_calls += 1
            self.run.tokens += tokens
            usage = self._node_usage.setdefault(task or "", _Usage())
            usage.llm_calls += 1
            usage.tokens += tokens

    def check_time(self, task: str | None, node: str | None) -> None:
        self._check(None, "seconds", self.seconds)
        if node is not None and task in self._node_started:
            self._check(node, "seconds", time.monotonic() - self._node_started[task], per_node=True)

    def _check(self, node: str | None, limit: str, used: float, *, per_node: bool = False,
               reached: bool = False) -> None:
        budget = self.budgets.nodes.get(node or "") if per_node else self.budgets.run
        value = getattr(budget, limit) if budget is not None else None
        if value is None or (used < value if reached else used <= value):
            return
        scope = f"node {node!r}" if per_node else "the run"
        unit = {"llm_calls": "LLM calls", "tokens": "tokens", "seconds": "seconds"}[limit]
        spent = f"{used:.1f}" if limit == "seconds" else f"{int(used)}"
        raise BudgetExceededError(
            f"budget exceeded: {scope} {limit} limit is {value:g} {unit} (would be {spent})",
            limit=limit, node=node if per_node else None, value=value, used=used)
