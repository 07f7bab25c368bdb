"""``{field}`` templates over run state: the one place they are parsed, checked and filled.

A template names state fields in braces (``"Q: {question}"``); ``{{`` and ``}}`` are
literal braces; a format spec works on numbers (``{price:.2f}``).  Only plain field
names are allowed -- no attribute or index access on state values -- so a template
can read state but never reach into objects.

- ``template_fields`` / ``check_template``: the fields a template reads (ValueError
  on anything but plain names), for spec checks and model validators;
- ``render``: the text, every value shown as ``prompt_text`` shows it;
- ``whole_field`` / ``fill``: a value that is exactly ``"{field}"`` stands for the
  field's value itself, keeping its type (a list stays a list, bytes stay bytes);
  anything else is rendered text;
- ``prompt_text``: how a state value reads inside a prompt (retrieved passages as
  numbered passages with their sources, which an answer can cite).
"""

from __future__ import annotations

import json
import string
from typing import Any

from agentkit.errors import UserError

__all__ = ["check_template", "fill", "is_passages", "prompt_text", "render", "template_fields", "whole_field"]


class _PlainFormatter(string.Formatter):
    """``{field}`` substitution only: no attribute or index access on state values."""

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        if not field_name.isidentifier():
            raise UserError(f"template field {{{field_name}}}: only plain {{field}} names are allowed")
        return super().get_field(field_name, args, kwargs)


_FORMATTER = _PlainFormatter()


def template_fields(template: str) -> set[str]:
    """The state fields ``template`` reads; ValueError on anything but plain names."""
    names: set[str] = set()
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError as exc:  # a lone "{" or "}"
        raise ValueError(f"{exc} (write {{{{ and }}}} for literal braces)") from None
    for _, field, _, _ in parsed:
        if field is None:
            continue
        if not field.isidentifier():
            raise ValueError(f"{{{field}}}: only plain {{field}} names are allowed")
        names.add(field)
    return names


def check_template(value: str | None) -> str | None:
    """``value`` unchanged if it is a template of plain ``{field}`` names (ValueError otherwise):
    a pydantic field validator for node keys that are templates."""
    if value is not None:
        template_fields(value)
    return value


def is_passages(value: Any) -> bool:
    """A non-empty list of dicts that carry ``text`` (what a ``retrieve`` node writes)."""
    return bool(value) and isinstance(value, list) and all(isinstance(v, dict) and "text" in v for v in value)


def prompt_text(value: Any) -> str:
    """How a state value reads inside a prompt: text as is, None as nothing, retrieved
    passages as numbered passages with their sources (``[1] handbook.md, page 2``), any
    other list or dict as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if is_passages(value):
        blocks = []
        for number, item in enumerate(value, 1):
            where = ", ".join(str(part) for part in (
                item.get("source"), f"page {item['page']}" if item.get("page") is not None else None) if part)
            blocks.append(f"[{number}] {where}\n{item['text']}" if where else f"[{number}]\n{item['text']}")
        return "\n\n".join(blocks)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def render(template: str, state: dict[str, Any]) -> str:
    """Fill ``template`` from ``state``: a missing field renders empty; numbers stay numbers,
    so ``{price:.2f}`` works; a format spec that does not fit the value is a ``UserError``
    naming the field."""
    names = {name for _, name, _, _ in _FORMATTER.parse(template) if name}
    values = {n: v if isinstance(v := state.get(n), (int, float)) and not isinstance(v, bool) else prompt_text(v)
              for n in names}
    try:
        return _FORMATTER.vformat(template, (), values)
    except (ValueError, TypeError) as exc:
        shown = {n: type(state.get(n)).__name__ for n in sorted(names)}
        raise UserError(f"template {template[:80]!r} cannot show its fields ({exc}); the fields hold: "
                        + ", ".join(f"{n} ({kind})" for n, kind in shown.items())
                        + ". A format spec such as {price:.2f} needs a number") from None


def whole_field(template: str) -> str | None:
    """The field ``template`` names when it is exactly one ``{field}`` (spaces around allowed), else None."""
    stripped = template.strip()
    if stripped.startswith("{") and stripped.endswith("}") and stripped[1:-1].isidentifier():
        return stripped[1:-1]
    return None


def fill(value: Any, state: dict[str, Any]) -> Any:
    """A node key's value for this state: a whole-field reference (``"{image}"``) gives the
    field's value with its type; any other string is rendered; other values are as written."""
    if not isinstance(value, str):
        return value
    field = whole_field(value)
    return state.get(field) if field is not None else render(value, state)
