"""Grammars checked token by token with llama.cpp's own grammar sampler (the default model's vocabulary
only, no weights): what the decoder may produce next inside a JSON string."""

from __future__ import annotations

import ctypes
import math

import pytest

from agentkit.llm.grammar import json_grammar, tool_call_grammar

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def vocab_model():
    from llama_cpp import Llama

    from agentkit.llm.registry import resolve_model

    return Llama(model_path=str(resolve_model(None).path), vocab_only=True, verbose=False)


def _admitted(model, grammar: str, prefix: str, candidates: list[str]) -> dict[str, bool]:
    """Which one-token ``candidates`` the grammar admits after ``prefix``."""
    import llama_cpp

    sampler = llama_cpp.llama_sampler_init_grammar(llama_cpp.llama_model_get_vocab(model.model),
                                                   grammar.encode(), b"root")
    try:
        for token in model.tokenize(prefix.encode(), add_bos=False, special=False):
            llama_cpp.llama_sampler_accept(sampler, token)
        tokens = [model.tokenize(text.encode(), add_bos=False, special=False) for text in candidates]
        assert all(len(t) == 1 for t in tokens), tokens
        cells = (llama_cpp.llama_token_data * len(tokens))(*[llama_cpp.llama_token_data(t[0], 0.0, 0.0)
                                                               for t in tokens])
        llama_cpp.llama_sampler_apply(sampler, ctypes.byref(llama_cpp.llama_token_data_array(cells, len(tokens),
                                                                                             -1, False)))
        return {text: not math.isinf(cells[i].logit) for i, text in enumerate(candidates)}
    finally:
        llama_cpp.llama_sampler_free(sampler)


def test_json_strings_cannot_hold_raw_control_characters(vocab_model) -> None:
    """JSON forbids a raw newline or tab inside a string (json.loads rejects it), so the grammar must
    too: llama-cpp-python's converter admitted them, and a tool call came back unparseable."""
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    inside = ["\n", "\t", "y", '"']
    assert _admitted(vocab_model, json_grammar(schema), '{"a": "x', inside) == {
        "\n": False, "\t": False, "y": True, '"': True}
    call = tool_call_grammar([{"type": "function", "function": {"name": "f", "parameters": schema}}])
    assert _admitted(vocab_model, call, '{"name": "f", "arguments": {"a": "x', inside) == {
        "\n": False, "\t": False, "y": True, '"': True}
