"""Pictures of a spec, offline: Mermaid flowchart text and a list of edges.

Drawn from the spec itself (not the compiled graph), so a spec can be shown
before its functions and tools are registered; each node says where it routes.
"""

from __future__ import annotations

from agentkit.spec.models import END, GraphSpec

__all__ = ["edge_list", "mermaid"]


def edge_list(spec: GraphSpec) -> list[tuple[str, str, str]]:
    """(source, target, label) for every way control can move, entry edge included."""
    edges = [("start", spec.entry, "")]
    edges += [(e.source, e.target, "") for e in spec.edges]
    for name, node in spec.nodes.items():
        edges += [(name, route.target, route.label) for route in node.branches()]
    sources = {source for source, _, _ in edges}
    edges += [(name, END, "") for name in spec.nodes if name not in sources]
    return edges


def mermaid(spec: GraphSpec) -> str:
    """A Mermaid ``flowchart`` of the spec."""
    lines = ["flowchart TD", "  start([start])", f"  {END}([{END}])"]
    lines += [f'  {name}["{name} ({node.kind})"]' for name, node in spec.nodes.items()]
    for source, target, label in edge_list(spec):
        arrow = f" -- {label} --> " if label else " --> "
        lines.append(f"  {source}{arrow}{target}")
    return "\n".join(lines)
