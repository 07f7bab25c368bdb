"""Spec-built graphs on the real default model, and `agentkit run`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import agentkit

pytestmark = pytest.mark.integration


def test_llm_nodes_on_the_real_model(tmp_path: Path) -> None:
    spec = tmp_path / "qa.yaml"
    spec.write_text("""
name: qa
entry: answer
state:
  question: {type: str}
  answer: {type: str}
  facts: {type: dict}
input: [question]
output: [answer, facts]
nodes:
  answer: {kind: llm, prompt: "{question} Answer with one word.", output: answer}
  extract:
    kind: llm
    prompt: "Extract the city and country from: {question}"
    output: facts
    schema:
      type: object
      properties: {city: {type: string}, country: {type: string}}
      required: [city, country]
edges: [{from: answer, to: extract}]
""")
    result = agentkit.load(spec).invoke({"question": "What is the capital city of France?"})
    assert "paris" in result["answer"].lower()
    assert set(result["facts"]) == {"city", "country"}
    assert "france" in result["facts"]["country"].lower()


def test_agentkit_run_prints_the_output_state_as_json(tmp_path: Path) -> None:
    spec = tmp_path / "echo.yaml"
    spec.write_text("""
name: echo
entry: say
state: {name: {type: str}, greeting: {type: str}}
input: [name]
output: [greeting]
nodes:
  say: {kind: llm, prompt: "Reply with exactly: Hello {name}", output: greeting}
""")
    env = {**os.environ, "AGENTKIT_WORKSPACE": str(tmp_path / "ws")}
    proc = subprocess.run([sys.executable, "-m", "agentkit.cli", "run", str(spec), "--input", "name=Ada", "--json"],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in proc.stdout.splitlines()]  # JSON lines: the result last
    result = events[-1]
    assert "Ada" in result["output"]["greeting"] and any(e["event"] == "token" for e in events)
    shown = subprocess.run([sys.executable, "-m", "agentkit.cli", "runs", "show", result["thread_id"], "--json"],
                           capture_output=True, text=True, timeout=60, env=env)
    history = json.loads(shown.stdout)  # the run was stored: its history has the node, time and tokens
    assert history["status"] == "done" and history["nodes"][0]["node"] == "say"
    assert history["nodes"][0]["llm_calls"] == 1 and history["tokens"] == result["usage"]["tokens"] > 0
    bad = subprocess.run([sys.executable, "-m", "agentkit.cli", "run", str(tmp_path / "missing.yaml")],
                         capture_output=True, text=True, timeout=60, env=env)
    assert bad.returncode == 2 and "no such file" in bad.stderr and "Traceback" not in bad.stderr
