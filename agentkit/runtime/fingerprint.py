"""A spec's structure: what a stored checkpoint depends on.

A checkpoint holds state channels and the next nodes to run, so resuming it with
a spec whose state fields, nodes or wiring differ would run a different graph
on old data.  ``structure`` keeps exactly those parts (not prompts, models,
budgets or descriptions, which may change between sessions of one run);
``structure_changes`` says what differs, in words.
"""

from __future__ import annotations

import json
from typing import Any

from agentkit.spec.models import GraphSpec

__all__ = ["structure", "structure_changes"]

# Node keys that decide where a run goes next or which state it writes.
_WIRING_KEYS = ("kind", "routes", "default", "over", "node", "item", "output", "graph", "inputs", "outputs")


def structure(spec: GraphSpec) -> dict[str, Any]:
    """The parts of ``spec`` a checkpoint depends on, as plain JSON data."""
    nodes = {}
    for name, node in spec.nodes.items():
        data = node.model_dump(mode="json")
        nodes[name] = {k: data[k] for k in _WIRING_KEYS if data.get(k) is not None}
    return {
        "state": {name: {"type": f.type, "reducer": f.reducer} for name, f in spec.state.items()},
        "entry": spec.entry,
        "nodes": nodes,
        "edges": sorted([e.source, e.target] for e in spec.edges),
    }


def structure_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between two ``structure`` results, one line per change ([] if none)."""
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
