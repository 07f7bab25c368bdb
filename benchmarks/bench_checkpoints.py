"""Checkpoint overhead per node: a 100-node chain with SQLite checkpoints vs without.

Peers, all the same agentkit-compiled chain of no-op python nodes, run interleaved
(order rotated each round) in one process:
- no checkpointer (the baseline);
- LangGraph's in-memory saver;
- SqliteSaver, durability "async" (the write overlaps the next step);
- SqliteSaver, durability "sync" (agentkit's choice: a step is on disk before the next starts),
  with SQLite synchronous=NORMAL (agentkit's setting: survives kill -9) and =FULL (fsync per
  commit: survives a power cut; what a bare SqliteSaver does);
- agentkit's Runner (sync SQLite + run index + per-node events + budget meter);
- with --database postgresql://... (or AGENTKIT_TEST_DATABASE_URL set): LangGraph's PostgresSaver
  (durability "sync", as agentkit runs it) and agentkit's Runner on that PostgreSQL server.
Prints the median ms per run, the ratio to the baseline, and the added ms per node.
Results also go to benchmarks/results/bench_checkpoints.jsonl.

Run: .venv/bin/python benchmarks/bench_checkpoints.py [--rounds 15] [--nodes 100] [--database postgresql://...]
(a throwaway server on loopback: scripts/postgres-server.sh start prints its DSN)
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import agentkit
from agentkit.compile import compile_spec
from agentkit.runtime import Runner, memory_saver, sqlite_saver, strict_serde
from agentkit.runtime.checkpoints import SqliteRunSaver, connect
from agentkit.spec import parse_spec
from benchmarks._common import REPO_ROOT, loadavg_end_line, machine_line, median, spread

agentkit.register_function("bench_noop", lambda state: {})


def chain_spec(n: int) -> str:
    nodes = {f"n{i}": {"kind": "python", "function": "bench_noop"} for i in range(n)}
    edges = [{"from": f"n{i}", "to": f"n{i + 1}"} for i in range(n - 1)]
    return yaml.safe_dump({"name": "chain", "entry": "n0", "state": {"x": {"type": "int"}}, "nodes": nodes,
                           "edges": edges, "recursion_limit": 10 * n}, sort_keys=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--nodes", type=int, default=100)
    parser.add_argument("--database", default=os.environ.get("AGENTKIT_TEST_DATABASE_URL"),
                        help="a postgresql:// URL: add PostgreSQL peers (default: $AGENTKIT_TEST_DATABASE_URL)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_checkpoints_"))
    spec_file = work / "chain.yaml"
    spec_file.write_text(chain_spec(args.nodes))
    spec = parse_spec(spec_file.read_text())
    saver = sqlite_saver(work / "graph.sqlite")
    full = SqliteRunSaver(connect(work / "full.sqlite", synchronous="FULL"), serde=strict_serde())
    graphs = {
        "none": compile_spec(spec),
        "memory": compile_spec(spec, checkpointer=memory_saver()),
        "sqlite async": compile_spec(spec, checkpointer=saver),
        "sqlite sync": compile_spec(spec, checkpointer=saver),
        "sqlite sync FULL": compile_spec(spec, checkpointer=full),
    }
    runner = Runner(work / "runner.sqlite")
    pg_runner = None
    if args.database:
        from agentkit.runtime.checkpoints import resolve_checkpointer

        graphs["postgres sync"] = compile_spec(spec, checkpointer=resolve_checkpointer(args.database))
        pg_runner = Runner(args.database)
    ids = itertools.count()

    def once(name: str) -> float:
        config = {"configurable": {"thread_id": f"t{next(ids)}"}}
        started = time.perf_counter()
        if name == "runner":
            assert runner.start(spec_file, {"x": 1}).status == "done"
        elif name == "runner postgres":
            assert pg_runner is not None and pg_runner.start(spec_file, {"x": 1}).status == "done"
        elif name.startswith(("sqlite", "postgres")):
            graphs[name].invoke({"x": 1}, config, durability=name.split()[1])  # type: ignore[arg-type]
        elif name == "memory":
            graphs[name].invoke({"x": 1}, config)
        else:
            graphs[name].invoke({"x": 1})
        return time.perf_counter() - started

    peers = [*graphs, "runner"] + (["runner postgres"] if pg_runner is not None else [])
    for name in peers:  # warm-up
        once(name), once(name)
    times: dict[str, list[float]] = {name: [] for name in peers}
    for r in range(args.rounds):
        order = peers[r % len(peers):] + peers[:r % len(peers)]
        for name in order:
            times[name].append(once(name))
    runner.close()
    if pg_runner is not None:
        pg_runner.close()

    base = median(times["none"])
    print(f"bench_checkpoints: {args.rounds} interleaved rounds, chain of {args.nodes} no-op python nodes")
    print(machine_line())
    print(f"{'peer':<17} {'median ms':>10} {'spread ms':>16} {'ratio':>7} {'+ms/node':>9}")
    rows = []
    for name in peers:
        m = median(times[name])
        row = {"peer": name, "median_ms": round(m * 1000, 2), "ratio": round(m / base, 2),
               "added_ms_per_node": round((m - base) * 1000 / args.nodes, 3)}
        rows.append(row)
        ms = [t * 1000 for t in times[name]]
        print(f"{name:<17} {m * 1000:>10.1f} {spread(ms):>16} {m / base:>7.2f} {row['added_ms_per_node']:>9.3f}")
    print(loadavg_end_line())
    out = Path(REPO_ROOT) / "benchmarks" / "results" / "bench_checkpoints.jsonl"
    with out.open("a") as f:
        f.write(json.dumps({"ts": time.time(), "nodes": args.nodes, "rounds": args.rounds, "rows": rows}) + "\n")


if __name__ == "__main__":
    main()
