"""Loading graph specs from YAML, with every error located (file, line, field path).

YAML is composed with PyYAML's safe loader and turned into plain data here,
node by node, so that (a) every value's line is known, (b) any tag beyond the
core schema (``!!python/object`` and friends) is refused before anything is
constructed, and (c) alias bombs, deep nesting and huge files are refused with
a budget instead of exhausting memory.  Pydantic then validates the data; its
error locations are mapped back to lines.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from agentkit.errors import FileTooLargeError, GraphBuildError, SpecError, SpecIssue, UserError, UserFileError
from agentkit.files import printable, read_user_file
from agentkit.registry import kind_names, node_kind
from agentkit.spec.checks import check_spec
from agentkit.spec.models import (
    BudgetSpec,
    EdgeSpec,
    GraphSpec,
    McpServerSpec,
    NodeSpec,
    Origin,
    RetrySpec,
    StateField,
)

__all__ = ["MAX_SPEC_BYTES", "dump_spec", "load_spec", "parse_spec", "resolve_graph", "validate_data"]

MAX_SPEC_BYTES = 1_000_000
MAX_VALUES = 100_000  # values after alias expansion
MAX_DEPTH = 64

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("map", "seq", "str", "int", "float", "bool", "null")}
# libyaml's parser when PyYAML has it (about ten times faster); it builds the same nodes.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[str | int, ...]


class _Refused(Exception):
    def __init__(self, path: Path_, line: int | None, message: str) -> None:
        super().__init__(message)
        self.path, self.line, self.message = path, line, message


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)


# -- YAML -> data with lines ---------------------------------------------------------


def _to_data(node: yaml.Node, path: Path_, lines: dict[Path_, int], budget: list[int], depth: int) -> Any:
    line = node.start_mark.line + 1
    budget[0] -= 1
    if budget[0] < 0:
        raise _Refused(path, line, f"the document expands to more than {MAX_VALUES:,} values "
                                   f"(an alias bomb?); specs are small")
    if depth > MAX_DEPTH:
        raise _Refused(path, line, f"nested more than {MAX_DEPTH} levels deep")
    lines.setdefault(path, line)
    if node.tag not in _ALLOWED_TAGS:
        raise _Refused(path, line, f"YAML tag {node.tag!r} is not allowed; a spec is plain data "
                                   f"(mappings, lists, strings, numbers, booleans, null)")
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _CORE + "merge":
                raise _Refused(path, key_node.start_mark.line + 1, "YAML merge keys (<<) are not supported")
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
                raise _Refused(path, key_node.start_mark.line + 1, "mapping keys must be plain strings")
            key = str(key_node.value)
            if key in out:
                raise _Refused((*path, key), key_node.start_mark.line + 1, f"duplicate key {key!r}")
            lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _to_data(value_node, (*path, key), lines, budget, depth + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(item, (*path, i), lines, budget, depth + 1) for i, item in enumerate(node.value)]
    return yaml.constructor.SafeConstructor().construct_object(node)  # a core-schema scalar


def _parse_yaml(text: str, source: str) -> tuple[Any, dict[Path_, int]]:
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise SpecError([SpecIssue(path="", line=line, message=f"invalid YAML: {problem}")], source) from None
    except yaml.YAMLError as exc:
        raise SpecError([SpecIssue(path="", line=None, message=f"invalid YAML: {exc}")], source) from None
    except RecursionError:
        raise SpecError([SpecIssue(path="", line=None, message="the YAML is nested too deeply")], source) from None
    if root is None:
        raise SpecError([SpecIssue(path="", line=None, message="the file is empty; a spec needs "
                                                                "at least name, entry and nodes")], source)
    lines: dict[Path_, int] = {}
    try:
        data = _to_data(root, (), lines, [MAX_VALUES], 0)
    except _Refused as exc:
        raise SpecError([SpecIssue(path=_dotted(exc.path), line=exc.line, message=exc.message)], source) from None
    return data, lines


# -- pydantic errors -> located issues ---------------------------------------------------


def _line_for(path: Path_, lines: dict[Path_, int]) -> int | None:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _model_at(path: Path_, data: Any) -> type[BaseModel] | None:
    """The spec model that validates the mapping at ``path`` (for 'valid keys' hints)."""
    if path == ():
        return GraphSpec
    if len(path) == 2 and path[0] == "nodes" and isinstance(data, dict):
        node = (data.get("nodes") or {}).get(path[1])
        if not isinstance(node, dict) or not isinstance(node.get("kind"), str):
            return None
        try:
            return node_kind(node["kind"]).spec
        except UserError:
            return None
    if len(path) == 2 and path[0] == "state":
        return StateField
    if len(path) == 2 and path[0] == "edges":
        return EdgeSpec
    if len(path) == 2 and path[0] == "mcp_servers":
        return McpServerSpec
    if len(path) == 3 and path[0] == "nodes" and path[2] == "retry":
        return RetrySpec
    if path in (("budget",),) or (len(path) == 3 and path[0] == "nodes" and path[2] == "budget"):
        return BudgetSpec
    return None


def _keys_of(model: type[BaseModel]) -> list[str]:
    """The model's keys as written in YAML; for a node, ``kind`` and the kind's own keys come
    before the keys every node has."""
    keys = [info.alias or name for name, info in model.model_fields.items()]
    if issubclass(model, NodeSpec):
        common = list(NodeSpec.model_fields)
        keys = ["kind", *(k for k in keys if k not in common), *(k for k in common if k != "kind")]
    return keys


def _issue_from(error: Any, data: Any, lines: dict[Path_, int]) -> SpecIssue:
    loc: Path_ = tuple(error["loc"])
    kind, message = error["type"], error["msg"]
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
        if message.startswith(("unknown node kind", "missing 'kind'")) and loc[-1:] != ("kind",):
            loc = (*loc, "kind")
        if message == "missing 'kind'":
            message = f"missing 'kind'; known kinds: {', '.join(kind_names())}"
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1], data)
        message = f"unknown key {loc[-1]!r}"
        if model is not None:
            message += f"; valid keys: {', '.join(_keys_of(model))}"
    elif kind == "missing":
        message = f"missing required key {loc[-1]!r}"
    else:
        given = error.get("input")
        if not isinstance(given, (dict, list)):
            shown = json.dumps(given, default=str)
            message += f" (got {shown[:60] + '...' if len(shown) > 60 else shown})"
    return SpecIssue(path=_dotted(loc), line=_line_for(loc, lines), message=message)


# -- public API ---------------------------------------------------------------------------


def parse_spec(text: str, *, source: str = "<spec>") -> GraphSpec:
    """Parse and validate spec text (YAML or JSON); raise ``SpecError`` listing every problem."""
    if len(text.encode("utf-8", errors="replace")) > MAX_SPEC_BYTES:
        raise SpecError([SpecIssue(path="", line=None,
                                   message=f"the file is larger than {MAX_SPEC_BYTES:,} bytes")], source)
    data, lines = _parse_yaml(text, source)
    return validate_data(data, lines=lines, source=source)


def validate_data(data: Any, *, lines: dict[Path_, int] | None = None, source: str = "<spec>") -> GraphSpec:
    """Validate plain data (as loaded from YAML or built in Python) into a checked spec."""
    lines = lines or {}
    if not isinstance(data, dict):
        raise SpecError([SpecIssue(path="", line=_line_for((), lines),
                                   message=f"a spec is a mapping, got {type(data).__name__}")], source)
    try:
        spec = GraphSpec.model_validate(data)
    except ValidationError as exc:
        issues = [_issue_from(error, data, lines) for error in exc.errors()]
        raise SpecError(issues, source) from None
    problems = check_spec(spec)
    if problems:
        raise SpecError([SpecIssue(path=_dotted(path), line=_line_for(path, lines), message=message)
                         for path, message in problems], source)
    origin = Path(source)
    return spec.with_origin(Origin(source=source, path=origin.resolve() if origin.is_file() else None, lines=lines))


def load_spec(source: str | Path | GraphSpec) -> GraphSpec:
    """A ``GraphSpec`` from a file path, a shipped graph's name, or an existing spec (re-checked)."""
    if isinstance(source, GraphSpec):
        problems = check_spec(source)
        if problems:
            raise SpecError([SpecIssue(path=_dotted(p), line=source.line_of(*p), message=m) for p, m in problems],
                            source.origin.source if source.origin.path else f"<spec {source.name}>")
        return source
    path = Path(source)
    if not path.exists():
        from agentkit.graphs import shipped_graph

        path = shipped_graph(str(source)) or path
    try:  # a fifo, a device or a huge file named as a spec is refused, never read
        text = read_user_file(path, max_bytes=MAX_SPEC_BYTES, what="spec file").decode("utf-8")
    except FileTooLargeError:
        raise SpecError([SpecIssue(path="", line=None, message=f"the file is larger than {MAX_SPEC_BYTES:,} bytes")],
                        str(path)) from None
    except UserFileError as exc:
        message = exc.reason
        if not path.exists() and not path.is_symlink():
            from agentkit.graphs import shipped_graphs

            message = f"no such file (nor a shipped graph of that name: {', '.join(shipped_graphs())})"
        raise SpecError([SpecIssue(path="", line=None, message=message)], printable(str(path))) from None
    except UnicodeDecodeError:
        raise SpecError([SpecIssue(path="", line=None, message="is not UTF-8 text")], str(path)) from None
    return parse_spec(text, source=str(path))


def resolve_graph(reference: str, base_dir: Path) -> Path:
    """A subgraph reference -> its file: a path relative to the including spec, or a
    graph name looked up as ``NAME.yaml`` in that folder, its ``graphs/`` folder, the
    folders of ``AGENTKIT_GRAPHS_PATH`` (os.pathsep-separated) and the shipped graphs."""
    direct = (base_dir / reference).resolve()
    if direct.is_file() or reference.endswith((".yaml", ".yml")) or "/" in reference:
        return direct
    from agentkit.graphs import GRAPHS_DIR

    folders = [base_dir, base_dir / "graphs",
               *(Path(p) for p in os.environ.get("AGENTKIT_GRAPHS_PATH", "").split(os.pathsep) if p), GRAPHS_DIR]
    for folder in folders:
        for suffix in (".yaml", ".yml"):
            candidate = folder / f"{reference}{suffix}"
            if candidate.is_file():
                return candidate.resolve()
    raise GraphBuildError(f"no graph named {reference!r}; looked for {reference}.yaml in "
                          f"{', '.join(str(f) for f in folders)}", key="graph")


def dump_spec(spec: GraphSpec) -> str:
    """YAML text that ``parse_spec`` turns back into an equal spec."""
    data = spec.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data = {"name": data.pop("name"), "entry": data.pop("entry"), **data}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
