"""The ``calculator`` tool: arithmetic a small model should not do in its head.

It evaluates one expression by walking its Python syntax tree (never ``eval``):
numbers, ``+ - * / // % **``, unary minus, parentheses and the functions
``round, min, max, abs, sqrt``.  ``x`` or ``×`` between two numbers means
multiply, ``÷`` divide, and ``1,200`` is read as 1200 where that cannot be a list
of arguments (inside a function call it is refused as ambiguous).  Bounds keep a
call cheap: at most 200 characters, exponents up to 100 and every intermediate
result within 1e15 in magnitude.  Anything else raises ``ToolException`` saying
what is allowed, so an agent's model reads the reason and may try again.  The
result is text: an integer without ``.0``, other numbers to 15 significant digits.

```yaml
solve: {kind: agent, prompt: "{question}", tools: [calculator], output: answer}
```
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable
from typing import Any

from langchain_core.tools import ToolException, tool
from pydantic import BaseModel, Field

__all__ = ["MAX_EXPONENT", "MAX_LENGTH", "MAX_MAGNITUDE", "calculator", "evaluate"]

MAX_LENGTH = 200
MAX_EXPONENT = 100
MAX_MAGNITUDE = 1e15
ALLOWED = ("allowed: numbers, + - * / // % ** (or x for multiply), parentheses and the functions "
           "round, min, max, abs, sqrt")

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
}
_UNARY: dict[type, Callable[[Any], Any]] = {ast.USub: operator.neg, ast.UAdd: operator.pos}


def _round(value: float, digits: int | None = None) -> float:
    if digits is not None and (not isinstance(digits, int) or not -15 <= digits <= 15):
        raise ToolException("round(x, n): n must be a whole number from -15 to 15")
    return round(value) if digits is None else round(value, digits)


def _sqrt(value: float) -> float:
    if value < 0:
        raise ToolException(f"sqrt of a negative number ({value}) is not a real number")
    return math.sqrt(value)


# name -> (function, fewest arguments, most arguments or None)
_FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int | None]] = {
    "round": (_round, 1, 2), "min": (min, 2, None), "max": (max, 2, None), "abs": (abs, 1, 1), "sqrt": (_sqrt, 1, 1),
}

_TIMES = re.compile(r"(?<=[\d.)])\s*[x×X]\s*(?=[\d.(])")
_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?!\d)")
_HEX = re.compile(r"\b0[xXbBoO][0-9a-fA-F]")
_OPERATOR_NAMES = {ast.BitXor: "^ (write ** for a power)", ast.BitAnd: "&", ast.BitOr: "|", ast.LShift: "<<",
                   ast.RShift: ">>", ast.MatMult: "@"}


def _prepare(expression: str) -> str:
    text = expression.strip().rstrip("=").strip()
    if not text:
        raise ToolException(f"the expression is empty; {ALLOWED}")
    if len(text) > MAX_LENGTH:
        raise ToolException(f"the expression is {len(text)} characters, over the limit of {MAX_LENGTH}; "
                            f"split it into smaller calculations")
    if _HEX.search(text):
        raise ToolException(f"only decimal numbers are supported; {ALLOWED}")
    text = _TIMES.sub("*", text.replace("÷", "/").replace("−", "-"))
    groups = _THOUSANDS.findall(text)
    if groups:
        if re.search(r"[A-Za-z_]\s*\(", text):  # inside a call, 1,200 may be two arguments
            raise ToolException(f"{groups[0]!r} is ambiguous next to a function call: write numbers without "
                                f"thousands separators (e.g. {groups[0].replace(',', '')}) and separate arguments "
                                f"with ', '")
        text = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), text)
    return text


def _checked(value: Any) -> int | float:
    if isinstance(value, complex):
        raise ToolException("the result is not a real number (e.g. a fractional power of a negative number)")
    if (isinstance(value, float) and not math.isfinite(value)) or abs(value) > MAX_MAGNITUDE:
        raise ToolException(f"a result is larger than {MAX_MAGNITUDE:.0e} in magnitude, over the limit")
    return value


def _walk(node: ast.AST) -> int | float:
    if isinstance(node, ast.Expression):
        return _walk(node.body)
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return _checked(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _walk(node.left), _walk(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
            raise ToolException(f"the exponent {right} is over the limit of {MAX_EXPONENT}")
        try:
            return _checked(_BINARY[type(node.op)](left, right))
        except ZeroDivisionError:
            raise ToolException("division by zero") from None
        except OverflowError:
            raise ToolException(f"a result is larger than {MAX_MAGNITUDE:.0e} in magnitude, over the limit") from None
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _checked(_UNARY[type(node.op)](_walk(node.operand)))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS:
        function, fewest, most = _FUNCTIONS[node.func.id]
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise ToolException(f"{node.func.id}() takes plain arguments only; {ALLOWED}")
        if not fewest <= len(node.args) <= (most or len(node.args)):
            wanted = f"{fewest}" if fewest == most else f"{fewest} to {most}" if most else f"at least {fewest}"
            raise ToolException(f"{node.func.id}() takes {wanted} arguments, got {len(node.args)}")
        return _checked(function(*(_walk(a) for a in node.args)))
    raise ToolException(f"{_describe(node)} is not allowed; {ALLOWED}")


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return f"the name {node.id!r}"
    if isinstance(node, ast.Call):
        called = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
        return f"calling {called}()"
    if isinstance(node, ast.Attribute):
        return f"the attribute {ast.unparse(node)!r}"
    if isinstance(node, (ast.BinOp, ast.UnaryOp)):
        return f"the operator {_OPERATOR_NAMES.get(type(node.op), type(node.op).__name__)}"
    if isinstance(node, ast.Constant):
        return f"the value {node.value!r}"
    if isinstance(node, ast.Tuple):
        return "a list of values (a comma outside a function call)"
    return f"{type(node).__name__.lower()} syntax"


def _text(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if isinstance(value, int) else format(value, ".15g")


def evaluate(expression: str) -> str:
    """The value of an arithmetic ``expression`` as text; ToolException saying what is allowed otherwise."""
    text = _prepare(expression)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        raise ToolException(f"{expression.strip()!r} is not an arithmetic expression; {ALLOWED}") from None
    return _text(_walk(tree))


class CalculatorArgs(BaseModel):
    # max_length reaches the grammar, so a model's runaway number stops at the bound.  The
    # example has no numbers: the 0.5B default model copied "17 * 23 + 4" from an earlier one.
    expression: str = Field(max_length=MAX_LENGTH,
                            description="An arithmetic expression over the problem's own numbers, e.g. "
                                        "'(a + b) * c' written with numbers; round() and sqrt() are allowed.")


@tool(args_schema=CalculatorArgs)
def calculator(expression: str) -> str:
    """Evaluate an arithmetic expression exactly: numbers, + - * / // % **, parentheses, round, min, max, abs, sqrt."""
    return evaluate(expression)
