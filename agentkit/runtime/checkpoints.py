"""Checkpoint savers: LangGraph's own, opened safely.

Every saver agentkit creates deserialises with LangGraph's *strict* msgpack
settings (``JsonPlusSerializer(allowed_msgpack_modules=None)``, no pickle
fallback, no JSON constructor allowlist): a stored checkpoint can revive only
LangGraph's built-in safe types (messages, ``Send``, ``Interrupt``, datetimes...)
plus the types the compiled graph's own state schema declares; any other
``module.name`` in a blob comes back as plain data and is never imported.

The default database is ``runs.sqlite`` in the workspace.  SQLite problems (a
corrupt file, a database locked by another process) become ``RunDatabaseError``
with the path and what to do, never a bare ``sqlite3`` traceback.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
)
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver

from agentkit.errors import DatabaseLockedError, RunDatabaseError, UserError
from agentkit.runtime.database import is_postgres_url, shown_database
from agentkit.workspace import workspace_path

__all__ = [
    "DATABASE_NAME",
    "DatabaseLockedError",
    "RunDatabaseError",
    "SqliteRunSaver",
    "ThreadedAsyncSaver",
    "connect",
    "database_errors",
    "default_database",
    "memory_saver",
    "resolve_checkpointer",
    "sqlite_saver",
    "strict_serde",
]

DATABASE_NAME = "runs.sqlite"
BUSY_TIMEOUT_S = 30.0  # how long a writer waits for another process's transaction


def default_database() -> Path:
    """``runs.sqlite`` in the workspace (checkpoints, run index, recorded LLM calls)."""
    return workspace_path(DATABASE_NAME)


def strict_serde() -> JsonPlusSerializer:
    """LangGraph's serializer in strict mode: loading a checkpoint never imports or calls
    anything outside LangGraph's safe-type allowlist (and the graph's own schema types)."""
    return JsonPlusSerializer(pickle_fallback=False, allowed_json_modules=None, allowed_msgpack_modules=None)


@contextmanager
def database_errors(path: Path | str) -> Iterator[None]:
    """Turn database failures on ``path`` (an SQLite file, or a ``postgresql://`` URL) into a
    ``RunDatabaseError`` that says what to do (a ``TransientError`` where waiting may help)."""
    if is_postgres_url(path):
        from agentkit.runtime.postgres import postgres_errors

        with postgres_errors(str(path)):
            yield
        return
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            raise DatabaseLockedError(
                f"the run database {path} is locked by another process (waited for it and gave up); "
                f"wait for that process to finish, or use another workspace (AGENTKIT_WORKSPACE)") from None
        raise RunDatabaseError(f"the run database {path} cannot be used: {text}") from None
    except sqlite3.DatabaseError as exc:
        raise RunDatabaseError(
            f"the run database {path} is damaged or is not an SQLite database ({exc}); nothing was "
            f"changed: move it aside (agentkit then starts a fresh one) or restore a backup") from None


def connect(path: Path | str, *, busy_timeout_s: float = BUSY_TIMEOUT_S,
            synchronous: str = "NORMAL") -> sqlite3.Connection:
    """Open (creating if needed) the SQLite database at ``path`` in WAL mode, checked readable.

    The connection may be shared between threads (callers serialise with a lock,
    as ``SqliteSaver`` does); other processes wait up to ``busy_timeout_s`` for a lock.
    ``synchronous``: SQLite's setting, ``"NORMAL"`` (default) or ``"FULL"`` (survives power loss).
    """
    path = Path(path)
    if synchronous not in ("NORMAL", "FULL"):
        raise UserError(f"synchronous={synchronous!r}: use 'NORMAL' or 'FULL'")
    with database_errors(path):
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=busy_timeout_s)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # fails on a damaged file
            _use_wal(conn, time.monotonic() + busy_timeout_s)
            # WAL + NORMAL: a commit survives the process being killed (kill -9), not a power cut;
            # FULL would fsync every step (measured in benchmarks/bench_checkpoints.py).
            conn.execute(f"PRAGMA synchronous={synchronous}")
        except BaseException:
            conn.close()
            raise
    return conn


def _use_wal(conn: sqlite3.Connection, deadline: float) -> None:
    """Switch the file to WAL (a setting stored in the file, so once is enough).

    SQLite answers "database is locked" at once, without its busy handler, when two
    processes switch a new file at the same moment; retry until ``deadline``."""
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class ThreadedAsyncSaver:
    """The async half of a saver whose sync half is thread-safe: each async method runs its
    sync twin in a worker thread (where the saver's own lock serialises its connection).

    ``SqliteSaver`` and ``PostgresSaver`` raise from their async methods, and their async
    twins (``AsyncSqliteSaver``, ``AsyncPostgresSaver``) are bound to one event loop and
    refuse sync calls from it; one compiled graph must serve ``invoke`` and ``ainvoke``.
    Hand-written (no library offers it)."""

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        return await asyncio.to_thread(self.get_tuple, config)  # type: ignore[attr-defined]

    async def alist(self, config: RunnableConfig | None, *, filter: dict[str, Any] | None = None,
                    before: RunnableConfig | None = None, limit: int | None = None) -> AsyncIterator[CheckpointTuple]:
        items = await asyncio.to_thread(lambda: list(self.list(  # type: ignore[attr-defined]
            config, filter=filter, before=before, limit=limit)))
        for item in items:
            yield item

    async def aput(self, config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata,
                   new_versions: ChannelVersions) -> RunnableConfig:
        return await asyncio.to_thread(self.put, config, checkpoint, metadata, new_versions)  # type: ignore[attr-defined]

    async def aput_writes(self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str,
                          task_path: str = "") -> None:
        await asyncio.to_thread(self.put_writes, config, writes, task_id, task_path)  # type: ignore[attr-defined]

    async def adelete_thread(self, thread_id: str) -> None:
        await asyncio.to_thread(self.delete_thread, thread_id)  # type: ignore[attr-defined]


class SqliteRunSaver(ThreadedAsyncSaver, SqliteSaver):
    """LangGraph's ``SqliteSaver`` that also serves ``ainvoke``/``astream``."""


def sqlite_saver(path: Path | str | None = None, *, busy_timeout_s: float = BUSY_TIMEOUT_S) -> SqliteRunSaver:
    """A SQLite saver on ``path`` (default: the workspace's ``runs.sqlite``), strict serde, tables set up."""
    path = Path(path) if path is not None else default_database()
    saver = SqliteRunSaver(connect(path, busy_timeout_s=busy_timeout_s), serde=strict_serde())
    with database_errors(path):
        saver.setup()
    return saver


def memory_saver() -> InMemorySaver:
    """LangGraph's in-memory saver with the strict serializer."""
    return InMemorySaver(serde=strict_serde())


def resolve_checkpointer(value: Any) -> BaseCheckpointSaver | None:
    """``"sqlite"`` (the workspace database), ``"memory"``, ``None`` (no persistence),
    a path to a ``.sqlite`` file, a ``postgresql://`` URL, or a LangGraph saver (used as given)."""
    if value is None or isinstance(value, BaseCheckpointSaver):
        return value
    if value == "sqlite":
        return sqlite_saver()
    if value == "memory":
        return memory_saver()
    if is_postgres_url(value):
        from agentkit.runtime.postgres import postgres_saver

        return postgres_saver(value)
    if isinstance(value, (str, Path)) and str(value).endswith((".sqlite", ".db", ".sqlite3")):
        return sqlite_saver(value)
    shown = shown_database(value) if isinstance(value, str) else repr(value)
    raise UserError(f"checkpointer={shown!r} is not valid; use 'sqlite' (the workspace database "
                    f"{DATABASE_NAME}), 'memory', None, a path ending in .sqlite, a postgresql:// URL, "
                    f"or a LangGraph saver")
