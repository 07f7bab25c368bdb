"""Graphs that ship with agentkit, installed as ``agentkit.graphs``.

Each ``NAME.yaml`` here can be named instead of a path: ``agentkit run NAME``,
``agentkit.load("NAME")``, or ``graph: NAME`` in a subgraph node.  The folder is
``graphs/`` in the repository and ``agentkit/graphs`` in an installed wheel.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["GRAPHS_DIR", "shipped_graph", "shipped_graphs"]

GRAPHS_DIR = Path(__file__).resolve().parent


def shipped_graphs() -> list[str]:
    """The names of the shipped graphs."""
    return sorted(p.stem for p in GRAPHS_DIR.glob("*.yaml"))


def shipped_graph(name: str) -> Path | None:
    """The file of the shipped graph ``name`` (a bare name, no folder or suffix), or None."""
    if not name.isidentifier():
        return None
    path = GRAPHS_DIR / f"{name}.yaml"
    return path if path.is_file() else None
