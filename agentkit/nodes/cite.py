"""The ``cite`` node kind: which sources an answer drew on.

```yaml
sources: {kind: cite, passages: passages, answer: answer, files: ["{image}"], output: sources}
```

``passages`` names the state field a ``retrieve`` node wrote; ``answer`` (optional)
names the field holding the answer text.  When the answer cites passages by number
(``[1]``, ``[2, 3]``, as the prompt of a passage list invites), only those are kept, in
the order cited; when it cites none (or there is no ``answer``), every passage counts.
``files`` are templates naming files the answer read directly (an image path);
a path is shown by its file name.  The output is a list of ``{source, page}``
without repeats.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any, Literal

from pydantic import Field, field_validator

from agentkit.nodes import BuildContext, NodeAction, NodeKind, NodeSpec, check_template, fill

__all__ = ["KIND", "CiteNode", "build_cite", "cited_sources"]

_CITATION = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")


class CiteNode(NodeSpec):
    """List the sources an answer used."""

    kind: Literal["cite"]
    passages: str | None = Field(default=None, description="the state field holding retrieved passages")
    answer: str | None = Field(default=None, description="the state field holding the answer text")
    files: list[str] = Field(default_factory=list, description="templates naming files the answer read")
    output: str

    @field_validator("files")
    @classmethod
    def _file_templates(cls, value: list[str]) -> list[str]:
        for template in value:
            check_template(template)
        return value

    def templates(self) -> dict[str, str | None]:
        return {f"files.{i}": template for i, template in enumerate(self.files)}

    def reads(self) -> dict[str, str | None]:
        return {"passages": self.passages, "answer": self.answer}


def cited_sources(passages: list[dict[str, Any]] | None, answer: str | None = None) -> list[dict[str, Any]]:
    """``{source, page}`` of the passages ``answer`` cites by number (all of them when it cites
    none), in citation order, each source and page once."""
    passages = [p for p in passages or [] if isinstance(p, dict)]
    numbers = [int(n) for group in _CITATION.findall(answer or "") for n in re.split(r"[,;]", group)]
    chosen = [passages[n - 1] for n in numbers if 1 <= n <= len(passages)] or passages
    out: list[dict[str, Any]] = []
    for passage in chosen:
        entry = {"source": passage.get("source"), "page": passage.get("page")}
        if entry["source"] and entry not in out:
            out.append(entry)
    return out


def _file_name(value: Any) -> str | None:
    if isinstance(value, (bytes, bytearray)):
        return "(image bytes)"
    text = str(value).strip() if value is not None else ""
    return PurePath(text).name if text else None


def build_cite(name: str, node: CiteNode, context: BuildContext) -> NodeAction:
    def run(state: dict[str, Any]) -> dict[str, Any]:
        sources = cited_sources(state.get(node.passages) if node.passages else None,
                                state.get(node.answer) if node.answer else None)
        for template in node.files:
            file_name = _file_name(fill(template, state))  # a whole-field reference keeps bytes as bytes
            if file_name and {"source": file_name, "page": None} not in sources:
                sources.append({"source": file_name, "page": None})
        return {node.output: sources}

    return run


KIND = NodeKind(name="cite", spec=CiteNode, build=build_cite)
