"""A real-model run with SQLite checkpoints and recording, replayed without loading the model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import agentkit
from agentkit.llm.pool import PooledModel, default_pool
from agentkit.llm.registry import DEFAULT_MODEL, KNOWN_MODELS
from agentkit.runtime import Runner

pytestmark = pytest.mark.integration

SPEC = """
name: trip
entry: answer
state: {question: {type: str}, answer: {type: str}, weather: {type: str}, summary: {type: str}}
input: [question]
nodes:
  answer: {kind: llm, prompt: "{question} Answer with one word.", output: answer}
  weather:
    kind: agent
    prompt: "What is the weather in {answer}? Use the tool."
    tools: [city_weather]
    max_steps: 3
    output: weather
  summary: {kind: llm, prompt: "In one short sentence: the capital is {answer}; weather: {weather}", output: summary}
edges: [{from: answer, to: weather}, {from: weather, to: summary}]
"""


def city_weather(city: str) -> str:
    """Get the current weather for a city."""
    return f"Sunny and 21 C in {city}."


def test_a_real_run_is_recorded_and_replayed_without_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    agentkit.register_tool(city_weather)
    spec = tmp_path / "trip.yaml"
    spec.write_text(SPEC)
    db = tmp_path / "runs.sqlite"
    with Runner(db) as runner:
        recorded = runner.start(spec, {"question": "What is the capital of France?"})
        assert recorded.status == "done" and recorded.values["summary"]
        calls = runner.llm_calls(recorded.thread_id)
    assert len(calls) >= 3 and {c.node for c in calls} == {"answer", "weather", "summary"}
    assert all(c.model_sha256 == KNOWN_MODELS[DEFAULT_MODEL].sha256 for c in calls)
    assert all(c.params["temperature"] == 0.0 and c.input_tokens > 0 for c in calls)

    default_pool().clear()  # replay must not build or load a model: make any load fail loudly
    monkeypatch.setattr(PooledModel, "_load", lambda self: pytest.fail("replay loaded the model"))
    with Runner(db) as runner:
        replayed = runner.replay(recorded.thread_id)
    assert len(default_pool()) == 0
    assert replayed.status == "done" and replayed.matches is True
    assert replayed.values == recorded.values


def test_agentkit_run_then_runs_show_on_the_real_model(tmp_path: Path) -> None:
    spec = tmp_path / "echo.yaml"
    spec.write_text("""
name: echo
entry: say
state: {name: {type: str}, greeting: {type: str}}
input: [name]
nodes:
  say: {kind: llm, prompt: "Reply with exactly: Hello {name}", output: greeting}
""")
    env = {**os.environ, "AGENTKIT_WORKSPACE": str(tmp_path / "ws")}
    agentkit_cli = [sys.executable, "-m", "agentkit.cli"]
    run = subprocess.run([*agentkit_cli, "run", str(spec), "-i", "name=Ada", "--json"], capture_output=True,
                         text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr
    events = [json.loads(line) for line in run.stdout.splitlines()]
    assert any(e["event"] == "token" for e in events)  # tokens streamed live
    result = events[-1]
    assert "Ada" in result["values"]["greeting"] and result["nodes"][0]["tokens"] > 0
    shown = subprocess.run([*agentkit_cli, "runs", "show", result["thread_id"], "--json"], capture_output=True,
                           text=True, timeout=60, env=env)
    history = json.loads(shown.stdout)
    assert history["status"] == "done" and history["nodes"][0]["node"] == "say"
    assert history["nodes"][0]["llm_calls"] == 1 and history["tokens"] == result["usage"]["tokens"]
