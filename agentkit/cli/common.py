"""What every command group shares: the consoles, the ``--json`` flag and the ``--threads`` option."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console

from agentkit.llm.pool import THREADS_ENV, available_cores

__all__ = ["DatabaseOption", "JsonFlag", "ThreadsOption", "err", "out"]

out = Console()
err = Console(stderr=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]

DatabaseOption = Annotated[str | None, typer.Option(
    "--database", help="The run database: a postgresql://USER@HOST[:PORT]/DB URL (shared by processes and machines) "
                       "or an SQLite file; default AGENTKIT_DATABASE_URL, else the workspace's runs.sqlite.")]


def _thread_count(text: str) -> int:
    """``--threads``'s value: a whole number >= 1, else a usage error (exit status 2) naming it."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise typer.BadParameter(f"{text!r} is not a thread count; give a whole number >= 1 (this machine has "
                                 f"{available_cores()} cores)")
    return value


def _use_threads(value: int | None) -> int | None:
    """``--threads N``: every local model this process (and the worker processes it starts) loads
    without its own ``n_threads`` uses N llama.cpp threads -- set as ``AGENTKIT_N_THREADS``, the one
    place ``agentkit.llm.pool.default_threads`` reads, before the command starts."""
    if value is not None:
        os.environ[THREADS_ENV] = str(value)
    return value


ThreadsOption = Annotated[int | None, typer.Option(
    "--threads", parser=_thread_count, callback=_use_threads, show_default=False, metavar="N",
    help=f"llama.cpp threads for local models (a whole number >= 1; default ${THREADS_ENV}, else half the cores).")]
