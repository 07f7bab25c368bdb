"""Checks a spec's structure before anything runs.

Pydantic checks each value; these checks look across the whole graph: edges and
routes to unknown nodes, unreachable nodes, loops with no way out, template
variables that are not state fields, fields read or written that are not declared,
undeclared input/output fields and reducers.  They learn what each node renders,
reads, writes and where it routes from the node itself (``NodeSpec``'s methods), so
built-in and plug-in kinds are checked the same way.  Each problem is (field path,
message) and the message says what would be valid.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Mapping
from typing import Any

from agentkit.registry import BUILTIN_REDUCERS, has_reducer
from agentkit.spec.models import END, FieldPath, GraphSpec, Problem
from agentkit.templates import template_fields

__all__ = ["check_spec", "key_path", "successors", "writes_type_problem"]


def key_path(key: str) -> FieldPath:
    """A node method's dotted key as a field path: ``"metadata.topic"``, ``"files.0"``."""
    return tuple(int(part) if part.isdigit() else part for part in key.split("."))


def _present(entries: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in entries.items() if value is not None}


def successors(spec: GraphSpec) -> dict[str, set[str]]:
    """Every node's possible next nodes (``END`` included)."""
    nxt: dict[str, set[str]] = defaultdict(set)
    for edge in spec.edges:
        nxt[edge.source].add(edge.target)
    for name, node in spec.nodes.items():
        nxt[name].update(route.target for route in node.branches())
    return nxt


def _known(spec: GraphSpec) -> str:
    return ", ".join([*spec.nodes, END])


_JSON_TO_FIELD = {"object": "dict", "array": "list", "string": "str", "number": "float",
                  "integer": "int", "boolean": "bool"}


def writes_type_problem(graph: GraphSpec, field: str, schema: dict[str, Any] | None) -> str | None:
    """What is wrong when a node writes text (``schema`` None) or JSON under ``schema`` into
    the state field ``field`` (None when the field's type accepts it, or is undeclared)."""
    target = graph.state.get(field)
    if target is None:
        return None
    writes = "str" if schema is None else _JSON_TO_FIELD.get(str(schema.get("type")), "any")
    accepts = {writes, "any"} | ({"int", "float"} if writes in ("int", "float") else set())
    if target.reducer == "append":
        accepts |= {"list"}
    if target.type in accepts:
        return None
    what = "text" if schema is None else f"JSON of type {schema.get('type')!r}"
    return (f"the node writes {what} ({writes}) but state field {field!r} has type {target.type!r}; "
            f"declare the field as {writes!r} or 'any'")


def check_spec(spec: GraphSpec) -> list[Problem]:
    """Every cross-field problem of ``spec`` (empty when it is sound)."""
    problems: list[Problem] = []
    fields = set(spec.state)
    nodes = set(spec.nodes)

    def need_field(path: FieldPath, name: str, what: str) -> None:
        if name not in fields:
            problems.append((path, f"{what} {name!r} is not a state field; declared fields: "
                                   f"{', '.join(sorted(fields)) or '(none)'}"))

    if spec.entry not in nodes:
        problems.append((("entry",), f"entry {spec.entry!r} is not a node; nodes: {', '.join(spec.nodes)}"))
    for i, name in enumerate(spec.input):
        need_field(("input", i), name, "input field")
    for i, name in enumerate(spec.output):
        need_field(("output", i), name, "output field")
    for field_name, field in spec.state.items():
        if not has_reducer(field.reducer):
            problems.append((("state", field_name, "reducer"),
                             f"unknown reducer {field.reducer!r}; built-in reducers: {', '.join(BUILTIN_REDUCERS)} "
                             f"(others are registered with agentkit.register_reducer)"))
        if field.reducer == "messages" and field.type not in ("messages", "any"):
            problems.append((("state", field_name, "type"), "the messages reducer needs type 'messages'"))
    for i, edge in enumerate(spec.edges):
        if edge.source not in nodes:
            problems.append((("edges", i, "from"),
                             f"edge from unknown node {edge.source!r}; nodes: {', '.join(spec.nodes)}"))
        if edge.target not in nodes and edge.target != END:
            problems.append((("edges", i, "to"),
                             f"edge to unknown node {edge.target!r}; valid targets: {_known(spec)}"))

    passed: dict[str, set[str]] = defaultdict(set)  # names a node receives besides state (a map's item)
    for name, node in spec.nodes.items():
        base = ("nodes", name)
        for route in node.branches():
            if route.target not in nodes and route.target != END:
                problems.append((base + key_path(route.key), f"route {route.label or route.key!r} goes to unknown "
                                                             f"node {route.target!r}; valid targets: {_known(spec)}"))
        for target, item in node.passes().items():
            passed[target].add(item)
        for key, field_name in _present(node.reads()).items():
            need_field(base + key_path(key), field_name, key)
        for key, field_name in _present(node.writes()).items():
            need_field(base + key_path(key), field_name, key)
        problems += [(base + path, message) for path, message in node.check(spec)]

    for name, node in spec.nodes.items():
        base = ("nodes", name)
        visible = fields | passed[name]
        for key, template in _present(node.templates()).items():
            path = base + key_path(key)
            try:
                used = template_fields(template)
            except ValueError as exc:
                problems.append((path, f"bad template: {exc}"))
                continue
            for var in sorted(used - visible):
                problems.append((path, f"template variable {{{var}}} is not a state field; "
                                       f"available: {', '.join(sorted(visible)) or '(none)'}"))

    if spec.entry in nodes:
        problems += _flow_problems(spec)
    return problems


def _flow_problems(spec: GraphSpec) -> list[Problem]:
    """Unreachable nodes, and nodes from which the graph can never finish."""
    nxt = successors(spec)
    reached, queue = {spec.entry}, deque([spec.entry])
    while queue:
        for target in nxt[queue.popleft()]:
            if target in spec.nodes and target not in reached:
                reached.add(target)
                queue.append(target)
    problems: list[Problem] = [(("nodes", name), f"node {name!r} is unreachable from entry {spec.entry!r}")
                               for name in spec.nodes if name not in reached]
    # A node with no outgoing edge ends the run; so can any node that reaches one.
    previous: dict[str, set[str]] = defaultdict(set)
    for source, targets in nxt.items():
        for target in targets:
            previous[target].add(source)
    finishing = {name for name in spec.nodes if not (nxt[name] & (set(spec.nodes) | {END}))} | {END}
    queue = deque(finishing)
    while queue:
        for source in previous[queue.popleft()]:
            if source not in finishing:
                finishing.add(source)
                queue.append(source)
    for name in spec.nodes:
        if name in reached and name not in finishing:
            problems.append((("nodes", name), f"node {name!r} is in a loop with no exit: no path from it "
                                              f"reaches {END!r}; add an edge or route to {END!r}"))
    return problems
