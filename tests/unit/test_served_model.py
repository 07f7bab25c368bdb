"""Models served elsewhere, without a server: names, the models file, the loopback rule for specs."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage

from agentkit.errors import GraphBuildError, SpecError, UserError
from agentkit.llm import check_spec_model, get_chat_model, read_models_file, remote_model
from agentkit.llm.remote import is_loopback_url, shown_url
from agentkit.runtime import load


@pytest.mark.parametrize(("url", "loopback"), [
    ("http://127.0.0.1:8000/v1", True), ("http://localhost:8000", True), ("http://[::1]:8000/v1", True),
    ("http://127.8.9.1/v1", True), ("http://10.0.0.5:8000/v1", False), ("https://api.example.com/v1", False),
    ("http://localhost.example.com/v1", False),
])
def test_loopback(url: str, loopback: bool) -> None:
    assert is_loopback_url(url) is loopback


def test_a_url_names_a_served_model() -> None:
    remote = remote_model("http://127.0.0.1:8000#qwen")
    assert remote is not None
    assert (remote.url, remote.model) == ("http://127.0.0.1:8000/v1", "qwen")
    assert shown_url("http://user:secret@10.0.0.5:8000/v1") == "http://10.0.0.5:8000/v1"


def test_a_spec_may_not_send_prompts_off_the_machine() -> None:
    with pytest.raises(UserError, match=r"only on loopback.*models file"):
        check_spec_model("http://10.0.0.5:8000/v1#m")
    check_spec_model("http://127.0.0.1:8000/v1#m")
    # the user may: passing it directly, or through the models file
    assert get_chat_model("http://10.0.0.5:8000/v1#m").model == "m"


def test_a_spec_naming_a_remote_url_fails_to_build(tmp_path: Path) -> None:
    spec = tmp_path / "g.yaml"
    spec.write_text("""
name: g
entry: a
state: {q: {type: str}, a: {type: str}}
input: [q]
output: [a]
nodes:
  a: {kind: llm, model: "http://203.0.113.9:8000/v1#m", prompt: "{q}", output: a}
""")
    with pytest.raises((GraphBuildError, SpecError, UserError), match="only on loopback"):
        load(spec)


def test_the_models_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    models = tmp_path / "models.yaml"
    models.write_text("gpu-box:\n  url: http://10.0.0.5:8000\n  model: big\n  api_key_env: BOX_KEY\n"
                      "  structured_output: json_schema\n  timeout_s: 30\n")
    monkeypatch.setenv("AGENTKIT_MODELS_FILE", str(models))
    entry = read_models_file()["gpu-box"]
    assert (entry.url, entry.model, entry.structured_output, entry.timeout_s) == (
        "http://10.0.0.5:8000/v1", "big", "json_schema", 30.0)
    with pytest.raises(UserError, match="BOX_KEY"):
        get_chat_model("gpu-box")
    monkeypatch.setenv("BOX_KEY", "k")
    model = get_chat_model("gpu-box", max_tokens=7)
    assert (model.model, model.openai_api_base, model.schema_style()) == ("big", "http://10.0.0.5:8000/v1",
                                                                          "json_schema")
    # a spec may name the entry: the user configured that host
    check_spec_model("gpu-box")
    # max_tokens is sent as max_tokens (llama-cpp-python's server ignores max_completion_tokens)
    payload = model._get_request_payload([HumanMessage("hi")])
    assert payload["max_tokens"] == 7 and "max_completion_tokens" not in payload


@pytest.mark.parametrize(("text", "message"), [
    ("box: {url: ftp://x}", r"box\.url: expected an http"),
    ("box: {url: 'http://x', structured_output: grammar}", r"structured_output: 'grammar'; valid: auto"),
    ("box: {url: 'http://x', colour: red}", r"unknown field\(s\) colour"),
    ("box: {url: 'http://x', timeout_s: -1}", "positive number"),
    ("[1, 2]", "expected a mapping"),
    ("box: [", "not valid YAML"),
])
def test_models_file_errors_say_where(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str,
                                      message: str) -> None:
    models = tmp_path / "models.yaml"
    models.write_text(text)
    monkeypatch.setenv("AGENTKIT_MODELS_FILE", str(models))
    with pytest.raises(UserError, match=message) as caught:
        read_models_file()
    assert str(models) in str(caught.value)


def test_settings_the_server_owns_are_refused() -> None:
    with pytest.raises(UserError, match="n_ctx is set by its server"):
        get_chat_model("http://127.0.0.1:8000/v1#m", n_ctx=4096)


def test_unknown_names_mention_served_models() -> None:
    with pytest.raises(UserError, match=r"models file.*OpenAI-compatible"):
        get_chat_model("no-such-model").invoke("hi")


def test_a_served_model_request_hashes_as_agentkits_own_model_binds_it() -> None:
    # a run recorded on a served model (ChatOpenAI's shapes) replays on agentkit's model (its shapes)
    from agentkit.runtime.recording import prompt_hash

    messages = [HumanMessage("hi")]
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    tool = {"type": "function", "function": {"name": "add", "description": "Add.", "parameters": schema}}
    ours = {"response_format": {"type": "json_schema", "schema": schema}}
    for served in ({"extra_body": {"response_format": {"type": "json_object", "schema": schema}}},
                   {"extra_body": {"response_format": {"type": "json_schema",
                                                       "json_schema": {"name": "answer", "schema": schema}}}}):
        assert prompt_hash(messages, served) == prompt_hash(messages, ours)
    ours_tools = {"tools": [tool], "tool_choice": "add", "parallel_tool_calls": False}
    served_tools = {"tools": [tool], "tool_choice": {"type": "function", "function": {"name": "add"}}}
    assert prompt_hash(messages, served_tools) == prompt_hash(messages, ours_tools)
    assert prompt_hash(messages, {"tools": [tool], "tool_choice": "required"}) == prompt_hash(
        messages, {"tools": [tool], "tool_choice": "any", "parallel_tool_calls": False})
    assert prompt_hash(messages, served_tools) != prompt_hash(messages, {**ours_tools, "tool_choice": "any"})
