"""The flagship's speed now against the flagship before the answer-quality work, side by side.

Claim under test (issue 14): "the median time of a document question is at most 2x the old
0.5B flagship's on the same machine, and an answer from memory is no slower".

- old: ``benchmarks/data/flagship_v1/assistant.yaml`` (the shipped graphs of commit 7422067,
  frozen; the 0.5B model everywhere; rag_qa answers from the passages citing [n]).
- new: ``graphs/assistant.yaml`` as it is now (its nodes' models as the graph names them).

Both run as full durable runs (``Runner.start``) in one fresh workspace into which the
quality set's DEV documents are ingested; each round empties the ``answers`` collection first
(nothing is answered from memory), then asks every question on both sides, alternating which
side goes first.  A second table asks each question again on each side (the answer is
remembered where the graph remembered it: its ``recall`` node ends the run early).  Both
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=8, help="how many DEV document questions")
    args = parser.parse_args(argv)
    os.environ["AGENTKIT_WORKSPACE"] = tempfile.mkdtemp(prefix="agentkit-bench-versions-")
    from agentkit.memory import get_store, ingest
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
            store = get_store()
            if "answers" in store.collection_names():
                store.drop("answers")
            order = list(sides) if r % 2 == 0 else list(sides)[::-1]
            for q in questions:
                for side in order:
                    started = time.perf_counter()
                    runner.start(sides[side], {"question": q})
                    first[side][q].append(time.perf_counter() - started)
            for q in questions:
                for side in order:
                    started = time.perf_counter()
                    runner.start(sides[side], {"question": q})
                    again[side][q].append(time.perf_counter() - started)
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
