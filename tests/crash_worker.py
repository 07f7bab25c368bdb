"""A graph for kill -9 trials, and the process that runs it.

Every node appends its name to the ``trace`` state list and, when it really
runs, a line ``THREAD NODE`` to a side-effect log (before doing its work, so a
node killed half-way shows up too).  The graph is a chain with a three-way
parallel step in the middle.  ``python tests/crash_worker.py DB LOG SPEC THREAD``
prints ``ready`` and runs one thread to the end (unless it is killed).
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from pathlib import Path

import agentkit

NODE_SECONDS = 0.03
# the parallel nodes finish at different times, so a kill can land between them
# (some of the step's writes committed as LangGraph pending writes, some not)
PARALLEL_SECONDS = {"p1": 0.01, "p2": 0.05, "p3": 0.1}
CHAIN = ["n0", "n1", "n2"]
PARALLEL = ["p1", "p2", "p3"]
TAIL = ["n3", "n4", "n5", "n6"]
EXPECTED_TRACE = CHAIN + PARALLEL + TAIL  # LangGraph applies a step's writes in task order

_log_path: list[str] = [os.environ.get("CRASH_LOG", "")]
_thread: list[str] = [os.environ.get("CRASH_THREAD", "")]


def configure(log: str | Path, thread: str) -> None:
    _log_path[0], _thread[0] = str(log), thread


def _node(name: str):
    def run(state: dict) -> dict:
        fd = os.open(_log_path[0], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, f"{_thread[0]} {name}\n".encode())
        finally:
            os.close(fd)
        time.sleep(PARALLEL_SECONDS.get(name, NODE_SECONDS))
        return {"trace": [name]}

    return run


for _name in EXPECTED_TRACE:
    agentkit.register_function(f"crash_{_name}", _node(_name))


def spec_text() -> str:
    nodes = "\n".join(f"  {n}: {{kind: python, function: crash_{n}}}" for n in EXPECTED_TRACE)
    edges = [(a, b) for a, b in itertools.pairwise(CHAIN)] + [(CHAIN[-1], p) for p in PARALLEL] + \
        [(p, TAIL[0]) for p in PARALLEL] + [(a, b) for a, b in itertools.pairwise(TAIL)]
    edge_text = ", ".join(f"{{from: {a}, to: {b}}}" for a, b in edges)
    return (f"name: crashy\nentry: n0\nstate: {{trace: {{type: list, reducer: append}}}}\nnodes:\n{nodes}\n"
            f"edges: [{edge_text}]\n")


def logged(log: str | Path, thread: str) -> list[str]:
    """The nodes that really ran for ``thread``, in order."""
    try:
        lines = Path(log).read_text().splitlines()
    except FileNotFoundError:
        return []
    return [line.split(" ", 1)[1] for line in lines if line.split(" ", 1)[0] == thread]


def main(db: str, log: str, spec: str, thread: str) -> None:
    from agentkit.runtime import Runner

    configure(log, thread)
    with Runner(db) as runner:
        print("ready", flush=True)
        runner.start(spec, {}, thread_id=thread)
    print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
