"""Explore auto-mode routing designs on the DEV set only: P(yes) of every offered tool under
several gate-question designs, plus whether the call of the expected tool is right.

Unlike ``tune_tool_router.py`` (which runs the router as shipped) this asks each design's
yes/no question of every offered tool directly, so the designs are compared on the same
cases in one pass, and decisions (which tool, call or not) are scored offline for any
threshold.  Whether a call is right when the expected tool is picked is measured once per
tool case by forcing that tool (``tool_choice=<name>``, the same prompt and grammar the
auto path uses after routing).

It refuses the EVAL set.  Records: ``benchmarks/results/explore_router_<model>.jsonl``;
``--records FILE`` re-scores a saved file.

Usage: ``.venv/bin/python benchmarks/explore_tool_router.py [--model qwen2.5-coder-0.5b] [--limit N]``
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import loadavg_end_line, machine_line, now, table
from benchmarks.tool_calling_cases import DEV_CASES, case_kind, check_call, tools_for

RESULTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
THRESHOLDS = [round(0.025 * i, 3) for i in range(4, 39)]


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def designs() -> dict:
    """name -> messages(tool, request) for every gate design explored."""
    from agentkit.llm import tool_router as tr

    out = {"plain": lambda tool, request: tr.verify_prompt(tool, request, near_misses=False),
           "near": lambda tool, request: tr.verify_prompt(tool, request, near_misses=True)}
    out["schema"] = lambda tool, request: schema_prompt(tool, request, _SCHEMA_PLAIN)
    out["schema_near"] = lambda tool, request: schema_prompt(tool, request, _SCHEMA_NEAR)
    return out


def _params(properties: dict) -> str:
    lines = []
    for name, prop in properties.items():
        kind = prop.get("type", "any")
        if "enum" in prop:
            kind += ", one of " + "|".join(map(str, prop["enum"]))
        lines.append(f"- {name} ({kind}): {' '.join(str(prop.get('description', '')).split())[:120]}")
    return "\n".join(lines) or "- (none)"


def _schema_question(name: str, description: str, properties: dict, request: str) -> str:
    return (f"Function: {name}\nDescription: {description}\nParameters:\n{_params(properties)}\n\n"
            f"User request: {request}\n\nCan calling this function, with arguments taken from the request, "
            f"do what the user asks? Answer yes or no.")


def _p(**kw: str) -> dict:
    return {k: {"type": "string", "description": v} for k, v in kw.items()}


# (name, description, parameters, request, answer)
_SCHEMA_PLAIN = (
    ("get_time", "Get the current local time in a city.", _p(city="City name."),
     "what time is it in Tokyo right now?", "yes"),
    ("search_recipes", "Find recipes that use an ingredient.", _p(ingredient="The main ingredient."),
     "Who painted the Mona Lisa?", "no"),
    ("create_reminder", "Create a reminder.", _p(text="What to be reminded of.", date="Date, YYYY-MM-DD."),
     "remind me to call mom on 2025-03-02", "yes"),
    ("send_sms", "Send a text message.", _p(phone="Phone number.", text="The message."),
     "Write a short poem about the sea.", "no"),
    ("set_alarm", "Set an alarm.", _p(time="Time, HH:MM."), "How many minutes are in a day?", "no"),
    ("search_recipes", "Find recipes that use an ingredient.", _p(ingredient="The main ingredient."),
     "any ideas for dinner with eggplant?", "yes"),
)
_SCHEMA_NEAR = (
    *_SCHEMA_PLAIN[:4],
    ("calculate_square_area", "Calculate the area of a square.", {"side": {"type": "number",
     "description": "Side length."}}, "What is the area of a hexagon with sides of 2 cm?", "no"),
    ("book_train", "Book a train ticket.", _p(origin="From city.", destination="To city.", date="YYYY-MM-DD."),
     "Cancel my train ticket to Leeds.", "no"),
    *_SCHEMA_PLAIN[4:],
)


def schema_prompt(tool: dict, request: str, examples) -> list[dict]:
    fn = tool["function"]
    messages = [{"role": "system", "content": "You are a precise classifier."}]
    for name, description, properties, example, answer in examples:
        messages.append({"role": "user", "content": _schema_question(name, description, properties, example)})
        messages.append({"role": "assistant", "content": answer})
    description = " ".join(str(fn.get("description", "")).split())[:200]
    messages.append({"role": "user", "content": _schema_question(
        fn["name"], description, (fn.get("parameters") or {}).get("properties", {}), request)})
    return messages


def probe_case(model, case: dict, names: dict, null_cache: dict, *, calls: bool, nulls_for: set[str]) -> dict:
    from langchain_core.messages import HumanMessage

    from agentkit.llm.tool_router import latest_request

    decoder, llama, prompter = model._decoder, model.pooled.llama, model._prompter()
    answers = [decoder.first_token(llama, w) for w in ("yes", "Yes", "no", "No")]
    request = latest_request([HumanMessage(case["prompt"])])

    def p_yes(messages) -> float:
        q = decoder.next_token_probabilities(llama, decoder.tokenize(prompter.render(messages)), answers)
        return float((q[0] + q[1]) / q.sum()) if q.sum() > 0 else 0.0

    probs: dict[str, dict[str, float]] = {}
    nulls: dict[str, dict[str, float]] = {}
    for design, build in names.items():
        probs[design], nulls[design] = {}, {}
        for tool in tools_for(case):
            tname = tool["function"]["name"]
            probs[design][tname] = p_yes(build(tool, request))
            key = (design, tname)
            if design in nulls_for and key not in null_cache:
                null_cache[key] = p_yes(build(tool, "N/A"))
            nulls[design][tname] = null_cache.get(key, 0.5)
    expected = case["expected"]
    args_right = not calls  # without calls: every call of the expected tool counts as right (an upper bound)
    if expected is not None and calls:
        msg = model.bind_tools(tools_for(case), tool_choice=expected["name"]).invoke(case["prompt"])
        call = msg.tool_calls[0] if msg.tool_calls else None
        args_right = bool(call) and check_call(case, call["name"], call["args"])
    return {"id": case["id"], "kind": case_kind(case), "expected": expected and expected["name"],
            "probs": probs, "nulls": nulls, "args_right": args_right}


def score(records: list[dict], pick, threshold: float) -> tuple[int, int, int, int]:
    """pick(record) -> (tool, score in 0..1); call when score >= threshold."""
    right = n_tool = quiet = n_none = 0
    for r in records:
        tool, s = pick(r)
        if r["expected"] is None:
            n_none += 1
            quiet += s < threshold
        else:
            n_tool += 1
            right += s >= threshold and tool == r["expected"] and r["args_right"]
    return right, n_tool, quiet, n_none


def pickers(design_names: list[str]) -> dict:
    def best(design: str, calibrated: bool):
        def pick(r):
            probs = r["probs"][design]
            if calibrated:
                vals = {t: _sigmoid(_logit(p) - _logit(r["nulls"][design][t])) for t, p in probs.items()}
            else:
                vals = probs
            tool = max(vals, key=vals.get)
            return tool, vals[tool]
        return pick

    def ensemble(designs_: list[str], calibrated: bool):
        def pick(r):
            tools = list(r["probs"][designs_[0]])
            vals = {}
            for t in tools:
                z = [(_logit(r["probs"][d][t]) - (_logit(r["nulls"][d][t]) if calibrated else 0.0)) for d in designs_]
                vals[t] = _sigmoid(sum(z) / len(z))
            tool = max(vals, key=vals.get)
            return tool, vals[tool]
        return pick

    def two_step(pick_design: str, gate_design: str, calibrated: bool):
        """Which tool: the likeliest under ``pick_design``; whether to call it: its score under ``gate_design``."""
        def pick(r):
            tool = best(pick_design, False)(r)[0]
            p = r["probs"][gate_design][tool]
            if calibrated:
                p = _sigmoid(_logit(p) - _logit(r["nulls"][gate_design][tool]))
            return tool, p
        return pick

    out = {}
    for a in design_names:
        for b in design_names:
            out[f"pick {a}, gate {b}+cal"] = two_step(a, b, True)
            if a != b:
                out[f"pick {a}, gate {b}"] = two_step(a, b, False)
    for d in design_names:
        out[d] = best(d, False)
        out[d + "+cal"] = best(d, True)
    if len(design_names) > 1:
        out["mean(all)"] = ensemble(design_names, False)
        out["mean(all)+cal"] = ensemble(design_names, True)
    return out


def curve(records: list[dict], name: str) -> None:
    """Right calls and right no-calls of one decision rule at every threshold."""
    pick = pickers(list(records[0]["probs"]))[name]
    rows = []
    for t in THRESHOLDS:
        right, n_tool, quiet, n_none = score(records, pick, t)
        rows.append([t, f"{right}/{n_tool} = {right / max(n_tool, 1):.3f}",
                     f"{quiet}/{n_none} = {quiet / max(n_none, 1):.3f}"])
    print(f"== {name} ==")
    print(table(["threshold", "right calls", "right no-calls"], rows))


def report(records: list[dict]) -> None:
    design_names = list(records[0]["probs"])
    rows = []
    for name, pick in pickers(design_names).items():
        best_t, best_min, best = None, -1.0, None
        for t in THRESHOLDS:
            right, n_tool, quiet, n_none = score(records, pick, t)
            m = min(right / max(n_tool, 1), quiet / max(n_none, 1))
            if m > best_min:
                best_t, best_min, best = t, m, (right, n_tool, quiet, n_none)
        picked = sum(1 for r in records if r["expected"] and pick(r)[0] == r["expected"])
        right, n_tool, quiet, n_none = best
        rows.append([name, best_t, f"{right}/{n_tool} = {right / max(n_tool, 1):.3f}",
                     f"{quiet}/{n_none} = {quiet / max(n_none, 1):.3f}",
                     f"{best_min:.3f}", f"{picked}/{n_tool}"])
    print(table(["design", "best threshold", "right calls", "right no-calls", "min", "picked right tool"], rows))
    ceiling = sum(1 for r in records if r["expected"] and r["args_right"])
    print(f"expected tool's forced call right on {ceiling}/{sum(1 for r in records if r['expected'])} tool cases")


def add_nulls(model_name: str, path: str, design: str) -> None:
    """Fill in ``nulls[design]`` of every record (one forward pass per distinct tool), in place."""
    from agentkit import get_chat_model
    from benchmarks.tool_calling_cases import TOOLS

    with open(path) as f:
        records = [json.loads(line) for line in f if line.strip()]
    model = get_chat_model(model_name, max_tokens=256)
    decoder, llama, prompter = model._decoder, model.pooled.llama, model._prompter()
    answers = [decoder.first_token(llama, w) for w in ("yes", "Yes", "no", "No")]
    build = designs()[design]
    cache: dict[str, float] = {}
    for r in records:
        for tool in r["probs"][design]:
            if tool not in cache:
                q = decoder.next_token_probabilities(
                    llama, decoder.tokenize(prompter.render(build(TOOLS[tool], "N/A"))), answers)
                cache[tool] = float((q[0] + q[1]) / q.sum()) if q.sum() > 0 else 0.0
            r["nulls"][design][tool] = cache[tool]
    with open(path, "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in records)
    print(f"content-free P(yes) of {len(cache)} tools added for design {design!r}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default="qwen2.5-coder-0.5b")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--records", default=None)
    ap.add_argument("--designs", default=None, help="comma-separated designs (default: all)")
    ap.add_argument("--nulls", default="plain", help="designs whose P(yes) is also calibrated against the "
                                                   "request 'N/A' (comma-separated)")
    ap.add_argument("--no-calls", action="store_true", help="skip the forced calls: right-call rates become "
                                                            "upper bounds (right tool picked, arguments unchecked)")
    ap.add_argument("--add-nulls", default=None, help="with --records: compute the content-free P(yes) of this "
                                                      "design for every tool in the records, and save them")
    ap.add_argument("--curve", action="append", default=[], help="with --records: every threshold of this rule")
    args = ap.parse_args()
    if args.records and args.add_nulls:
        add_nulls(args.model, args.records, args.add_nulls)
    if args.records:
        with open(args.records) as f:
            records = [json.loads(line) for line in f if line.strip()]
        report(records)
        for name in args.curve:
            curve(records, name)
        return 0
    from agentkit import get_chat_model

    print("explore_tool_router:", machine_line())
    model = get_chat_model(args.model, max_tokens=256)
    names = designs()
    if args.designs:
        names = {k: v for k, v in names.items() if k in args.designs.split(",")}
    cases = list(DEV_CASES)
    random.Random(15).shuffle(cases)  # every kind of case early on: a partial run can be read
    cases = cases[: args.limit] if args.limit else cases
    os.makedirs(RESULTS_DIR, exist_ok=True)
    out_path = os.path.join(RESULTS_DIR, f"explore_router_{args.model}.jsonl")
    records, null_cache, t0 = [], {}, now()
    with open(out_path, "w") as out:
        for i, case in enumerate(cases):
            rec = probe_case(model, case, names, null_cache, calls=not args.no_calls,
                             nulls_for=set(args.nulls.split(",")))
            records.append(rec)
            out.write(json.dumps(rec) + "\n")
            out.flush()
            if (i + 1) % 20 == 0:
                print(f"  {i + 1}/{len(cases)} cases, {now() - t0:.0f}s", flush=True)
    print(f"{len(records)} cases in {now() - t0:.0f}s; records: {os.path.relpath(out_path)}")
    report(records)
    print(loadavg_end_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
