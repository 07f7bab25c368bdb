"""Tune auto-mode tool routing on the DEV set only: one pass, every threshold.

What it does
------------
For every DEV case of ``benchmarks/tool_calling_cases.py`` it asks the chat model
in ``tool_choice="auto"`` with ``tool_call_threshold=0`` -- so the router always
calls the tool it picked -- and records the router's decision
(``response_metadata["tool_route"]``: the picked tool, P(yes), the letter
probabilities) and whether that call would be right.  Since the call-or-answer
decision is ``P(yes) >= threshold``, the outcome of every threshold follows from
this one pass; the script prints right-call and rightly-no-call rates for a
sweep of thresholds, overall and per kind of case (plain, near miss, one of
several similar tools).

It refuses the EVAL set: thresholds and prompts are chosen on DEV only, and
``bench_tool_calling.py --set eval`` reports the held-out rates.

Usage: ``.venv/bin/python benchmarks/tune_tool_router.py [--model qwen2.5-coder-0.5b] [--limit N]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import loadavg_end_line, machine_line, now, table
from benchmarks.tool_calling_cases import DEV_CASES, case_kind, check_call, tools_for

RESULTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
THRESHOLDS = [round(0.05 * i, 2) for i in range(2, 20)]


def probe(model, case: dict) -> dict:
    msg = model.bind_tools(tools_for(case), tool_choice="auto").invoke(case["prompt"])
    route = msg.response_metadata.get("tool_route") or {}
    call = msg.tool_calls[0] if msg.tool_calls else None
    right_if_called = bool(call) and case["expected"] is not None and check_call(case, call["name"], call["args"])
    letters = {k: v for k, v in (route.get("probabilities") or {}).items() if k != "none"}
    return {"id": case["id"], "kind": case_kind(case), "needs_tool": case["expected"] is not None,
            "picked": max(letters, key=letters.get) if letters else None, "p_yes": route.get("p_yes", 0.0),
            "probabilities": route.get("probabilities", {}), "truncated": bool(route.get("truncated_call")),
            "call": call and {"name": call["name"], "args": call["args"]}, "right_if_called": right_if_called}


def rates(records: list[dict], threshold: float) -> tuple[int, int, int, int]:
    """(right calls, tool cases, right no-calls, no-tool cases) when calling at P(yes) >= threshold."""
    tool = [r for r in records if r["needs_tool"]]
    none = [r for r in records if not r["needs_tool"]]
    right = sum(1 for r in tool if r["p_yes"] >= threshold and r["right_if_called"])
    quiet = sum(1 for r in none if r["p_yes"] < threshold or r["truncated"])
    return right, len(tool), quiet, len(none)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default="qwen2.5-coder-0.5b")
    ap.add_argument("--set", default="dev", help="only 'dev' is accepted (EVAL is held out)")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--records", default=None, help="re-score a saved records file instead of running the model")
    args = ap.parse_args()
    if args.set != "dev":
        print("tune_tool_router: tuning uses DEV only; run bench_tool_calling.py --set eval for held-out rates")
        return 2

    out_path = os.path.join(RESULTS_DIR, f"tune_router_{args.model}.jsonl")
    if args.records:
        with open(args.records) as f:
            records = [json.loads(line) for line in f if line.strip()]
    else:
        from agentkit import get_chat_model

        print("tune_tool_router:", machine_line())
        model = get_chat_model(args.model, max_tokens=256, tool_call_threshold=0.0)
        cases = DEV_CASES[: args.limit] if args.limit else DEV_CASES
        os.makedirs(RESULTS_DIR, exist_ok=True)
        records, t0 = [], now()
        with open(out_path, "w") as out:
            for i, case in enumerate(cases):
                rec = probe(model, case)
                records.append(rec)
                out.write(json.dumps(rec) + "\n")
                print(f"  [{i + 1:3d}/{len(cases)}] {case['id']:9s} picked={rec['picked']} "
                      f"p_yes={rec['p_yes']:.3f} right_if_called={rec['right_if_called']}", flush=True)
        print(f"{len(records)} cases in {now() - t0:.0f}s; records: {os.path.relpath(out_path)}")

    rows = []
    for t in THRESHOLDS:
        right, n_tool, quiet, n_none = rates(records, t)
        rows.append([t, f"{right}/{n_tool} = {right / n_tool:.3f}", f"{quiet}/{n_none} = {quiet / n_none:.3f}",
                     f"{min(right / n_tool, quiet / n_none):.3f}"])
    print(table(["threshold", "right call (tool cases)", "rightly no call", "min"], rows))
    kinds = sorted({r["kind"] for r in records})
    rows = []
    for t in THRESHOLDS:
        row: list = [t]
        for kind in kinds:
            right, n_tool, quiet, n_none = rates([r for r in records if r["kind"] == kind], t)
            row.append(f"{right}/{n_tool}" if n_tool else "-")
            row.append(f"{quiet}/{n_none}" if n_none else "-")
        rows.append(row)
    print(table(["threshold"] + [f"{k} {w}" for k in kinds for w in ("calls", "no-calls")], rows))
    picked_right = sum(1 for r in records if r["needs_tool"] and r["right_if_called"])
    print(f"router picked a tool whose call is right on {picked_right}/{sum(r['needs_tool'] for r in records)} "
          f"tool cases (the ceiling of the right-call rate)")
    print(loadavg_end_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
