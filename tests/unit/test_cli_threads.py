"""``--threads N`` on the commands that load local models: one shared option, validated, and the
thread count every local model loaded by that command then uses (``llm.pool.default_threads``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import agentkit
from agentkit.cli import main
from agentkit.llm.pool import THREADS_ENV, default_threads
from agentkit.testing import FunctionModel

GRAPH = """
name: one
entry: answer
state:
  question: {type: str}
  answer: {type: str}
input: [question]
output: [answer]
nodes:
  answer: {kind: llm, prompt: "Q: {question}", output: answer}
edges: []
"""

# Every command that may load a local model, with arguments that would run it.
COMMANDS = {
    "chat": ["chat", "hello"],
    "run": ["run", "one.yaml", "-i", "question=hi"],
    "resume": ["resume", "nothread"],
    "fork": ["fork", "nothread", "--from", "answer"],
    "eval": ["eval", "one.yaml", "cases.jsonl"],
    "batch": ["batch", "one.yaml", "inputs.jsonl", "-o", "out.jsonl"],
    "studio": ["studio"],
    "mcp serve": ["mcp", "serve", "one.yaml"],
}


class NamedModel(FunctionModel):
    model: str = "fake"  # ``agentkit chat`` prints the model's name


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, agentkit_registry: None) -> list[int]:
    """A graph, a dataset and a workspace in the current folder; every chat model is a function
    model, and the list returned gets ``default_threads()`` as it was when each model was made."""
    monkeypatch.setenv(THREADS_ENV, "1")  # recorded, so that the test's changes are undone
    monkeypatch.delenv(THREADS_ENV)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AGENTKIT_WORKSPACE", str(tmp_path / "ws"))
    (tmp_path / "one.yaml").write_text(GRAPH)
    (tmp_path / "cases.jsonl").write_text('{"id": "a", "inputs": {"question": "hi"}, "checks": {"contains": '
                                          '["ok"]}}\n')
    threads_seen: list[int] = []

    def get_chat_model(name: Any = None, **settings: Any) -> FunctionModel:
        threads_seen.append(default_threads())
        return NamedModel(function=lambda messages, options: "ok")

    monkeypatch.setattr(agentkit.llm, "get_chat_model", get_chat_model)
    return threads_seen


@pytest.mark.parametrize("command", ["chat", "run", "eval"])
def test_threads_sets_the_thread_count_of_the_models_the_command_loads(project: list[int], command: str,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    wanted = default_threads() + 2  # never the default
    status = main([*COMMANDS[command], "--threads", str(wanted)])
    err = capsys.readouterr().err
    assert status == 0, err
    assert project and set(project) == {wanted}


def test_without_threads_the_environment_variable_still_decides(project: list[int],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(THREADS_ENV, "5")
    assert main(["chat", "hello"]) == 0
    assert project == [5]
    assert main(["chat", "hello", "--threads", "2"]) == 0  # the option wins over the variable
    assert project == [5, 2]


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(("value", "message"), [
    ("0", "'0' is not a thread count; give a whole number >= 1"),
    ("-2", "'-2' is not a thread count; give a whole number >= 1"),
    ("two", "'two' is not a thread count; give a whole number >= 1"),
    ("1.5", "'1.5' is not a thread count; give a whole number >= 1"),
])
def test_a_bad_thread_count_is_a_usage_error_before_anything_runs(project: list[int], command: str, value: str,
                                                                  message: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    status = main([*COMMANDS[command], "--threads", value])
    captured = capsys.readouterr()
    flat = " ".join(captured.err.replace("│", " ").split())  # rich draws the message in a box
    assert status == 2
    assert "Invalid value for '--threads'" in flat and message in flat, flat
    assert "Traceback" not in captured.out + captured.err
    assert project == []  # no model was made


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_that_loads_a_model_documents_the_option(command: str, capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # no help text cut short
    assert main([*COMMANDS[command][:2 if command == "mcp serve" else 1], "--help"]) == 0
    squeezed = "".join(capsys.readouterr().out.replace("│", "").split())  # wrapped in rich's narrow boxes
    assert "--threadsN" in squeezed and THREADS_ENV in squeezed
