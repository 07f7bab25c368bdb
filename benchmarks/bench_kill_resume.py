"""Kill-and-resume: SIGKILL a real run at random moments, resume it, check the outcome.

Each trial starts a worker process running a 10-node graph on a SQLite run
database (a chain with a three-way parallel step whose nodes take 10, 50 and
100 ms; the other nodes take 30 ms; every node logs a side effect when it really
runs), kills it with SIGKILL after a random delay, resumes the run in this
process, and checks that the final state equals an uninterrupted run's and that
no node whose writes were committed before the kill ran again (from the
side-effect log).  The same trial code runs 20 times in
tests/unit/test_crash_resume.py.

Run: .venv/bin/python benchmarks/bench_kill_resume.py [--trials 60] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import REPO_ROOT, loadavg_end_line, machine_line
from tests import crash_worker
from tests.crash_trials import run_length_s, run_trial


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=None,
                        help="kill within this many seconds of start (default: an uninterrupted run's length here)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="bench_kill_resume_"))
    if args.max_delay is None:
        args.max_delay = round(run_length_s(work), 3)
    print(f"bench_kill_resume: {args.trials} trials, SIGKILL after U(0, {args.max_delay}) s, "
          f"{len(crash_worker.EXPECTED_TRACE)}-node graph (chain + 3-way parallel step), durability=sync")
    print(machine_line())
    started = time.perf_counter()
    trials = [run_trial(work, f"trial{i}", rng, max_delay_s=args.max_delay) for i in range(args.trials)]
    elapsed = time.perf_counter() - started
    n_nodes = len(crash_worker.EXPECTED_TRACE)
    stages = Counter("before the first checkpoint" if not t.committed else
                     "after the last node" if len(t.committed) == n_nodes else "mid-run" for t in trials)
    partial_parallel = sum(1 for t in trials if 0 < len(set(t.committed) & set(crash_worker.PARALLEL)) < 3)
    correct = sum(t.correct for t in trials)
    reran = sum(len(t.reran) for t in trials)
    print(f"trials                                  {args.trials}")
    print(f"killed with SIGKILL                     {sum(t.killed for t in trials)}")
    for stage in ("before the first checkpoint", "mid-run", "after the last node"):
        print(f"  died {stage:<33} {stages.get(stage, 0)}")
    print(f"  of which inside the parallel step     {partial_parallel}  (1 or 2 of its 3 nodes committed)")
    exact = sum(t.final_trace == crash_worker.EXPECTED_TRACE for t in trials)
    print(f"ended in the uninterrupted final state  {exact}")
    print(f"committed nodes that ran again          {reran}")
    print(f"correct (same final state, no re-run)   {correct}/{args.trials}")
    print(f"{elapsed:.1f} s in all")
    print(loadavg_end_line())
    out = Path(REPO_ROOT) / "benchmarks" / "results" / "bench_kill_resume.jsonl"
    with out.open("a") as f:
        f.write(json.dumps({"ts": time.time(), "trials": args.trials, "correct": correct, "reran": reran,
                            "stages": dict(stages), "partial_parallel": partial_parallel}) + "\n")
    if correct != args.trials:
        for t in trials:
            if not t.correct:
                print("FAILED", t)
        sys.exit(1)


if __name__ == "__main__":
    main()
