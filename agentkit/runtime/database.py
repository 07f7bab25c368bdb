"""Which run database a run uses: the workspace's SQLite file, or a PostgreSQL server.

A run database holds LangGraph's checkpoints and agentkit's run index, node history and
recorded LLM calls.  The embedded default is ``runs.sqlite`` in the workspace; a
``postgresql://`` URL (``--database``, ``AGENTKIT_DATABASE_URL``) puts them on a PostgreSQL
server, so several processes or machines start, resume, list, fork and replay the same runs.
A URL is shown with its password hidden, always.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from agentkit.errors import UserError

__all__ = [
    "DATABASE_URL_ENV",
    "POSTGRES_SCHEMES",
    "DatabaseTarget",
    "is_postgres_url",
    "run_database",
    "shown_database",
]

DATABASE_URL_ENV = "AGENTKIT_DATABASE_URL"
POSTGRES_SCHEMES = ("postgresql", "postgres")

DatabaseTarget = str | Path


def is_postgres_url(value: object) -> bool:
    """True for ``postgresql://...`` / ``postgres://...`` (a run database on a PostgreSQL server)."""
    return isinstance(value, str) and value.split("://", 1)[0].lower() in POSTGRES_SCHEMES and "://" in value


def shown_database(target: DatabaseTarget) -> str:
    """``target`` as it may be printed: a URL with its password replaced by ``***``."""
    if not is_postgres_url(target):
        return str(target)
    parts = urlsplit(str(target))
    if parts.password is None:
        return str(target)
    netloc = f"{parts.username or ''}:***@{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def run_database(value: DatabaseTarget | None = None) -> DatabaseTarget:
    """The run database to use: ``value`` if given, else ``AGENTKIT_DATABASE_URL``, else the
    workspace's ``runs.sqlite``.  A value is a ``postgresql://`` URL or a path to an SQLite file."""
    from agentkit.runtime.checkpoints import default_database

    if value is None or value == "":
        value = os.environ.get(DATABASE_URL_ENV, "").strip() or None
        if value is None:
            return default_database()
        where = f"{DATABASE_URL_ENV}={shown_database(value)}"
    else:
        where = f"database {shown_database(value)}"
    if isinstance(value, Path) or is_postgres_url(value):
        return value
    text = str(value)
    if "://" in text:
        raise UserError(f"{where}: not a run database; use postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME "
                        f"or a path to an SQLite file (default: the workspace's runs.sqlite)")
    return Path(text).expanduser()
