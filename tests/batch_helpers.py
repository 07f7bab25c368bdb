"""Python-node functions for batch tests (imported by worker processes and Ray actors by path).

``double`` writes ``out = 2 * n``; ``step`` logs ``THREAD NODE`` to ``$BATCH_LOG`` (when a node
really runs) and sleeps ``$BATCH_STEP_S``; ``die_once`` kills its own process (SIGKILL, the way
an out-of-memory killer or a crash would) the first time it runs for an input whose ``n`` is in
``$BATCH_DIE_ON``, leaving a marker so the resumed run gets past it; ``boom`` raises for ``n`` == 13.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any


def _log(state: dict[str, Any], node: str) -> None:
    log = os.environ.get("BATCH_LOG")
    if log:
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, f"{state['n']} {node}\n".encode())
        finally:
            os.close(fd)


def step(state: dict[str, Any]) -> dict[str, Any]:
    _log(state, "step")
    time.sleep(float(os.environ.get("BATCH_STEP_S", "0")))
    return {"trace": ["step"]}


def die_once(state: dict[str, Any]) -> dict[str, Any]:
    _log(state, "die_once")
    targets = {int(n) for n in os.environ.get("BATCH_DIE_ON", "").split(",") if n}
    marker = Path(os.environ.get("BATCH_LOG", "/nonexistent") + f".died-{state['n']}")
    if state["n"] in targets and not marker.exists():
        marker.write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return {"trace": ["die_once"]}


def boom(state: dict[str, Any]) -> dict[str, Any]:
    if state["n"] == 13:
        raise RuntimeError("thirteen is unlucky")
    return {}


def double(state: dict[str, Any]) -> dict[str, Any]:
    _log(state, "double")
    return {"out": 2 * state["n"], "trace": ["double"]}


SPEC = """
name: doubler
entry: first
state: {n: {type: int}, out: {type: int}, trace: {type: list, reducer: append}}
input: [n]
output: [out, trace]
nodes:
  first: {kind: python, function: "tests.batch_helpers:step"}
  risky: {kind: python, function: "tests.batch_helpers:die_once"}
  check: {kind: python, function: "tests.batch_helpers:boom"}
  last: {kind: python, function: "tests.batch_helpers:double"}
edges: [{from: first, to: risky}, {from: risky, to: check}, {from: check, to: last}]
"""
