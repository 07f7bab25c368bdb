"""What a tool-routing decision costs on each model: seconds per decision and peak memory.

What it measures
----------------
For each model (default: the 0.5B on its own gate, the 0.5B as shipped -- routed by the 1.5B's
gate -- and the 1.5B), in a fresh child process so that peak memory is that setting's alone
(both models when one routes the other): load the chat model, then for the first ``--cases``
DEV cases of ``benchmarks/tool_calling_cases.py`` (a fixed shuffle, so every kind of case
is in) time

* the routing decision alone (``ChatLlamaCpp.tool_decision`` of the model whose gate
  decides: one yes/no forward pass per offered tool, with that model's own settings; after
  one warm-up pass over the cases, so a calibrated router's one-off question per new tool
  is not counted), and
* the whole ``tool_choice="auto"`` reply (decision, then the call or the text answer),

and report the child's peak resident memory (``ru_maxrss``).  The ratios to the first model
are printed last.  Run it under ``flock /tmp/agentkit-cpu.lock`` and read the load average
printed with it: the machine is shared.

Usage: ``.venv/bin/python benchmarks/bench_tool_route_cost.py [--cases 12] [--models a,b]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import loadavg_end_line, machine_line, median, table


def child(spec: str, n_cases: int) -> dict:
    from langchain_core.messages import HumanMessage

    from agentkit import get_chat_model
    from benchmarks.tool_calling_cases import DEV_CASES, tools_for

    cases = list(DEV_CASES)
    random.Random(15).shuffle(cases)
    cases = cases[:n_cases]
    name, _, router = spec.partition("@")
    model = get_chat_model(name, max_tokens=256, **({"tool_router": router} if router else {}))
    gate = model.tool_gate()  # the model whose yes/no gate decides
    started = time.perf_counter()
    llama, _ = model.pooled.llama, gate.pooled.llama
    load_s = time.perf_counter() - started
    decide, reply, decide_cpu, reply_cpu = [], [], [], []
    for case in cases:  # warm-up: a calibrated router asks once per new tool about a content-free request
        gate.tool_decision([HumanMessage(case["prompt"])], tools_for(case))
    for case in cases:
        t0, c0 = time.perf_counter(), time.process_time()
        gate.tool_decision([HumanMessage(case["prompt"])], tools_for(case))
        decide.append(time.perf_counter() - t0)
        decide_cpu.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        model.bind_tools(tools_for(case), tool_choice="auto").invoke(case["prompt"])
        reply.append(time.perf_counter() - t0)
        reply_cpu.append(time.process_time() - c0)
    return {"model": spec, "gate": gate.model, "n_threads": llama.n_threads, "load_s": load_s, "decide": decide,
            "reply": reply, "decide_cpu": decide_cpu, "reply_cpu": reply_cpu,
            "tools_per_case": sum(len(c["tools"]) for c in cases) / len(cases),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=12)
    ap.add_argument("--models", default="qwen2.5-coder-0.5b@qwen2.5-coder-0.5b,qwen2.5-coder-0.5b,qwen2.5-coder-1.5b",
                    help="NAME or NAME@ROUTER (the model whose gate decides; NAME@NAME: its own); ratios are "
                         "printed against the first")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.cases)))
        return 0
    print("bench_tool_route_cost:", machine_line())
    results = []
    for name in args.models.split(","):
        out = subprocess.run([sys.executable, __file__, "--child", name, "--cases", str(args.cases)],
                             capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    def mean(values: list[float]) -> float:
        return sum(values) / len(values)

    rows = [[r["model"], r["gate"], r["n_threads"], f"{r['load_s']:.1f}", f"{r['tools_per_case']:.1f}",
             f"{mean(r['decide']):.2f}", f"{median(r['decide']):.2f}", f"{mean(r['decide_cpu']):.2f}",
             f"{mean(r['reply']):.2f}", f"{mean(r['reply_cpu']):.2f}", f"{r['peak_rss_mb']:.0f}"] for r in results]
    print(table(["model", "gate", "threads", "load s", "tools/case", "decision s (mean)", "decision s (median)",
                 "decision CPU s (mean)", "whole auto reply s (mean)", "whole reply CPU s (mean)", "peak RSS MB"],
                rows))
    print("(CPU seconds are this process's own: with one thread they hardly change with the machine's load)")
    a = results[0]
    for b in results[1:]:
        print(f"{b['model']} / {a['model']}: decision {median(b['decide']) / median(a['decide']):.2f}x (median wall), "
              f"{sum(b['decide_cpu']) / sum(a['decide_cpu']):.2f}x (CPU); whole reply "
              f"{sum(b['reply']) / sum(a['reply']):.2f}x (wall), {sum(b['reply_cpu']) / sum(a['reply_cpu']):.2f}x "
              f"(CPU); peak memory {b['peak_rss_mb'] / a['peak_rss_mb']:.2f}x")
    print(loadavg_end_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
