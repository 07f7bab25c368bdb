"""The flagship's speed now against the flagship before the answer-quality work, side by side.

Claim under test (issue 14): "the median time of a document question is at most 2x the old
0.5B flagship's on the same machine, and an answer from memory is no slower".

- old: ``benchmarks/data/flagship_v1/assistant.yaml`` (the shipped graphs of commit 7422067,
  frozen; the 0.5B model everywhere; rag_qa answers from the passages citing [n]).
- new: ``graphs/assistant.yaml`` as it is now (its nodes' models as the graph names them).

Both run as full durable runs (``Runner.start``) in one fresh workspace into which the
quality set's DEV documents are ingested; each round asks every question on both sides,
alternating which side goes first, each time with the ``answers`` collection emptied first
(nothing is answered from memory, least of all from the other side's), and then asks it again
on the same side: the second table (the answer is remembered where the graph remembered it:
its ``recall`` node ends the run early).  A run that does not finish stops the benchmark.  Each
round starts with the models' saved prompt states forgotten: within a round, one question's
prompt may reuse another's (the routers' fixed prompts, a passage retrieved again), as in use.  Both
models are loaded and warmed by one question before timing.

Run: .venv/bin/python benchmarks/bench_flagship_versions.py [--rounds 3] [--limit 8]
Needs an idle machine for real numbers: the load average is printed at start and end.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

try:
    from benchmarks._common import REPO_ROOT, loadavg_end_line, machine_line, median, table
except ImportError:  # run as a script from benchmarks/
    from _common import REPO_ROOT, loadavg_end_line, machine_line, median, table  # type: ignore[no-redef]

OLD = Path(REPO_ROOT) / "benchmarks" / "data" / "flagship_v1" / "assistant.yaml"
NEW = Path(REPO_ROOT) / "graphs" / "assistant.yaml"
DEV = Path(REPO_ROOT) / "benchmarks" / "data" / "quality" / "dev"


def _questions(limit: int) -> list[str]:
    cases = [json.loads(line) for line in (DEV / "dev.jsonl").read_text().splitlines()[1:] if line.strip()]
    return [c["inputs"]["question"] for c in cases if "documents" in c["tags"]][:limit]


def _forget_answers() -> None:
    from agentkit.memory import get_store

    store = get_store()
    if "answers" in store.collection_names():
        store.drop("answers")


def _timed(runner: Any, graph: Path, question: str) -> float:
    """Seconds for one run of ``graph``; a run that does not finish stops the benchmark (a failed
    run is fast, and its time would pass for a real one)."""
    started = time.perf_counter()
    result = runner.start(graph, {"question": question})
    seconds = time.perf_counter() - started
    if result.status != "done":
        raise SystemExit(f"{graph.name}: the run for {question!r} ended {result.status}: {result.message}")
    return seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=8, help="how many DEV document questions")
    args = parser.parse_args(argv)
    os.environ["AGENTKIT_WORKSPACE"] = tempfile.mkdtemp(prefix="agentkit-bench-versions-")
    from agentkit.llm.pool import default_pool
    from agentkit.memory import ingest
    from agentkit.runtime import Runner

    print(machine_line())
    ingest([str(DEV / "docs")], "memory")
    questions = _questions(args.limit)
    sides = {"old": OLD, "new": NEW}
    first: dict[str, dict[str, list[float]]] = {side: {q: [] for q in questions} for side in sides}
    again: dict[str, dict[str, list[float]]] = {side: {q: [] for q in questions} for side in sides}
    with Runner() as runner:
        for path in sides.values():  # load and warm both models
            runner.start(path, {"question": "How long is the warranty?"})
        for r in range(args.rounds):
            order = list(sides) if r % 2 == 0 else list(sides)[::-1]
            default_pool().forget_prefixes()  # a round must not reuse the prompts the round before read
            for q in questions:
                for side in order:
                    # Both graphs remember into the same `answers` collection: without emptying it,
                    # the side asked second would be answered from the other side's memory.
                    _forget_answers()
                    first[side][q].append(_timed(runner, sides[side], q))
                    again[side][q].append(_timed(runner, sides[side], q))
    for title, times in (("asked first (seconds, median of rounds)", first),
                         ("asked again (answered from memory where it was remembered)", again)):
        rows = [[q[:60], median(times["old"][q]), median(times["new"][q]),
                 median(times["new"][q]) / median(times["old"][q])] for q in questions]
        old_m = median([median(times["old"][q]) for q in questions])
        new_m = median([median(times["new"][q]) for q in questions])
        rows.append(["median over questions", old_m, new_m, new_m / old_m])
        print(f"\n{title}")
        print(table(["question", "old s", "new s", "new / old"], rows))
    print(loadavg_end_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
