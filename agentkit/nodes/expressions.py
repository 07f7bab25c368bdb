"""Router expressions: a small, safe expression language over state.

Written by hand because Python's ``eval`` is never safe on spec text.  It parses
with ``ast`` and evaluates only: literals, state field names, comparisons,
``and``/``or``/``not``, ``in``, arithmetic, conditional expressions,
subscripts, and the functions ``len``, ``lower``, ``str``, ``int``, ``float``,
``contains_any(text, [words])`` (does ``text`` contain any of the words or phrases,
ignoring case: a keyword rule for a router) and ``file_type(path)`` (``'video'``,
``'audio'``, ``'image'`` or ``''``, from a file name's extension: a router on the kind of
file a run was given; opening the file checks what it really holds) and
``asks_to_combine(question)`` (does a question give quantities of its own -- "two adults",
"£60" -- or words that combine facts -- "more than", "together": what a question needing
arithmetic has; ``agentkit.nodes._reading.asks_to_combine``).
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from agentkit.errors import ExpressionError
from agentkit.nodes._reading import asks_to_combine

__all__ = ["ExpressionError", "compile_expression"]

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.Mod: operator.mod, ast.FloorDiv: operator.floordiv}
_COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
            ast.Gt: operator.gt, ast.GtE: operator.ge, ast.In: lambda a, b: a in b,
            ast.NotIn: lambda a, b: a not in b}
def _contains_any(text: Any, words: Any) -> bool:
    if not isinstance(words, list):
        raise ExpressionError("contains_any(text, words): words must be a list, e.g. ['total', 'sum of']")
    haystack = str(text or "").casefold()
    return any(str(word).casefold() in haystack for word in words)


def _file_type(path: Any) -> str:
    if not isinstance(path, (str, PurePath)):
        return ""
    from agentkit.media.probe import media_type
    from agentkit.vision.images import ALLOWED_FORMATS

    kind = media_type(path)
    if kind:
        return kind
    suffix = PurePath(path).suffix.lower()
    return "image" if any(suffix in extensions for extensions in ALLOWED_FORMATS.values()) else ""


_FUNCTIONS = {"len": len, "lower": lambda s: str(s).lower(), "str": str, "int": int, "float": float,
              "contains_any": _contains_any, "file_type": _file_type,
              "asks_to_combine": lambda text: asks_to_combine(str(text or ""))}
_MAX_LENGTH = 500


def _check(node: ast.AST, names: set[str]) -> None:
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and child.id not in names and child.id not in _FUNCTIONS:
            raise ExpressionError(f"unknown name {child.id!r}; use state fields ({', '.join(sorted(names))}) "
                                  f"or {', '.join(_FUNCTIONS)}")
        if isinstance(child, ast.Call) and not (isinstance(child.func, ast.Name) and child.func.id in _FUNCTIONS):
            raise ExpressionError(f"only these functions may be called: {', '.join(_FUNCTIONS)}")
        allowed = (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.BinOp,
                   ast.Compare, ast.IfExp, ast.Call, ast.Name, ast.Load, ast.Constant, ast.Subscript,
                   ast.List, ast.Tuple, *_BINARY, *_COMPARE)
        if not isinstance(child, allowed):
            raise ExpressionError(f"{type(child).__name__} is not allowed in an expression")


def _eval(node: ast.AST, state: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Expression):
        return _eval(node.body, state)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return state.get(node.id)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_eval(e, state) for e in node.elts]
    if isinstance(node, ast.BoolOp):
        values = (_eval(v, state) for v in node.values)
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, state)
        return (not value) if isinstance(node.op, ast.Not) else -value
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_eval(node.left, state), _eval(node.right, state))
    if isinstance(node, ast.Compare):
        left = _eval(node.left, state)
        for op, comparator in zip(node.ops, node.comparators, strict=False):
            right = _eval(comparator, state)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.IfExp):
        return _eval(node.body, state) if _eval(node.test, state) else _eval(node.orelse, state)
    if isinstance(node, ast.Subscript):
        return _eval(node.value, state)[_eval(node.slice, state)]
    if isinstance(node, ast.Call):
        return _FUNCTIONS[node.func.id](*(_eval(a, state) for a in node.args))  # type: ignore[union-attr]
    raise ExpressionError(f"{type(node).__name__} is not allowed")


def compile_expression(text: str, names: set[str]) -> Any:
    """Parse and check ``text``; return a function of the state."""
    if len(text) > _MAX_LENGTH:
        raise ExpressionError(f"expression longer than {_MAX_LENGTH} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"invalid expression {text!r}: {exc.msg}") from None
    _check(tree, names)

    def evaluate(state: Mapping[str, Any]) -> Any:
        try:
            return _eval(tree, state)
        except ExpressionError:
            raise
        except Exception as exc:  # a type error on real state values, say
            raise ExpressionError(f"expression {text!r} failed on the state: {type(exc).__name__}: {exc}") from None

    return evaluate
