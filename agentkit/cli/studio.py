"""``agentkit studio``: serve the local web app (the app itself is ``agentkit.studio``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from agentkit.cli.common import DatabaseOption, ThreadsOption
from agentkit.cli.common import err as _err

__all__ = ["studio"]

TOKEN_ENV = "AGENTKIT_STUDIO_TOKEN"


def studio(
    host: Annotated[str, typer.Option(help="Address to bind (loopback unless --allow-remote).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8765,
    graphs: Annotated[str, typer.Option(help="Show the graph files under this folder (and the shipped ones).")] = ".",
    allow_remote: Annotated[bool, typer.Option("--allow-remote", help="Allow a non-loopback --host; every request "
                                               "then needs the token.")] = False,
    token: Annotated[str | None, typer.Option(help=f"The access token (default: ${TOKEN_ENV}, else a new random "
                                              "one).")] = None,
    database: DatabaseOption = None,
    threads: ThreadsOption = None,
) -> None:
    """Look at graphs and runs in the browser: timelines, LLM calls, checkpoints; fork, replay, approve.

    Serves http://127.0.0.1:8765/ from this workspace's run database.  Nothing is loaded from
    the internet.  Stop it with Ctrl-C."""
    from agentkit.errors import UserError
    from agentkit.studio import StudioSettings, serve

    root = Path(graphs)
    if not root.is_dir():
        raise UserError(f"--graphs {graphs}: not a folder")
    settings = StudioSettings(root=root.resolve(), host=host, port=port, remote=allow_remote, database=database,
                              **({"token": token or os.environ[TOKEN_ENV]} if token or os.environ.get(TOKEN_ENV)
                                 else {}))
    settings.check()

    def ready(url: str) -> None:
        _err.print(f"agentkit studio: [bold]{url}[/bold]  (Ctrl-C stops it)", highlight=False, soft_wrap=True)

    try:
        serve(settings, on_ready=ready)
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port") from None
