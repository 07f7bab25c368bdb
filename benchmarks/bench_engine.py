"""Engine overhead: graphs compiled by agentkit vs the same graphs written by hand in LangGraph.

Workloads (no model involved, so this measures the engine alone):
- a 200-node chain of no-op python nodes;
- a 64-way map fan-out (LangGraph ``Send``) into one no-op node with an append reducer.
Both sides run interleaved in one process, several rounds; the script prints the
median time per invoke of each side and the ratio agentkit / hand-written
(target <= 1.10), then the time to load + validate + compile a 200-node spec.

Run: .venv/bin/python benchmarks/bench_engine.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import operator
import statistics
import time
from typing import Annotated, Any, TypedDict

import yaml
from langgraph.graph import END, START, StateGraph
from langgraph.types import Send

import agentkit
from agentkit.compile import compile_spec
from agentkit.spec import parse_spec

N_CHAIN, N_FAN = 200, 64


def noop(state: dict[str, Any]) -> dict[str, Any]:
    return {}


def one(state: dict[str, Any]) -> dict[str, Any]:
    return {"out": [state["item"]]}


agentkit.register_function("noop", noop)
agentkit.register_function("one", lambda s: s["item"])


def chain_spec_text() -> str:
    nodes = {f"n{i}": {"kind": "python", "function": "noop"} for i in range(N_CHAIN)}
    edges = [{"from": f"n{i}", "to": f"n{i + 1}"} for i in range(N_CHAIN - 1)]
    return yaml.safe_dump({"name": "chain", "entry": "n0", "state": {"x": {"type": "int"}},
                           "nodes": nodes, "edges": edges, "recursion_limit": 1000}, sort_keys=False)


FAN_SPEC = """
name: fan
entry: start
state: {xs: {type: list}, out: {type: list, reducer: append}}
nodes:
  start: {kind: map, over: xs, node: one, item: item, output: out}
  one: {kind: python, function: one, output: out}
"""


class ChainState(TypedDict, total=False):
    x: int


class FanState(TypedDict, total=False):
    xs: list
    out: Annotated[list, operator.add]


def hand_chain():
    builder = StateGraph(ChainState)
    for i in range(N_CHAIN):
        builder.add_node(f"n{i}", noop)
    builder.add_edge(START, "n0")
    for i in range(N_CHAIN - 1):
        builder.add_edge(f"n{i}", f"n{i + 1}")
    builder.add_edge(f"n{N_CHAIN - 1}", END)
    return builder.compile().with_config(recursion_limit=1000)


def hand_fan():
    builder = StateGraph(FanState)
    builder.add_node("start", lambda s: {})
    builder.add_node("one", one)
    builder.add_edge(START, "start")
    builder.add_conditional_edges("start", lambda s: [Send("one", {**s, "item": x}) for x in s["xs"]], ["one"])
    builder.add_edge("one", END)
    return builder.compile()


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    text = chain_spec_text()
    ours = {"chain": compile_spec(parse_spec(text)),
            "fan": compile_spec(parse_spec(FAN_SPEC))}
    theirs = {"chain": hand_chain(), "fan": hand_fan()}
    inputs = {"chain": {"x": 1}, "fan": {"xs": list(range(N_FAN))}}
    assert len(ours["fan"].invoke(inputs["fan"])["out"]) == N_FAN == len(theirs["fan"].invoke(inputs["fan"])["out"])

    print(f"bench_engine: {args.rounds} interleaved rounds; chain of {N_CHAIN} no-op nodes, {N_FAN}-way fan-out")
    print(f"{'workload':<10} {'agentkit ms':>12} {'langgraph ms':>13} {'ratio':>7}")
    for name in ("chain", "fan"):
        a, b = [], []
        for _ in range(3):  # warm-up
            ours[name].invoke(inputs[name]), theirs[name].invoke(inputs[name])
        for r in range(args.rounds):
            pair = [(a, ours[name]), (b, theirs[name])]
            for times, graph in (pair if r % 2 == 0 else pair[::-1]):
                times.append(timed(lambda graph=graph, name=name: graph.invoke(inputs[name])))
        ma, mb = statistics.median(a) * 1000, statistics.median(b) * 1000
        print(f"{name:<10} {ma:>12.2f} {mb:>13.2f} {ma / mb:>7.3f}")

    builds = [timed(lambda: compile_spec(parse_spec(text))) for _ in range(5)]
    loads = [timed(lambda: parse_spec(text)) for _ in range(5)]
    print(f"200-node spec: load + validate {statistics.median(loads) * 1000:.1f} ms, "
          f"load + validate + compile {statistics.median(builds) * 1000:.1f} ms (median of 5)")


if __name__ == "__main__":
    main()
