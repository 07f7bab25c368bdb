"""Tool and output schemas become llama.cpp grammars, or say why they cannot."""

from __future__ import annotations

import pytest

from agentkit.errors import ToolSchemaError
from agentkit.llm.grammar import CALL_CLOSE, json_grammar, tool_call_grammar


def _tool(name: str, properties: dict, required: list[str] | None = None) -> dict:
    return {"type": "function", "function": {"name": name, "description": "d",
                                             "parameters": {"type": "object", "properties": properties,
                                                            "required": required or []}}}


def test_call_grammar_pins_tool_names_and_argument_keys() -> None:
    grammar = tool_call_grammar([_tool("get_weather", {"city": {"type": "string"}}, ["city"]),
                                 _tool("noop", {})])
    assert grammar.startswith("root ::= call ")
    assert '"\\"get_weather\\""' in grammar and '"\\"noop\\""' in grammar
    assert '"\\"city\\""' in grammar
    assert "call ::= call0 | call1" in grammar
    assert grammar.splitlines()[0].endswith(f'"{CALL_CLOSE.encode("unicode_escape").decode()}"')


def test_parallel_calls_are_bounded() -> None:
    grammar = tool_call_grammar([_tool("a", {})], max_calls=3)
    assert "{0,2}" in grammar.splitlines()[0]
    assert "{0," not in tool_call_grammar([_tool("a", {})], max_calls=1).splitlines()[0]


def test_enum_arguments_only_admit_listed_values() -> None:
    grammar = tool_call_grammar([_tool("t", {"unit": {"enum": ["celsius", "fahrenheit"]}}, ["unit"])])
    assert '"\\"celsius\\"" | "\\"fahrenheit\\""' in grammar


def test_unsupported_type_names_the_tool() -> None:
    with pytest.raises(ToolSchemaError, match="tool 'broken' cannot be turned into a decoding grammar"):
        tool_call_grammar([_tool("broken", {"x": {"type": "complex128"}}, ["x"])])


def test_remote_refs_are_never_fetched() -> None:
    with pytest.raises(ToolSchemaError, match=r"remote \$ref, and schemas are never fetched"):
        json_grammar({"$ref": "https://example.invalid/schema.json"})


def test_no_tools_is_an_error() -> None:
    with pytest.raises(ToolSchemaError, match="bind at least one tool"):
        tool_call_grammar([])


def test_json_grammar_has_a_root_rule() -> None:
    grammar = json_grammar({"type": "object", "properties": {"total": {"type": "number"}}, "required": ["total"]})
    assert any(line.startswith("root ::= ") for line in grammar.splitlines())
    assert '"\\"total\\""' in grammar


def test_arguments_keep_their_declared_order() -> None:
    props = {"origin": {"type": "string"}, "destination": {"type": "string"}, "date": {"type": "string"}}
    grammar = tool_call_grammar([_tool("book_flight", props, ["origin", "destination", "date"])])
    rule = next(line for line in grammar.splitlines() if line.startswith("call0-arguments ::="))
    assert rule.index("origin") < rule.index("destination") < rule.index("date")
