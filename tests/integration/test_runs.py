"""A real-model run with SQLite checkpoints and recording, replayed without loading the model."""

from __future__ import annotations

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


def test_a_real_run_is_recorded_and_replayed_without_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                agentkit_registry: None) -> None:
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
