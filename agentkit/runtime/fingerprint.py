"""A spec's structure: what a stored checkpoint depends on.

A checkpoint holds state channels and the next nodes to run, so resuming it with
a spec whose state fields, nodes or wiring differ would run a different graph
on old data.  ``structure`` keeps exactly those parts (not prompts, models,
budgets or descriptions, which may change between sessions of one run): each node
says what its own checkpoints depend on (``NodeSpec.wiring``: its kind, where it
routes, what it writes, and the keys its kind names), so plug-in kinds are covered
like built-in ones.  ``structure_changes`` says what differs, in words.
"""

from __future__ import annotations

import json
from typing import Any

from agentkit.spec.models import GraphSpec

__all__ = ["structure", "structure_changes"]

FORMAT = 2  # 1 (no "format" key): agentkit 0.1's fixed list of node keys


def structure(spec: GraphSpec) -> dict[str, Any]:
    """The parts of ``spec`` a checkpoint depends on, as plain JSON data."""
    return {
        "format": FORMAT,
        "state": {name: {"type": f.type, "reducer": f.reducer} for name, f in spec.state.items()},
        "entry": spec.entry,
        "nodes": {name: node.wiring() for name, node in spec.nodes.items()},
        "edges": sorted([e.source, e.target] for e in spec.edges),
    }


def _comparable(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both structures reduced to what both formats record the same way (node kinds only,
    when one was stored by an earlier agentkit)."""
    if old.get("format") == new.get("format"):
        return old, new

    def kinds(structure: dict[str, Any]) -> dict[str, Any]:
        return {**structure, "nodes": {n: {"kind": v.get("kind")} for n, v in structure.get("nodes", {}).items()}}

    return kinds(old), kinds(new)


def structure_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between two ``structure`` results, one line per change ([] if none)."""
    old, new = _comparable(old, new)
    changes: list[str] = []
    for section, what in (("state", "state field"), ("nodes", "node")):
        before, after = old.get(section, {}), new.get(section, {})
        changes += [f"{what} {n!r} was removed" for n in before if n not in after]
        changes += [f"{what} {n!r} was added" for n in after if n not in before]
        changes += [f"{what} {n!r} changed: {json.dumps(before[n])} -> {json.dumps(after[n])}"
                    for n in before if n in after and before[n] != after[n]]
    if old.get("entry") != new.get("entry"):
        changes.append(f"entry changed: {old.get('entry')!r} -> {new.get('entry')!r}")
    if old.get("edges") != new.get("edges"):
        removed = [e for e in old.get("edges", []) if e not in new.get("edges", [])]
        added = [e for e in new.get("edges", []) if e not in old.get("edges", [])]
        changes.append("edges changed: " + ", ".join([f"-{a}->{b}" for a, b in removed] +
                                                     [f"+{a}->{b}" for a, b in added]))
    return changes
