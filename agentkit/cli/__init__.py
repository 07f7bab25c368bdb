"""The ``agentkit`` command line: a thin typer layer over the library.

``app`` holds the core commands; each concept adds its own command group from a
module of this package (``memory``, ``runs``, ...), wired in ``app.py``.
"""

from agentkit.cli.app import app, main

__all__ = ["app", "main"]
