"""What every command group shares: the consoles and the ``--json`` flag."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

__all__ = ["DatabaseOption", "JsonFlag", "err", "out"]

out = Console()
err = Console(stderr=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]

DatabaseOption = Annotated[str | None, typer.Option(
    "--database", help="The run database: a postgresql://USER@HOST[:PORT]/DB URL (shared by processes and machines) "
                       "or an SQLite file; default AGENTKIT_DATABASE_URL, else the workspace's runs.sqlite.")]
