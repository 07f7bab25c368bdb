"""Run databases on a PostgreSQL server: LangGraph's ``PostgresSaver`` and agentkit's run store.

Checkpoints are ``langgraph-checkpoint-postgres``'s own tables (its migrations, its
queries); agentkit's run index, node history and recorded LLM calls are the same tables
as in SQLite, with the same parameterised queries (``RunStore``).  Several processes or
machines may use one database at once:

- a run is driven by one process at a time: the driver holds a PostgreSQL advisory lock
  keyed by the thread id for as long as it drives the run, and the server drops it when
  the driver's connection ends (a process killed with ``kill -9`` included), so a dead
  driver's run can be resumed at once from anywhere, and a live one never twice;
- setting up the tables takes a server-wide advisory lock, so workers that start together
  on a fresh database do not race each other's ``CREATE TABLE``.

Errors: a server that cannot be reached is ``DatabaseUnreachableError`` (a ``TransientError``:
start the server, or wait, and try again); a URL the server refuses (unknown database or
user, bad password, bad option) is ``RunDatabaseError`` (fix the URL).  Messages show the URL
with its password hidden.  Needs ``pip install 'agentkit[postgres]'``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from agentkit.errors import DatabaseLockedError, DatabaseUnreachableError, RunDatabaseError
from agentkit.extras import require
from agentkit.runtime.checkpoints import ThreadedAsyncSaver, strict_serde
from agentkit.runtime.database import shown_database
from agentkit.runtime.store import RunStore

__all__ = ["PostgresRunStore", "connect_postgres", "postgres_errors", "postgres_saver"]

CONNECT_TIMEOUT_S = 10
_SETUP_LOCK = 0x6167656E746B6974  # "agentkit": serialises table set-up across processes

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS agentkit_runs (
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
        created DOUBLE PRECISION NOT NULL,
        updated DOUBLE PRECISION NOT NULL,
        seconds DOUBLE PRECISION NOT NULL DEFAULT 0)""",
    "CREATE INDEX IF NOT EXISTS agentkit_runs_created ON agentkit_runs (created)",
    "CREATE INDEX IF NOT EXISTS agentkit_runs_parent ON agentkit_runs (parent_thread)",
    """CREATE TABLE IF NOT EXISTS agentkit_node_events (
        id BIGSERIAL PRIMARY KEY,
        thread_id TEXT NOT NULL,
        node TEXT NOT NULL,
        started DOUBLE PRECISION NOT NULL,
        seconds DOUBLE PRECISION NOT NULL,
        llm_calls INTEGER NOT NULL,
        tokens INTEGER NOT NULL,
        status TEXT NOT NULL,
        task TEXT NOT NULL DEFAULT '',
        parent TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX IF NOT EXISTS agentkit_node_events_thread ON agentkit_node_events (thread_id, id)",
    """CREATE TABLE IF NOT EXISTS agentkit_llm_calls (
        id BIGSERIAL PRIMARY KEY,
        thread_id TEXT NOT NULL,
        node TEXT NOT NULL,
        prompt_hash TEXT NOT NULL,
        params TEXT NOT NULL,
        model TEXT,
        model_sha256 TEXT,
        output TEXT NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        created DOUBLE PRECISION NOT NULL,
        prompt TEXT,
        namespace TEXT NOT NULL DEFAULT '',
        ms DOUBLE PRECISION)""",
    "CREATE INDEX IF NOT EXISTS agentkit_llm_calls_thread ON agentkit_llm_calls (thread_id, id)",
    """CREATE TABLE IF NOT EXISTS agentkit_tool_calls (
        id BIGSERIAL PRIMARY KEY,
        thread_id TEXT NOT NULL,
        node TEXT NOT NULL,
        namespace TEXT NOT NULL,
        name TEXT NOT NULL,
        call_id TEXT NOT NULL,
        started DOUBLE PRECISION NOT NULL,
        ms DOUBLE PRECISION NOT NULL,
        status TEXT NOT NULL,
        args TEXT NOT NULL,
        output TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS agentkit_tool_calls_thread ON agentkit_tool_calls (thread_id, id)",
]

# What each kind of refusal means for the person who gave the URL.
_UNREACHABLE = ("connection refused", "could not connect", "timeout expired", "timed out", "failed to resolve host",
                "could not translate host name", "no route to host", "network is unreachable",
                "server closed the connection", "connection is lost", "the connection is closed",
                "terminating connection", "the database system is starting up", "the database system is shutting down",
                "consuming input failed", "ssl syscall error", "connection reset")


def _module() -> Any:
    require("postgres", "psycopg", "langgraph.checkpoint.postgres", what="a PostgreSQL run database")
    import psycopg

    return psycopg


def _unreachable(url: str, detail: str) -> DatabaseUnreachableError:
    return DatabaseUnreachableError(
        f"cannot reach the run database {shown_database(url)}: {detail}. Start the PostgreSQL server "
        f"(e.g. pg_ctl -D DATADIR start, or scripts/postgres-server.sh start for a throwaway one), or check "
        f"--database / AGENTKIT_DATABASE_URL; nothing was written")


@contextmanager
def postgres_errors(url: str, *, connecting: bool = False) -> Iterator[None]:
    """Turn psycopg failures into ``DatabaseUnreachableError`` / ``DatabaseLockedError`` (may pass: retry)
    or ``RunDatabaseError`` (fix the URL or the database), each naming the database."""
    psycopg = _module()
    from psycopg import errors as pg

    try:
        yield
    except (pg.DeadlockDetected, pg.SerializationFailure, pg.LockNotAvailable) as exc:
        raise DatabaseLockedError(f"the run database {shown_database(url)} was busy ({' '.join(str(exc).split())});"
                                  f" nothing was written; try again") from None
    except psycopg.OperationalError as exc:
        detail = " ".join(str(exc).split())
        if any(marker in detail.lower() for marker in _UNREACHABLE):
            raise _unreachable(url, detail) from None
        if connecting:
            raise RunDatabaseError(f"the run database {shown_database(url)} refused the connection: {detail}; "
                                   f"check the URL (user, password, database name; create the database with "
                                   f"createdb NAME)") from None
        raise RunDatabaseError(f"the run database {shown_database(url)} cannot be used: {detail}") from None
    except psycopg.Error as exc:
        detail = " ".join(str(exc).split())
        raise RunDatabaseError(f"the run database {shown_database(url)} cannot be used: {detail}") from None


def connect_postgres(url: str, *, dict_rows: bool = True) -> Any:
    """An autocommit connection to ``url`` (rows as dicts), or a clear error naming the server."""
    psycopg = _module()
    from psycopg.rows import dict_row

    with postgres_errors(url, connecting=True):
        try:
            return psycopg.Connection.connect(url, autocommit=True, prepare_threshold=0,
                                              connect_timeout=CONNECT_TIMEOUT_S,
                                              **({"row_factory": dict_row} if dict_rows else {}))
        except psycopg.ProgrammingError as exc:  # a malformed URL or option
            raise RunDatabaseError(f"the run database URL {shown_database(url)} is not valid: "
                                   f"{' '.join(str(exc).split())}; use postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME"
                                   ) from None


def _schema_ready(conn: Any) -> bool:
    """Whether the last object of the schema exists (the statements run in one transaction)."""
    last = _SCHEMA[-1].split(" ON ")[0].split()[-1]
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL AS ready", (last,)).fetchone()["ready"]


@contextmanager
def _setup_lock(conn: Any, *, wait_s: float = 120.0) -> Iterator[None]:
    """The server-wide set-up lock, polled outside any transaction: a waiter blocked inside one
    would deadlock with LangGraph's ``CREATE INDEX CONCURRENTLY``, which waits for every open
    transaction to end."""
    deadline = time.monotonic() + wait_s
    while not conn.execute("SELECT pg_try_advisory_lock(%s) AS got", (_SETUP_LOCK,)).fetchone()["got"]:
        if time.monotonic() > deadline:
            raise DatabaseLockedError(f"another process has been setting up the run database's tables for "
                                      f"{wait_s:.0f} s; try again")
        time.sleep(0.05)
    try:
        yield
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (_SETUP_LOCK,))


def postgres_saver(url: str) -> Any:
    """LangGraph's ``PostgresSaver`` on ``url`` (strict serde, tables set up, ``ainvoke`` served too)."""
    _module()
    from langgraph.checkpoint.postgres import PostgresSaver

    class PostgresRunSaver(ThreadedAsyncSaver, PostgresSaver):
        """LangGraph's ``PostgresSaver`` that also serves ``ainvoke``/``astream``."""

    conn = connect_postgres(url)
    saver = PostgresRunSaver(conn, serde=strict_serde())
    with postgres_errors(url):
        try:
            with _setup_lock(conn):
                saver.setup()
        except BaseException:
            conn.close()
            raise
    return saver


class _Translating:
    """A psycopg cursor that takes the store's ``?`` placeholders (psycopg's are ``%s``)."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        return self._cursor.execute(sql.replace("?", "%s"), params)


class PostgresRunStore(RunStore):
    """agentkit's tables on a PostgreSQL server (one connection per store, serialised by a lock)."""

    shared = True

    def __init__(self, url: str) -> None:
        self.url = url
        self.where = shown_database(url)
        self._conn = connect_postgres(url)
        self._lock = threading.RLock()
        with self._lock, postgres_errors(url):
            # DDL only when the tables are missing: CREATE INDEX IF NOT EXISTS takes a SHARE lock even
            # when the index exists, and that deadlocked with another worker's write transaction
            if not _schema_ready(self._conn):
                with _setup_lock(self._conn):
                    if not _schema_ready(self._conn):
                        with self._conn.transaction():
                            for statement in _SCHEMA:
                                self._conn.execute(statement)

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def _write(self) -> Iterator[_Translating]:
        with self._lock, postgres_errors(self.url), self._conn.transaction(), self._conn.cursor() as cursor:
            yield _Translating(cursor)

    def _read(self, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        with self._lock, postgres_errors(self.url), self._conn.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return [dict(row) for row in cursor.fetchall()]

    def claim(self, thread_id: str) -> bool:
        """An advisory lock keyed by the thread id, held by this store's connection (the server
        drops it when the connection ends, however the process ends)."""
        rows = self._read("SELECT pg_try_advisory_lock(hashtextextended(?, 0)) AS got", (thread_id,))
        return bool(rows[0]["got"])

    def release(self, thread_id: str) -> None:
        self._read("SELECT pg_advisory_unlock(hashtextextended(?, 0)) AS done", (thread_id,))
