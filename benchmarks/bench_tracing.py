"""Tracing overhead on the engine benchmark's workloads (benchmarks/bench_engine.py).

Four sides, interleaved in one process, several rounds, median per invoke (wall time, and the
process's CPU time, which other processes on a busy machine disturb less):
- ``langgraph``: the same graph written by hand in LangGraph (the peer);
- ``unwrapped``: the agentkit graph compiled without the tracing wrapper on its nodes (what
  ``off`` would be if tracing did not exist);
- ``off``: the agentkit graph with tracing off (what every run pays: one context-variable lookup
  per node);
- ``on``: the agentkit graph traced (an active ``agentkit.tracing.TraceHandler``, not in the run's
  callbacks: a workflow span, a span per node made by the node itself, a span per LLM call made
  inside a node, which the scripted model, an agentkit model, records itself with no callback
  dispatched) into OpenTelemetry's BatchSpanProcessor,
  exporting to an exporter that drops the spans (so the export itself, which happens off the
  run's thread, is not what is measured);
- ``callbacks``: the same handler passed bare in ``callbacks`` (node spans from LangChain's chain
  callbacks, as for a LangGraph graph agentkit did not compile; the way every run was traced before).
Workloads: bench_engine's chain of 200 no-op nodes and 64-way no-op fan-out (a no-op node is
LangGraph's smallest unit of work, ~0.15 ms here: the hardest case for a per-node cost), and a
chain of 50 ``llm`` nodes answered by a scripted chat model (``agentkit.testing.FunctionModel``,
no real model: the LangChain chat-model call each node makes, traced as a node span and a
``chat`` span with its tokens).
Prints off / langgraph (the engine's own overhead), off / unwrapped (what tracing costs while off),
on / off (target <= 1.10) and callbacks / off,
then the same workloads as durable runs, and what the runner's "is tracing on?" check costs per
run while it is off.

Run: .venv/bin/python benchmarks/bench_tracing.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any, TypedDict

import yaml
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from agentkit import tracing
from agentkit.compile import compile_spec
from agentkit.spec import parse_spec
from benchmarks._common import loadavg_end_line, machine_line
from benchmarks.bench_engine import (
    FAN_SPEC,
    N_CHAIN,
    N_FAN,
    chain_spec_text,
    hand_chain,
    hand_fan,
    timed,
)

N_LLM = 50


def llm_chain_spec_text() -> str:
    nodes = {f"s{i}": {"kind": "llm", "prompt": f"Step {i}: {{x}}", "output": "y"} for i in range(N_LLM)}
    edges = [{"from": f"s{i}", "to": f"s{i + 1}"} for i in range(N_LLM - 1)]
    return yaml.safe_dump({"name": "llm_chain", "entry": "s0", "state": {"x": {"type": "str"}, "y": {"type": "str"}},
                           "nodes": nodes, "edges": edges, "recursion_limit": 1000}, sort_keys=False)


def scripted_model() -> Any:
    from langchain_core.messages import AIMessage

    from agentkit.testing import FunctionModel

    reply = AIMessage("fine.", usage_metadata={"input_tokens": 12, "output_tokens": 2, "total_tokens": 14},
                      response_metadata={"finish_reason": "stop"})
    return FunctionModel(function=lambda messages, options: reply)


def hand_llm_chain(model: Any) -> Any:
    from langchain_core.messages import HumanMessage
    from langgraph.graph import END, START, StateGraph

    class State(TypedDict, total=False):
        x: str
        y: str

    def step(i: int) -> Any:
        return lambda state: {"y": model.invoke([HumanMessage(f"Step {i}: {state['x']}")]).content}

    builder = StateGraph(State)
    for i in range(N_LLM):
        builder.add_node(f"s{i}", step(i))
    builder.add_edge(START, "s0")
    for i in range(N_LLM - 1):
        builder.add_edge(f"s{i}", f"s{i + 1}")
    builder.add_edge(f"s{N_LLM - 1}", END)
    return builder.compile().with_config(recursion_limit=1000)


class Discard(SpanExporter):
    def __init__(self) -> None:
        self.count = 0

    def export(self, spans: Any) -> SpanExportResult:
        self.count += len(spans)
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        pass


def runner_rounds(rounds: int, provider: TracerProvider) -> None:
    """The same workloads as durable runs (``Runner``: SQLite checkpoints after every step, the LLM
    monitor's callbacks), tracing off and on: what ``agentkit run --trace`` adds to a run."""
    import tempfile
    from pathlib import Path

    from agentkit.runtime import Runner

    specs = {"chain": parse_spec(chain_spec_text()), "fan": parse_spec(FAN_SPEC),
             "llm": parse_spec(llm_chain_spec_text())}
    inputs = {"chain": {"x": 1}, "fan": {"xs": list(range(N_FAN))}, "llm": {"x": "go"}}
    model = scripted_model()
    print(f"as durable runs (Runner, SQLite checkpoints), {max(3, rounds // 2)} interleaved rounds:")
    print(f"{'workload':<9} {'off ms':>9} {'on ms':>9} {'on/off':>8} {'off cpu ms':>11} {'on cpu ms':>10} "
          f"{'on/off':>8}")
    with tempfile.TemporaryDirectory() as folder, \
            Runner(Path(folder) / "runs.sqlite", model_factory=lambda name: model) as runner:
        for name in ("chain", "fan", "llm"):
            walls: dict[str, list[float]] = {"off": [], "on": []}
            cpus: dict[str, list[float]] = {"off": [], "on": []}
            for r in range(max(3, rounds // 2) + 1):
                for side in (("off", "on") if r % 2 == 0 else ("on", "off")):
                    if side == "on":
                        tracing.enable(provider=provider)
                    else:
                        tracing.disable()
                    cpu = time.process_time()
                    took = timed(lambda name=name: runner.start(specs[name], inputs[name]))
                    if r:  # the first round warms up
                        walls[side].append(took)
                        cpus[side].append(time.process_time() - cpu)
            off, on = (statistics.median(walls[s]) * 1000 for s in ("off", "on"))
            off_cpu, on_cpu = (statistics.median(cpus[s]) * 1000 for s in ("off", "on"))
            print(f"{name:<9} {off:>9.1f} {on:>9.1f} {on / off:>8.3f} {off_cpu:>11.1f} {on_cpu:>10.1f} "
                  f"{on_cpu / off_cpu:>8.3f}")
    tracing.disable()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    exporter = Discard()
    provider = TracerProvider()
    provider.add_span_processor(BatchSpanProcessor(exporter, max_queue_size=65536))
    model = scripted_model()
    ours = {"chain": compile_spec(parse_spec(chain_spec_text())), "fan": compile_spec(parse_spec(FAN_SPEC)),
            "llm": compile_spec(parse_spec(llm_chain_spec_text()), model_factory=lambda name: model)}
    theirs = {"chain": hand_chain(), "fan": hand_fan(), "llm": hand_llm_chain(model)}
    import agentkit.compile

    agentkit.compile.traced_node = lambda name, kind, action: action  # compile as if tracing did not exist
    try:
        unwrapped = {"chain": compile_spec(parse_spec(chain_spec_text())), "fan": compile_spec(parse_spec(FAN_SPEC)),
                     "llm": compile_spec(parse_spec(llm_chain_spec_text()), model_factory=lambda name: model)}
    finally:
        agentkit.compile.traced_node = tracing.traced_node
    inputs = {"chain": {"x": 1}, "fan": {"xs": list(range(N_FAN))}, "llm": {"x": "go"}}

    def traced(name: str) -> Any:  # an active handler, not in the callbacks: it reaches the LLM calls itself
        handler = tracing.TraceHandler(provider=provider)
        handler.open_workflow(name, "bench")
        handler.activate()
        try:
            return ours[name].invoke(inputs[name])
        finally:
            handler.finish()

    def bare(name: str) -> Any:
        handler = tracing.TraceHandler(provider=provider)
        return ours[name].invoke(inputs[name], {"callbacks": [handler]})

    sides = {
        "langgraph": lambda name: theirs[name].invoke(inputs[name]),
        "unwrapped": lambda name: unwrapped[name].invoke(inputs[name]),
        "off": lambda name: ours[name].invoke(inputs[name]),
        "on": traced,
        "callbacks": bare,
    }
    print(machine_line())
    print(f"bench_tracing: {args.rounds} interleaved rounds; chain of {N_CHAIN} no-op nodes, {N_FAN}-way fan-out, "
          f"chain of {N_LLM} llm nodes (scripted model)")
    print(f"{'workload':<9} {'clock':<5} {'langgraph ms':>13} {'off ms':>9} {'on ms':>9} {'callbacks ms':>13} "
          f"{'off/langgraph':>14} {'off/unwrapped':>14} {'on/off':>8} {'callbacks/off':>14}")
    for name in ("chain", "fan", "llm"):
        walls: dict[str, list[float]] = {side: [] for side in sides}
        cpus: dict[str, list[float]] = {side: [] for side in sides}
        for _ in range(3):  # warm-up
            for run in sides.values():
                run(name)
        order = list(sides)
        for r in range(args.rounds):
            for side in order[r % len(order):] + order[:r % len(order)]:  # rotate who goes first
                cpu = time.process_time()
                walls[side].append(timed(lambda side=side, name=name: sides[side](name)))
                cpus[side].append(time.process_time() - cpu)
        for clock, times in (("wall", walls), ("cpu", cpus)):
            med = {side: statistics.median(values) * 1000 for side, values in times.items()}
            print(f"{name:<9} {clock:<5} {med['langgraph']:>13.2f} {med['off']:>9.2f} {med['on']:>9.2f} "
                  f"{med['callbacks']:>13.2f} {med['off'] / med['langgraph']:>14.3f} "
                  f"{med['off'] / med['unwrapped']:>14.3f} {med['on'] / med['off']:>8.3f} "
                  f"{med['callbacks'] / med['off']:>14.3f}")
    provider.force_flush()
    spans_per_chain = N_CHAIN + 1
    print(f"spans exported: {exporter.count} (a chain run makes {spans_per_chain}: the workflow and each node; "
          f"an llm-chain run {2 * N_LLM + 1}: also a chat span per node)")

    runner_rounds(args.rounds, provider)

    tracing.disable()
    n = 100_000
    started = time.perf_counter()
    for _ in range(n):
        tracing.run_handler("chain", "t")
    check_us = (time.perf_counter() - started) / n * 1e6
    off_chain_ms = statistics.median(timed(lambda: ours["chain"].invoke(inputs["chain"])) for _ in range(5)) * 1000
    print(f"tracing off: the runner's check costs {check_us:.2f} us per run = "
          f"{check_us / 1000 / off_chain_ms:.6f} of a {N_CHAIN}-node chain run ({off_chain_ms:.1f} ms)")
    print(loadavg_end_line())


if __name__ == "__main__":
    main()
