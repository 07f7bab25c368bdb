"""The run index: agentkit's own tables next to LangGraph's checkpoints in the run database.

LangGraph's tables (``checkpoints``, ``writes``) hold the state; these hold what
LangGraph does not keep: which spec a thread ran (its file, full text and a
structural fingerprint), its inputs and status, per-node timings and token
counts, and every LLM call (for replay).  Every query is parameterised: thread
ids and node names from the command line are never spliced into SQL.

``RunStore`` is the interface and holds every query (written once, with ``?``
placeholders); ``SqliteRunStore`` (the embedded default, ``runs.sqlite``) and
``agentkit.runtime.postgres.PostgresRunStore`` (a PostgreSQL server shared by
processes and machines) implement its few primitives: a write transaction, a read,
and claiming a run for the process that drives it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from agentkit.runtime.checkpoints import BUSY_TIMEOUT_S, connect, database_errors

__all__ = ["LLMCall", "NodeRecord", "RunRecord", "RunStore", "SqliteRunStore", "ToolCallRecord", "open_run_store"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS agentkit_runs (
    thread_id TEXT PRIMARY KEY,
    graph TEXT NOT NULL,
    spec_path TEXT,
    spec_json TEXT NOT NULL,
    structure TEXT NOT NULL,
    inputs TEXT NOT NULL,
    options TEXT NOT NULL,
    parent_thread TEXT,
    status TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    updated REAL NOT NULL,
    seconds REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS agentkit_node_events (
    id INTEGER PRIMARY KEY,
    thread_id TEXT NOT NULL,
    node TEXT NOT NULL,
    started REAL NOT NULL,
    seconds REAL NOT NULL,
    llm_calls INTEGER NOT NULL,
    tokens INTEGER NOT NULL,
    status TEXT NOT NULL,
    task TEXT NOT NULL DEFAULT '',
    parent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS agentkit_node_events_thread ON agentkit_node_events (thread_id, id);
CREATE TABLE IF NOT EXISTS agentkit_llm_calls (
    id INTEGER PRIMARY KEY,
    thread_id TEXT NOT NULL,
    node TEXT NOT NULL,
    prompt_hash TEXT NOT NULL,
    params TEXT NOT NULL,
    model TEXT,
    model_sha256 TEXT,
    output TEXT NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    created REAL NOT NULL,
    prompt TEXT,
    namespace TEXT NOT NULL DEFAULT '',
    ms REAL
);
CREATE INDEX IF NOT EXISTS agentkit_llm_calls_thread ON agentkit_llm_calls (thread_id, id);
CREATE TABLE IF NOT EXISTS agentkit_tool_calls (
    id INTEGER PRIMARY KEY,
    thread_id TEXT NOT NULL,
    node TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    call_id TEXT NOT NULL,
    started REAL NOT NULL,
    ms REAL NOT NULL,
    status TEXT NOT NULL,
    args TEXT NOT NULL,
    output TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS agentkit_tool_calls_thread ON agentkit_tool_calls (thread_id, id);
"""

# Columns added after the first release: a database made before them gains them when opened
# (old rows read as top-level node events and calls recorded without their prompt).
_ADDED_COLUMNS = {
    "agentkit_node_events": {"task": "TEXT NOT NULL DEFAULT ''", "parent": "TEXT NOT NULL DEFAULT ''"},
    "agentkit_llm_calls": {"prompt": "TEXT", "namespace": "TEXT NOT NULL DEFAULT ''", "ms": "REAL"},
}


@dataclass(kw_only=True)
class RunRecord:
    """One run (a LangGraph thread) as agentkit indexed it."""

    thread_id: str
    graph: str
    spec_path: str | None
    spec_json: str
    structure: str
    inputs: dict[str, Any]
    options: dict[str, Any]
    parent_thread: str | None
    status: str
    message: str
    created: float
    updated: float
    seconds: float


@dataclass(kw_only=True)
class NodeRecord:
    """One node execution: when, how long, how many LLM calls and tokens.

    ``task`` is LangGraph's task id; ``parent`` is empty for a node of the run's own graph
    and, for a node inside another (a subgraph, an agent's loop, a pattern's steps), the
    checkpoint namespace of the graph it ran in (``outer:TASK`` or ``outer:TASK|inner:TASK``):
    its last task id is the execution it belongs to."""

    node: str
    started: float
    seconds: float
    llm_calls: int
    tokens: int
    status: str
    task: str = ""
    parent: str = ""


@dataclass(kw_only=True)
class LLMCall:
    """One recorded LLM call: what was asked (hash + sampling), of which model, and the reply.

    ``prompt`` keeps what was sent (``{"messages": [...], "request": {...}}``, for people
    to read: replay keys on ``prompt_hash`` alone); ``namespace`` is the call's LangGraph
    checkpoint namespace (its last task id is the node execution that made it); ``ms`` is
    how long it took.  Calls recorded before these existed read as None / "" / None."""

    node: str
    prompt_hash: str
    params: dict[str, Any]
    model: str | None
    model_sha256: str | None
    output: dict[str, Any]
    input_tokens: int
    output_tokens: int
    thread_id: str = ""
    created: float = field(default_factory=time.time)
    prompt: dict[str, Any] | None = None
    namespace: str = ""
    ms: float | None = None
    id: int | None = None


@dataclass(kw_only=True)
class ToolCallRecord:
    """One tool call made inside a node (an agent's tool loop, a ``tool`` node): which tool, when,
    how long, whether it refused, and its arguments and result as text, cut at ``TOOL_TEXT_CHARS``.
    ``namespace`` is the call's LangGraph checkpoint namespace, as for ``LLMCall``."""

    node: str
    namespace: str
    name: str
    call_id: str
    started: float
    ms: float
    status: str  # "ok" or "error"
    args: str
    output: str
    thread_id: str = ""
    id: int | None = None


TOOL_TEXT_CHARS = 4000  # a tool call's arguments and result as kept, at most


class Executor(Protocol):
    """What a write transaction offers: ``execute(sql, params)`` with ``?`` placeholders."""

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> Any: ...


class RunStore(ABC):
    """agentkit's tables in a run database: one interface, an SQLite and a PostgreSQL implementation.

    Every query below is parameterised and written once (``?`` placeholders); an
    implementation provides a write transaction (``_write``), a read (``_read``) and
    ``claim`` (the run is driven by this process; another that tries is refused)."""

    #: the database as it may be shown (a URL's password hidden)
    where: str
    #: True when other machines may use the same database (claims are then the server's locks)
    shared: bool = False

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def _write(self) -> AbstractContextManager[Executor]:
        """One transaction: committed when the block ends, rolled back if it raises."""

    @abstractmethod
    def _read(self, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        """The rows of a query, as dicts by column name."""

    def claim(self, thread_id: str) -> bool:
        """Take the run for this process while it drives it (False: another process holds it).
        The embedded store has no cross-process claim: the runner checks the stored pid."""
        return True

    def release(self, thread_id: str) -> None:  # noqa: B027 (nothing to give back by default)
        """Give back a run taken with ``claim``."""

    # -- runs ---------------------------------------------------------------------------

    def create_run(self, record: RunRecord) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO agentkit_runs (thread_id, graph, spec_path, spec_json, structure, inputs, options, "
                "parent_thread, status, message, created, updated, seconds) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (record.thread_id, record.graph, record.spec_path, record.spec_json, record.structure,
                 json.dumps(record.inputs, default=str), json.dumps(record.options), record.parent_thread,
                 record.status, record.message, record.created, record.updated, record.seconds))

    def update_run(self, thread_id: str, *, status: str, message: str = "", add_seconds: float = 0.0,
                   options: dict[str, Any] | None = None) -> None:
        with self._write() as conn:
            conn.execute("UPDATE agentkit_runs SET status = ?, message = ?, updated = ?, seconds = seconds + ? "
                         "WHERE thread_id = ?", (status, message, time.time(), add_seconds, thread_id))
            if options is not None:
                conn.execute("UPDATE agentkit_runs SET options = ? WHERE thread_id = ?",
                             (json.dumps(options), thread_id))

    def get_run(self, thread_id: str) -> RunRecord | None:
        rows = self._read("SELECT * FROM agentkit_runs WHERE thread_id = ?", (thread_id,))
        return _run(rows[0]) if rows else None

    def list_runs(self, limit: int = 20) -> list[RunRecord]:
        rows = self._read("SELECT * FROM agentkit_runs ORDER BY created DESC LIMIT ?", (limit,))
        return [_run(row) for row in rows]

    def children(self, thread_id: str) -> list[str]:
        """The runs forked or replayed from ``thread_id``."""
        rows = self._read("SELECT thread_id FROM agentkit_runs WHERE parent_thread = ? ORDER BY created",
                          (thread_id,))
        return [row["thread_id"] for row in rows]

    def delete_run(self, thread_id: str) -> None:
        """Remove a run's index row, node events and recorded LLM calls (one transaction)."""
        with self._write() as conn:
            for table in ("agentkit_tool_calls", "agentkit_llm_calls", "agentkit_node_events", "agentkit_runs"):
                conn.execute(f"DELETE FROM {table} WHERE thread_id = ?", (thread_id,))  # table names are ours

    # -- nodes --------------------------------------------------------------------------

    def add_node_event(self, thread_id: str, record: NodeRecord, *, run_seconds: float = 0.0) -> None:
        """Record one node execution and add ``run_seconds`` to the run's time, in one transaction
        (a run killed later keeps the seconds it spent up to here)."""
        with self._write() as conn:
            conn.execute("INSERT INTO agentkit_node_events (thread_id, node, started, seconds, llm_calls, tokens, "
                         "status, task, parent) VALUES (?,?,?,?,?,?,?,?,?)",
                         (thread_id, record.node, record.started, record.seconds, record.llm_calls, record.tokens,
                          record.status, record.task, record.parent))
            if run_seconds:
                conn.execute("UPDATE agentkit_runs SET seconds = seconds + ? WHERE thread_id = ?",
                             (run_seconds, thread_id))

    def node_events(self, thread_id: str, *, nested: bool = False) -> list[NodeRecord]:
        """The run's node executions in order: its own graph's nodes, and with ``nested`` also
        the nodes that ran inside them."""
        where = "" if nested else " AND parent = ''"
        rows = self._read("SELECT node, started, seconds, llm_calls, tokens, status, task, parent "
                          f"FROM agentkit_node_events WHERE thread_id = ?{where} ORDER BY id", (thread_id,))
        return [NodeRecord(**row) for row in rows]

    # -- LLM calls ----------------------------------------------------------------------

    def add_llm_call(self, thread_id: str, call: LLMCall) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO agentkit_llm_calls (thread_id, node, prompt_hash, params, model, model_sha256, output, "
                "input_tokens, output_tokens, created, prompt, namespace, ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (thread_id, call.node, call.prompt_hash, json.dumps(call.params, sort_keys=True, default=str),
                 call.model, call.model_sha256, json.dumps(call.output), call.input_tokens, call.output_tokens,
                 call.created, None if call.prompt is None else json.dumps(call.prompt, default=str),
                 call.namespace, call.ms))

    def llm_calls(self, thread_id: str, *, call_id: int | None = None) -> list[LLMCall]:
        """The run's recorded calls in order (or just the one with ``call_id``)."""
        sql, params = "SELECT * FROM agentkit_llm_calls WHERE thread_id = ?", (thread_id,)
        if call_id is not None:
            sql, params = sql + " AND id = ?", (thread_id, call_id)
        rows = self._read(sql + " ORDER BY id", params)
        return [LLMCall(thread_id=row["thread_id"], node=row["node"], prompt_hash=row["prompt_hash"],
                        params=json.loads(row["params"]), model=row["model"], model_sha256=row["model_sha256"],
                        output=json.loads(row["output"]), input_tokens=row["input_tokens"],
                        output_tokens=row["output_tokens"], created=row["created"],
                        prompt=json.loads(row["prompt"]) if row["prompt"] else None, namespace=row["namespace"],
                        ms=row["ms"], id=row["id"]) for row in rows]

    # -- tool calls ---------------------------------------------------------------------

    def add_tool_call(self, thread_id: str, call: ToolCallRecord) -> None:
        with self._write() as conn:
            conn.execute("INSERT INTO agentkit_tool_calls (thread_id, node, namespace, name, call_id, started, ms, "
                         "status, args, output) VALUES (?,?,?,?,?,?,?,?,?,?)",
                         (thread_id, call.node, call.namespace, call.name, call.call_id, call.started, call.ms,
                          call.status, call.args[:TOOL_TEXT_CHARS], call.output[:TOOL_TEXT_CHARS]))

    def tool_calls(self, thread_id: str) -> list[ToolCallRecord]:
        """The run's tool calls in the order they ended."""
        rows = self._read("SELECT * FROM agentkit_tool_calls WHERE thread_id = ? ORDER BY id", (thread_id,))
        return [ToolCallRecord(**row) for row in rows]

    def usage(self, thread_id: str) -> tuple[int, int]:
        """(LLM calls, tokens) spent by this thread so far, across sessions."""
        rows = self._read("SELECT count(*) AS calls, coalesce(sum(input_tokens + output_tokens), 0) AS tokens "
                          "FROM agentkit_llm_calls WHERE thread_id = ?", (thread_id,))
        return int(rows[0]["calls"]), int(rows[0]["tokens"])


class SqliteRunStore(RunStore):
    """agentkit's tables in an SQLite file (one connection, serialised by a lock)."""

    def __init__(self, path: Path | str, *, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.where = str(self.path)
        self._conn = connect(self.path, busy_timeout_s=busy_timeout_s)
        self._lock = threading.Lock()
        with self._write() as conn:
            conn.executescript(_SCHEMA)  # type: ignore[attr-defined]
            for table, columns in _ADDED_COLUMNS.items():
                have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}  # table names are ours
                for column, decl in columns.items():
                    if column not in have:
                        conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock, database_errors(self.path):
            try:
                yield self._conn
                self._conn.commit()
            except BaseException:
                self._conn.rollback()
                raise

    def _read(self, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        with self._lock, database_errors(self.path):
            cursor = self._conn.execute(sql, params)
            columns = [c[0] for c in cursor.description]
            return [dict(zip(columns, row, strict=False)) for row in cursor.fetchall()]


def open_run_store(target: Path | str, *, busy_timeout_s: float = BUSY_TIMEOUT_S) -> RunStore:
    """The run store on ``target``: a ``postgresql://`` URL or a path to an SQLite file."""
    from agentkit.runtime.database import is_postgres_url

    if is_postgres_url(target):
        from agentkit.runtime.postgres import PostgresRunStore

        return PostgresRunStore(str(target))
    return SqliteRunStore(target, busy_timeout_s=busy_timeout_s)


def _run(row: dict[str, Any]) -> RunRecord:
    return RunRecord(**{**row, "inputs": json.loads(row["inputs"]), "options": json.loads(row["options"])})
