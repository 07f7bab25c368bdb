"""Checks a spec's structure before anything runs.

Pydantic checks each value; these checks look across the whole graph: edges and
routes to unknown nodes, unreachable nodes, loops with no way out, template
variables that are not state fields, undeclared input/output fields.  Each
problem is (field path, message) and the message says what would be valid.
"""

from __future__ import annotations

import string
from collections import defaultdict, deque

from agentkit.registry import reducer
from agentkit.spec.models import (
    END,
    AgentNode,
    GraphSpec,
    LLMNode,
    MapNode,
    PluginNode,
    RouterNode,
    ToolNode,
)

__all__ = ["BUILTIN_REDUCERS", "Problem", "check_spec", "check_template", "successors", "template_fields"]

Problem = tuple[tuple[str | int, ...], str]
BUILTIN_REDUCERS = ("replace", "append", "merge", "messages")


def template_fields(template: str) -> set[str]:
    """The state fields a ``{field}`` template reads; raises ValueError on anything but
    plain names (no attribute or index access on state values)."""
    names: set[str] = set()
    for _, field, _, _ in string.Formatter().parse(template):
        if field is None:
            continue
        if not field.isidentifier():
            raise ValueError(f"{{{field}}}: only plain {{field}} names are allowed")
        names.add(field)
    return names


def check_template(value: str | None) -> str | None:
    """``value`` unchanged if it is a template of plain ``{field}`` names (ValueError otherwise):
    a field validator for node keys that are templates."""
    if value is not None:
        template_fields(value)
    return value


def successors(spec: GraphSpec) -> dict[str, set[str]]:
    """Every node's possible next nodes (``END`` included)."""
    nxt: dict[str, set[str]] = defaultdict(set)
    for edge in spec.edges:
        nxt[edge.source].add(edge.target)
    for name, node in spec.nodes.items():
        if isinstance(node, RouterNode):
            nxt[name].update(node.routes.values())
            if node.default:
                nxt[name].add(node.default)
        if isinstance(node, MapNode):
            nxt[name].add(node.node)
    return nxt


def _known(spec: GraphSpec) -> str:
    return ", ".join(list(spec.nodes) + [END])


def check_spec(spec: GraphSpec) -> list[Problem]:
    """Every cross-field problem of ``spec`` (empty when it is sound)."""
    problems: list[Problem] = []
    fields = set(spec.state)
    nodes = set(spec.nodes)

    def need_field(path: tuple[str | int, ...], name: str, what: str) -> None:
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
        if field.reducer not in BUILTIN_REDUCERS and reducer(field.reducer) is None:
            problems.append((("state", field_name, "reducer"),
                             f"unknown reducer {field.reducer!r}; built-in reducers: {', '.join(BUILTIN_REDUCERS)} "
                             f"(others are registered with agentkit.register_reducer)"))
        if field.reducer == "messages" and field.type not in ("messages", "any"):
            problems.append((("state", field_name, "type"), "the messages reducer needs type 'messages'"))
    for i, edge in enumerate(spec.edges):
        if edge.source not in nodes:
            problems.append((("edges", i, "from"), f"edge from unknown node {edge.source!r}; nodes: {', '.join(spec.nodes)}"))
        if edge.target not in nodes and edge.target != END:
            problems.append((("edges", i, "to"), f"edge to unknown node {edge.target!r}; valid targets: {_known(spec)}"))

    item_names: dict[str, set[str]] = defaultdict(set)  # map item variables visible in a node's templates
    for name, node in spec.nodes.items():
        base = ("nodes", name)
        if isinstance(node, MapNode):
            need_field(base + ("over",), node.over, "map source")
            if node.node not in nodes:
                problems.append((base + ("node",), f"map over unknown node {node.node!r}; nodes: {', '.join(spec.nodes)}"))
            item_names[node.node].add(node.item)
        if isinstance(node, RouterNode):
            for label, target in node.routes.items():
                if target not in nodes and target != END:
                    problems.append((base + ("routes", label),
                                     f"route {label!r} goes to unknown node {target!r}; valid targets: {_known(spec)}"))
            if (node.expression is None) == (node.prompt is None):
                problems.append((base, "a router needs exactly one of 'expression' or 'prompt'"))
            if node.default and node.default not in nodes and node.default != END:
                problems.append((base + ("default",), f"default goes to unknown node {node.default!r}; "
                                                      f"valid targets: {_known(spec)}"))
        if isinstance(node, PluginNode):  # more fields a plug-in kind writes (its model's state_fields())
            for key, field_name in _plugin_hook(node, "state_fields").items():
                need_field(base + _key_path(key), field_name, key)
        output = getattr(node, "output", None)
        if output is not None:
            need_field(base + ("output",), output, "output")
            if output in fields:
                problems += _type_problems(spec, name, output)

    for name, node in spec.nodes.items():
        base = ("nodes", name)
        visible = fields | item_names[name]
        templates: list[tuple[tuple[str | int, ...], str]] = []
        if isinstance(node, (LLMNode, AgentNode)):
            templates.append((base + ("prompt",), node.prompt))
            if node.system:
                templates.append((base + ("system",), node.system))
        if isinstance(node, RouterNode) and node.prompt:
            templates.append((base + ("prompt",), node.prompt))
        if isinstance(node, ToolNode):
            templates += [(base + ("args", key), value) for key, value in node.args.items() if isinstance(value, str)]
        if isinstance(node, PluginNode):  # a plug-in kind's templates (its model's templates())
            templates += [(base + _key_path(key), value) for key, value in _plugin_hook(node, "templates").items()]
        if isinstance(node, AgentNode):  # arguments pinned for high-risk tools
            templates += [(base + ("allow_high_risk", tool, key), value) for tool, pinned in node.allow_high_risk.items()
                          for key, value in pinned.items() if isinstance(value, str)]
        for path, template in templates:
            try:
                used = template_fields(template)
            except ValueError as exc:
                problems.append((path, f"bad template: {exc} (write {{{{ and }}}} for literal braces)"))
                continue
            for var in sorted(used - visible):
                problems.append((path, f"template variable {{{var}}} is not a state field; "
                                       f"available: {', '.join(sorted(visible)) or '(none)'}"))

    if spec.entry in nodes:
        problems += _flow_problems(spec)
    return problems


def _key_path(key: str) -> tuple[str | int, ...]:
    """A plug-in hook's key as a field path: ``"metadata.topic"``, ``"files.0"``."""
    return tuple(int(part) if part.isdigit() else part for part in key.split("."))


def _plugin_hook(node: PluginNode, method: str) -> dict[str, str]:
    """``{key: value}`` from a plug-in model's optional ``templates()`` / ``state_fields()``."""
    hook = getattr(node.plugin_spec(), method, None)
    return {key: value for key, value in (hook() if callable(hook) else {}).items() if value is not None}


_JSON_TO_FIELD = {"object": "dict", "array": "list", "string": "str", "number": "float",
                  "integer": "int", "boolean": "bool"}


def _type_problems(spec: GraphSpec, name: str, output: str) -> list[Problem]:
    """A node's output type against its target field's declared type and reducer."""
    node, target = spec.nodes[name], spec.state[output]
    path = ("nodes", name, "output")
    if isinstance(node, MapNode):
        if target.type not in ("list", "any") or target.reducer != "append":
            return [(path, f"map output {output!r} collects one result per item: declare it "
                           f"{{type: list, reducer: append}} (it is {{type: {target.type}, reducer: {target.reducer}}})")]
        return []
    if isinstance(node, (LLMNode, AgentNode)):
        schema = node.output_schema if isinstance(node, LLMNode) else None
        writes = "str" if schema is None else _JSON_TO_FIELD.get(str(schema.get("type")), "any")
        accepts = {writes, "any"} | ({"int", "float"} if writes in ("int", "float") else set())
        if target.reducer == "append":
            accepts |= {"list"}
        if target.type not in accepts:
            what = "text" if schema is None else f"JSON of type {schema.get('type')!r}"
            return [(path, f"node {name!r} writes {what} ({writes}) but state field {output!r} has type "
                           f"{target.type!r}; declare the field as {writes!r} or 'any'")]
    return []


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
