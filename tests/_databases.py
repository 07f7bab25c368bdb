"""Run databases for tests: an SQLite file, or a fresh schema on the test PostgreSQL server.

``.ci/run`` starts a throwaway PostgreSQL server (scripts/postgres-server.sh) and exports its
DSN as ``AGENTKIT_TEST_DATABASE_URL``; each test that asks for a PostgreSQL database gets its
own schema on it (a URL whose ``search_path`` is that schema), dropped afterwards.  Without the
variable those tests skip, saying how to get a server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from tests._needs import missing

POSTGRES_ENV = "AGENTKIT_TEST_DATABASE_URL"
NO_SERVER = (f"no PostgreSQL test server: set {POSTGRES_ENV} to its DSN (scripts/postgres-server.sh start "
             f"prints one; .ci/run sets it)")


def postgres_dsn() -> str | None:
    return os.environ.get(POSTGRES_ENV, "").strip() or None


def with_schema(dsn: str, schema: str) -> str:
    """``dsn`` with ``search_path`` set to ``schema`` (LangGraph's tables and agentkit's go there)."""
    joiner = "&" if "?" in dsn else "?"
    return f"{dsn}{joiner}options={quote(f'-csearch_path={schema}')}"


@contextmanager
def postgres_schema(dsn: str | None = None) -> Iterator[str]:
    """A URL on the test server whose tables live in a new schema, dropped when the block ends."""
    import psycopg

    dsn = dsn or postgres_dsn()
    if dsn is None:
        missing(NO_SERVER)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")  # a name made here, never from input
    try:
        yield with_schema(dsn, schema)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def query(database: str | os.PathLike[str], sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Run one statement on a test's run database (SQLite file or PostgreSQL URL); ``?`` placeholders."""
    if isinstance(database, str) and database.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(database, autocommit=True) as conn:
            cursor = conn.execute(sql.replace("?", "%s"), params)
            return list(cursor.fetchall()) if cursor.description else []
    import sqlite3

    conn = sqlite3.connect(database)
    try:
        rows = conn.execute(sql, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def tables(database: str | os.PathLike[str]) -> set[str]:
    """The tables of a test's run database."""
    if isinstance(database, str) and database.startswith("postgresql://"):
        return {str(r[0]) for r in query(database, "SELECT table_name FROM information_schema.tables "
                                                   "WHERE table_schema = current_schema()")}
    return {str(r[0]) for r in query(database, "SELECT name FROM sqlite_master WHERE type = 'table'")}
