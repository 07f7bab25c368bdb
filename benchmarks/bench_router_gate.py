"""How well a graph's LLM router sends a quality set's questions to their route (issue 14: "Routing
>= 95 % on held-out questions of every route").

The router node is compiled alone, exactly as the graph declares it (its model, system prompt,
worked examples, prompt and thresholds: ``agentkit.nodes.router``), with its routes pointed at
stand-in nodes; each question of the dataset is routed once, and the route it should take comes
from the case's tags (``--route TAG=LABEL``, e.g. ``arithmetic=yes``; any other case expects
``--otherwise``).  Prints each miss with the probability the model gave the expected label, and
the share routed right per expected label.  Uses the real model: run it under the CPU lock.

Run: flock /tmp/agentkit-cpu.lock .venv/bin/python benchmarks/bench_router_gate.py \\
         benchmarks/data/quality/dev/dev.jsonl [--graph assistant --node text_kind \\
         --route arithmetic=yes --otherwise no --tags documents,abstain,arithmetic]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import loadavg_end_line, machine_line, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--graph", default="assistant", help="a shipped graph's name or a spec file")
    parser.add_argument("--node", default="text_kind", help="the router node to measure")
    parser.add_argument("--route", action="append", default=[], help="TAG=LABEL: cases with TAG expect LABEL")
    parser.add_argument("--otherwise", default="no", help="the label every other case expects")
    parser.add_argument("--tags", default="documents,abstain,arithmetic", help="only cases with one of these tags")
    args = parser.parse_args()

    import yaml

    import agentkit
    from agentkit import get_chat_model
    from agentkit.compile import compile_spec
    from agentkit.spec import load_spec, parse_spec

    spec = load_spec(args.graph)
    node = spec.nodes[args.node].model_dump(exclude_none=True, exclude_defaults=True, mode="json")
    node["kind"] = "router"
    marks = {f"to_{i}": label for i, label in enumerate(node["routes"])}  # stand-in node -> label
    node["routes"] = {label: to for to, label in marks.items()}
    agentkit.register_function("bench_gate_mark", lambda state: "reached")
    alone = {"name": "gate", "entry": "gate", "state": {"question": {"type": "str"}, "label": {"type": "str"}},
             "input": ["question"],
             "nodes": {"gate": node, **{to: {"kind": "python", "function": "bench_gate_mark", "output": "label"}
                                        for to in marks}}}
    real = get_chat_model(node.get("model"))
    seen: list[dict[str, float]] = []
    graph = compile_spec(parse_spec(yaml.safe_dump(alone, sort_keys=False)),
                         model_factory=lambda name: _Recorder(real, seen))

    expect = dict(item.split("=", 1) for item in args.route)
    wanted_tags = set(args.tags.split(","))
    rows: list[list[Any]] = []
    totals: dict[str, list[int]] = {}
    print(machine_line())
    for line in args.dataset.read_text().splitlines():
        case = json.loads(line)
        tags = set(case.get("tags") or [])
        if "id" not in case or not tags & wanted_tags:
            continue
        want = next((label for tag, label in expect.items() if tag in tags), args.otherwise)
        seen.clear()
        events = list(graph.stream({"question": case["inputs"]["question"]}, stream_mode="updates"))
        went = next((marks[name] for event in events for name in event if name in marks), "?")
        p = seen[-1] if seen else {}
        total = sum(p.values()) or 1.0
        p_want = sum(v for k, v in p.items() if k.lower() == want.lower()) / total
        totals.setdefault(want, [0, 0])
        totals[want][0] += went == want
        totals[want][1] += 1
        if went != want:
            rows.append([case["id"], want, went, f"{p_want:.3f}"])
    if rows:
        print(table(["missed case", "expected", "routed", "P(expected)"], rows))
    right = sum(r for r, _ in totals.values())
    count = sum(n for _, n in totals.values())
    print(table(["expected route", "routed right"], [[label, f"{r}/{n}"] for label, (r, n) in totals.items()]
                + [["all", f"{right}/{count} ({right / max(count, 1):.0%})"]]))
    print(loadavg_end_line())


class _Recorder:
    """The real chat model, with the choice probabilities of each reply kept in ``seen``."""

    def __init__(self, model: Any, seen: list[dict[str, float]]) -> None:
        self._model, self._seen = model, seen

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def bind(self, **kwargs: Any) -> Any:
        return _Recorder(self._model.bind(**kwargs), self._seen)

    def invoke(self, messages: Any, *args: Any, **kwargs: Any) -> Any:
        reply = self._model.invoke(messages, *args, **kwargs)
        self._seen.append(dict(reply.response_metadata.get("choice_probabilities") or {}))
        return reply


if __name__ == "__main__":
    main()
