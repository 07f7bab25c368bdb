"""JSON schemas -> llama.cpp GBNF grammars for tool calls and structured output.

The conversion itself is llama.cpp's (``llama_cpp.llama_grammar.SchemaConverter``);
this module names the rules, wraps tool calls in the model's call markers and
turns converter failures into ``ToolSchemaError`` that name the tool.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from agentkit.errors import ToolSchemaError

__all__ = ["CALL_CLOSE", "CALL_OPEN", "json_grammar", "tool_call_grammar", "validate_grammar", "validate_grammar_text"]

# Hermes / Qwen2.5 tool-call markup: the format the default model was trained on.
CALL_OPEN = "<tool_call>\n"
CALL_CLOSE = "\n</tool_call>"


# llama-cpp-python's converter lets a JSON string hold raw control characters (a newline inside a
# tool argument), which JSON forbids and json.loads rejects; llama.cpp's own converter has since
# excluded them.  Same rule, minus U+0000-U+001F and DEL.
_LOOSE_CHAR = r'char ::= [^"\\] | '
_STRICT_CHAR = r'char ::= [^"\\\x7F\x00-\x1F] | '


def _strict_strings(grammar: str) -> str:
    return grammar.replace(_LOOSE_CHAR, _STRICT_CHAR)


def _converter() -> Any:
    from llama_cpp.llama_grammar import SchemaConverter

    # "name" before "arguments" in a call, so the model commits to a tool first.
    return SchemaConverter(prop_order={"name": 0, "arguments": 1}, allow_fetch=False,
                           dotall=False, raw_pattern=False)


def _visit(converter: Any, schema: Mapping[str, Any], rule: str, what: str) -> None:
    try:
        resolved = converter.resolve_refs(json.loads(json.dumps(schema)), "input")
        converter.visit(resolved, rule)
    except Exception as exc:  # the converter raises AssertionError/KeyError/ValueError/...
        detail = str(exc) or type(exc).__name__
        if "remote" in detail.lower():  # the converter's own text names a CLI flag we do not have
            detail = "it has a remote $ref, and schemas are never fetched; inline the referenced schema"
        raise ToolSchemaError(
            f"{what} cannot be turned into a decoding grammar: {detail}. Use JSON-schema "
            f"types (object, array, string, number, integer, boolean, null), enum/const, "
            f"anyOf and local $refs"
        ) from None


@lru_cache(maxsize=128)
def _json_grammar_cached(schema_json: str, what: str) -> str:
    converter = _converter()
    _visit(converter, json.loads(schema_json), "", what)
    return _strict_strings(converter.format_grammar())


def json_grammar(schema: Mapping[str, Any], *, what: str = "the output schema") -> str:
    """GBNF admitting exactly the JSON documents valid under ``schema``."""
    return _json_grammar_cached(json.dumps(schema), what)


def _call_schema(tool: Mapping[str, Any]) -> dict[str, Any]:
    function = tool["function"]
    parameters = function.get("parameters") or {"type": "object", "properties": {}}
    return {
        "type": "object",
        "properties": {"name": {"const": function["name"]}, "arguments": parameters},
        "required": ["name", "arguments"],
        "additionalProperties": False,
    }


@lru_cache(maxsize=128)
def _tool_call_grammar_cached(tools_json: str, max_calls: int) -> str:
    tools = json.loads(tools_json)
    converter = _converter()
    for index, tool in enumerate(tools):
        _visit(converter, _call_schema(tool), f"call{index}",
               f"tool {tool['function']['name']!r}")
    alternatives = " | ".join(f"call{index}" for index in range(len(tools)))
    close, again = json.dumps(CALL_CLOSE), json.dumps(CALL_CLOSE + "\n" + CALL_OPEN)
    extra = f" ({again} call){{0,{max_calls - 1}}}" if max_calls > 1 else ""
    rules = [
        f"root ::= call{extra} {close}",
        f"call ::= {alternatives}",
        _strict_strings(converter.format_grammar()),
    ]
    return "\n".join(rules)


def tool_call_grammar(tools: Sequence[Mapping[str, Any]], *, max_calls: int = 1) -> str:
    """GBNF for what follows ``CALL_OPEN``: one to ``max_calls`` calls, each a JSON
    object ``{"name": <tool>, "arguments": <valid arguments>}``, then ``CALL_CLOSE``."""
    if not tools:
        raise ToolSchemaError("no tools to call: bind at least one tool")
    return _tool_call_grammar_cached(json.dumps(list(tools)), max_calls)


def validate_grammar(grammar: str, vocab: Any) -> None:
    """Parse ``grammar`` with llama.cpp before sampling with it (a grammar llama.cpp
    rejects would otherwise reach the sampler as a null pointer)."""
    import llama_cpp

    sampler = llama_cpp.llama_sampler_init_grammar(vocab, grammar.encode(), b"root")
    if not sampler:
        raise ToolSchemaError(f"llama.cpp rejected the generated grammar:\n{grammar[:500]}")
    llama_cpp.llama_sampler_free(sampler)


def validate_grammar_text(grammar: str) -> None:
    """Parse a caller's GBNF ``grammar`` with llama-cpp-python's parser (``ToolSchemaError`` when it
    does not parse, or has no ``root`` rule), before any model is asked to follow it."""
    from llama_cpp import LlamaGrammar

    if not any(line.strip().startswith("root") for line in grammar.splitlines()):
        raise ToolSchemaError("a grammar needs a rule named root (root ::= ...)")
    try:
        LlamaGrammar.from_string(grammar, verbose=False)
    except Exception as exc:  # llama-cpp-python raises ValueError/RuntimeError on a bad grammar
        raise ToolSchemaError(f"the grammar does not parse: {exc}") from None
