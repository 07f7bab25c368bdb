"""``regex_extract``: an agentkit plug-in node kind that pulls regular-expression matches out of text.

```yaml
emails:
  kind: regex_extract
  text: "{body}"                                  # a template over state, like an llm node's prompt
  pattern: '(?P<user>[\\w.+-]+)@(?P<domain>[\\w.-]+)'
  flags: [ignorecase]                             # ignorecase, multiline, dotall, verbose, ascii
  max_matches: 100                                # at most this many (default 100)
  output: emails
```

``output`` receives a list: one dict per match when the pattern has named groups
(``{"user": ..., "domain": ...}``), the group's text when it has exactly one unnamed
group, a list of the groups' texts when it has several, and the whole match when it
has none.  No match gives ``[]``.

Everything is checked when the spec loads (``agentkit validate`` reports it with the
file, line and node): the pattern must compile with the given flags, the flags must
be known, and ``text`` may use only plain ``{field}`` placeholders.  The pattern is
part of the spec, written by the graph's author; only the text comes from the run.
Python's ``re`` has no time limit, so a pattern that backtracks badly on long input
can take long: give the node a ``timeout_s``.

The package registers the kind through the entry point
``[project.entry-points."agentkit.node_kinds"] regex_extract = "agentkit_regex_extract:REGEX_EXTRACT"``;
without installing a package, ``agentkit.register_node_kind(REGEX_EXTRACT)`` does the
same in one process (see ``in_process.py`` next to this package).
"""

from __future__ import annotations

import re
from functools import reduce
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from agentkit.nodes import BuildContext, NodeAction, NodeKind, NodeSpec, check_template, render

__all__ = ["FLAGS", "REGEX_EXTRACT", "RegexExtractNode", "build_regex_extract", "compile_pattern", "extract"]

FLAGS = {"ignorecase": re.IGNORECASE, "multiline": re.MULTILINE, "dotall": re.DOTALL, "verbose": re.VERBOSE,
         "ascii": re.ASCII}


class RegexExtractNode(NodeSpec):
    """The node's YAML keys (agentkit validates them with this model when a spec loads); the
    keys every node has (description, retry, timeout_s, approval, budget) come from NodeSpec."""

    kind: Literal["regex_extract"]
    text: str = Field(min_length=1, description="a {field} template: the text to search")
    flags: list[Literal["ignorecase", "multiline", "dotall", "verbose", "ascii"]] = Field(default_factory=list)
    pattern: str = Field(min_length=1, max_length=2000, description="a Python regular expression")  # after flags
    max_matches: int = Field(default=100, ge=1, le=10_000)
    output: str

    @field_validator("text")
    @classmethod
    def _plain_template(cls, value: str) -> str:
        return check_template(value)  # ValueError: only plain {field} names

    def templates(self) -> dict[str, str]:
        """The templates agentkit checks against the graph's state fields (``agentkit validate``)."""
        return {"text": self.text}

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, value: str, info: ValidationInfo) -> str:
        try:
            compile_pattern(value, info.data.get("flags", []))
        except re.error as exc:
            where = f" at position {exc.pos}" if exc.pos is not None else ""
            raise ValueError(f"{value!r} is not a valid regular expression: {exc.msg}{where}") from None
        return value


def compile_pattern(pattern: str, flags: list[str]) -> re.Pattern[str]:
    return re.compile(pattern, reduce(lambda a, b: a | b, (FLAGS[f] for f in flags), 0))


def extract(pattern: re.Pattern[str], text: str, limit: int) -> list[Any]:
    """Up to ``limit`` matches of ``pattern`` in ``text``, shaped as the module docstring says."""
    found: list[Any] = []
    for match in pattern.finditer(text):
        if len(found) >= limit:
            break
        if pattern.groupindex:
            found.append(match.groupdict())
        elif pattern.groups == 1:
            found.append(match.group(1))
        elif pattern.groups:
            found.append(list(match.groups()))
        else:
            found.append(match.group(0))
    return found


def build_regex_extract(name: str, node: RegexExtractNode, context: BuildContext) -> NodeAction:
    """The node's function: compiled once when the graph is built, run on each state."""
    pattern = compile_pattern(node.pattern, node.flags)

    def run(state: dict[str, Any]) -> dict[str, Any]:
        return {node.output: extract(pattern, render(node.text, state), node.max_matches)}

    return run


REGEX_EXTRACT = NodeKind(name="regex_extract", spec=RegexExtractNode, build=build_regex_extract)
