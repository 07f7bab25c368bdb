"""What every command group shares: the consoles and the ``--json`` flag."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

__all__ = ["JsonFlag", "err", "out"]

out = Console()
err = Console(stderr=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
