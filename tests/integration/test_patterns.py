"""The reasoning-pattern node kinds on the real default model: structure, not wording."""

from __future__ import annotations

from typing import Any

import pytest

from agentkit import get_chat_model
from agentkit.compile import compile_spec
from agentkit.spec import parse_spec

pytestmark = pytest.mark.integration


def run(yaml_text: str, inputs: dict[str, Any], max_tokens: int) -> dict[str, Any]:
    factory = lambda name: get_chat_model(name, max_tokens=max_tokens)  # noqa: E731
    return compile_spec(parse_spec(yaml_text), model_factory=factory).invoke(inputs)


def test_plan_execute_runs_the_calculator() -> None:
    result = run("""
name: pe
entry: solve
state: {q: {type: str}, answer: {type: str}, steps: {type: list}}
input: [q]
nodes:
  solve: {kind: plan_execute, prompt: "{q}", tools: [calculator], max_steps: 2, output: answer, steps_output: steps}
""", {"q": "What is 17 * 23 + 4?"}, max_tokens=160)
    assert 1 <= len(result["steps"]) <= 2
    assert all(step["tool"] == "calculator" and "expression" in step["args"] for step in result["steps"])
    assert "395" in [step["result"] for step in result["steps"]]
    assert isinstance(result["answer"], str) and result["answer"].strip()


def test_reflect_ends_within_max_rounds() -> None:
    result = run("""
name: r
entry: write
state: {topic: {type: str}, text: {type: str}, rounds: {type: list}}
input: [topic]
nodes:
  write: {kind: reflect, prompt: "Define {topic} in one sentence.", max_rounds: 1, output: text, rounds_output: rounds}
""", {"topic": "photosynthesis"}, max_tokens=128)
    rounds = result["rounds"]
    assert 1 <= len(rounds) <= 2
    assert all(isinstance(r["ok"], bool) and isinstance(r["feedback"], str) for r in rounds)
    assert rounds[-1]["draft"] == result["text"] and result["text"].strip()
    assert all(not r["ok"] for r in rounds[:-1])  # only a failed critique leads to a revision


def test_self_consistency_votes_on_structured_samples() -> None:
    result = run("""
name: v
entry: answer
state: {q: {type: str}, answer: {type: dict}, votes: {type: dict}}
input: [q]
nodes:
  answer:
    kind: self_consistency
    prompt: "{q}"
    samples: 3
    schema: {type: object, properties: {answer: {type: integer}}, required: [answer]}
    vote_on: answer
    output: answer
    votes_output: votes
""", {"q": "How many legs does a spider have?"}, max_tokens=24)
    votes = result["votes"]
    assert votes["samples"] == 3 and sum(votes["votes"].values()) == 3
    assert isinstance(result["answer"]["answer"], int)
    assert votes["votes"][str(result["answer"]["answer"])] == max(votes["votes"].values())
