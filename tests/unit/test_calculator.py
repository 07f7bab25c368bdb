"""The ``calculator`` tool: arithmetic by walking the syntax tree, refusals that say what is allowed."""

from __future__ import annotations

import pytest
from langchain_core.tools import ToolException

from agentkit.nodes import call_tool
from agentkit.registry import get_tool
from agentkit.tools.calc import calculator, evaluate


@pytest.mark.parametrize(("expression", "value"), [
    ("17 * 23 + 4", "395"),
    ("(2 + 3) * 4", "20"),
    ("-(3 - 10)", "7"),
    ("7 / 2", "3.5"),
    ("8 / 2", "4"),  # a whole float reads as an integer
    ("7 // 2", "3"),
    ("7 % 3", "1"),
    ("2 ** 10", "1024"),
    ("2 ** -2", "0.25"),
    ("0.1 + 0.2", "0.3"),
    ("round(2.675, 2)", "2.67"),
    ("round(7.5)", "8"),
    ("min(4, 2, 9)", "2"),
    ("max(1, 200)", "200"),
    ("abs(-3.5)", "3.5"),
    ("sqrt(16)", "4"),
    ("round(sqrt(2) * 10, 2)", "14.14"),
    ("12 x 3", "36"),
    ("12×3", "36"),  # noqa: RUF001 (the multiplication sign is what is tested)
    ("(1 + 1)x(2 + 2)", "8"),
    ("10 ÷ 4", "2.5"),
    ("1,200 * 3", "3600"),
    ("1,234,567 + 0.5", "1234567.5"),
    ("17 * 23 + 4 =", "395"),
    ("1e3 + 1", "1001"),
    ("999999999999999", "999999999999999"),
])
def test_arithmetic(expression: str, value: str) -> None:
    assert evaluate(expression) == value


@pytest.mark.parametrize(("expression", "message"), [
    ("__import__('os')", "calling __import__() is not allowed; allowed: numbers, + - * / // % **"),
    ("__import__('os').system('ls')", "calling __import__('os').system() is not allowed"),
    ("os.sep", "the attribute 'os.sep' is not allowed"),
    ("x + 1", "the name 'x' is not allowed"),
    ("pow(2, 3)", "calling pow() is not allowed"),
    ("sqrt.__class__", "the attribute 'sqrt.__class__' is not allowed"),
    ("round(x=1)", "round() takes plain arguments only"),
    ("abs(1, 2)", "abs() takes 1 arguments, got 2"),
    ("min(3)", "min() takes at least 2 arguments, got 1"),
    ("'a' * 3", "the value 'a' is not allowed"),
    ("True + 1", "the value True is not allowed"),
    ("[1, 2]", "list syntax is not allowed"),
    ("2 ^ 3", "the operator ^ (write ** for a power) is not allowed"),
    ("1 < 2", "compare syntax is not allowed"),
    ("(1, 2)", "a list of values (a comma outside a function call) is not allowed"),
    ("2 ** 101", "the exponent 101 is over the limit of 100"),
    ("10 ** 16", "larger than 1e+15 in magnitude"),
    ("99999999 * 99999999", "larger than 1e+15 in magnitude"),
    ("1e300 * 1e300", "larger than 1e+15 in magnitude"),
    ("1" + "+1" * 100, "the expression is 201 characters, over the limit of 200"),
    ("1 / 0", "division by zero"),
    ("5 % 0", "division by zero"),
    ("sqrt(-4)", "sqrt of a negative number (-4) is not a real number"),
    ("(-8) ** 0.5", "the result is not a real number"),
    ("round(1.5, 99)", "round(x, n): n must be a whole number from -15 to 15"),
    ("max(1,200, 3)", "'1,200' is ambiguous next to a function call: write numbers without thousands separators"),
    ("0x1F + 1", "only decimal numbers are supported"),
    ("2 +", "'2 +' is not an arithmetic expression"),
    ("  ", "the expression is empty"),
])
def test_refusals_say_what_is_allowed(expression: str, message: str) -> None:
    with pytest.raises(ToolException) as info:
        evaluate(expression)
    assert message in str(info.value)


def test_the_registered_tool_returns_text_and_an_agent_reads_its_refusals() -> None:
    assert get_tool("calculator") is calculator
    assert calculator.invoke({"expression": "6 * 7"}) == "42"
    tools = {"calculator": calculator}
    good = call_tool({"name": "calculator", "args": {"expression": "6*7"}, "id": "1"}, tools, node="n")
    bad = call_tool({"name": "calculator", "args": {"expression": "open('x')"}, "id": "2"}, tools, node="n")
    assert (good.status, good.content) == ("success", "42")
    assert bad.status == "error" and bad.content.startswith("error: calling open() is not allowed; allowed:")


@pytest.mark.parametrize("expression", [
    "__import__('os').system('true')",  # issue 16: must be refused, never run
    "__import__('os').system('touch {marker}')",
    "open('{marker}', 'w').write('x')",
    "().__class__.__bases__[0].__subclasses__()",
    "(lambda: __import__('os').system('touch {marker}'))()",
    "[x for x in ().__class__.__mro__]",
    "exec('import os')",
    "eval('1+1')",
    "globals()",
    "import os",
    "hello world",
    "9 ** 9 ** 9",
])
def test_code_is_refused_with_what_is_allowed_and_never_run(expression: str, tmp_path, monkeypatch) -> None:
    import os

    marker = tmp_path / "ran"
    commands: list[str] = []
    monkeypatch.setattr(os, "system", commands.append)  # had the expression run, this records it
    with pytest.raises(ToolException) as caught:
        calculator.invoke({"expression": expression.format(marker=marker)})
    assert "allowed: numbers, + - * / // % **" in str(caught.value) or "over the limit" in str(caught.value)
    assert commands == [] and not marker.exists()  # nothing ran: no command, no file
