"""Tool-calling quality in ``tool_choice="auto"``: agentkit vs llama-cpp-python's own handler.

What it measures
----------------
For every case of ``benchmarks/tool_calling_cases.py`` (``EVAL_CASES`` by
default, ``--set dev`` for ``DEV_CASES``, ``--set heldout2`` for ``HELDOUT2_CASES``,
the BFCL-style held-out set written 2026-11-30: never tune on it) both sides get
the case's prompt as one user message, the case's offered tools, tool_choice
"auto", max_tokens=256, temperature 0, on the same GGUF file:

* ``agentkit`` - ``get_chat_model(max_tokens=256).bind_tools(tools, tool_choice="auto")
  .invoke(prompt)``; the first entry of ``msg.tool_calls`` (or of
  ``msg.invalid_tool_calls``, which counts as an emitted but invalid call).  The default
  model's card routes its auto decisions with the 1.5B model's gate (``ModelCard.tool_router``);
  ``--models NAME@ROUTER`` picks the gate (``qwen2.5-coder-0.5b@qwen2.5-coder-0.5b``: its own);
* ``baseline`` - ``llama_cpp.Llama(model_path=..., n_ctx=8192,
  chat_format="chatml-function-calling", n_threads=<agentkit's>)
  .create_chat_completion(messages, tools=..., tool_choice="auto", ...)``; the first
  ``choices[0].message.tool_calls[*].function`` (``arguments`` is a JSON string;
  one that does not parse is an emitted but invalid call).  n_threads is set to
  match agentkit's (llama-cpp-python's default is half the cores) so latencies
  compare like with like; it does not change the output.

Each emitted call is checked for validity: the name is one of the offered tools
and the arguments are a JSON object valid under that tool's parameter schema
(``jsonschema`` Draft 2020-12 when importable, else a small type/enum/required/
min/max checker).  Correctness uses ``check_call`` from the case module.  An
exception raised by a side counts as a failure for that case (its type is
reported).  The sides alternate who goes first on each case (the machine is
shared, so latencies are only comparable within one run).

How to read the output
----------------------
Progress lines show each case as ``<id> agentkit:<outcome> baseline:<outcome>``.
The final table has one column per side:

* ``tool cases: correct call rate``   - right tool and the compared arguments match;
* ``no-tool cases: rightly no call``  - answered in text when no offered tool fits;
* ``emitted calls valid``             - parses + schema-valid, over all emitted calls;
* ``wrong tool``   - tool cases answered with a call to another tool;
* ``right tool, wrong args`` - tool cases with the right tool but mismatching arguments;
* ``missed call``  - tool cases answered without a call;
* ``spurious call`` - no-tool cases answered with a call;
* ``exceptions``   - cases where the side raised (types listed below the table);
* ``no-call replies whose text is call markup`` - replies without a structured call
  whose text is e.g. ``functions.get_weather:`` (counted as no call above);
* ``no-call replies with empty text`` - replies with neither a call nor any text;
* mean/median latency per case.

Per-case records go to ``benchmarks/results/tool_calling_<set>.jsonl`` (each with
``cpu_per_wall``, this process's CPU seconds per wall second during the case: about
2 on an idle 2-core machine, about 1 or less when something else competes for the
cores, so a case whose latency is suspect can be spotted).  ``--resume`` keeps the
cases already in that file and runs only the rest (the summary covers all).

With several models (``--models``; by default the default model and every other
installed Qwen model) the agentkit side runs on each, the baseline on the first,
and a last table puts the models next to each other, per kind of case (plain,
one of several similar tools, near misses; see ``tool_calling_cases.case_kind``).

Usage: ``.venv/bin/python benchmarks/bench_tool_calling.py [--set eval|dev|heldout2] [--limit N]
[--sides both|agentkit] [--models a,b] [--quiet] [--json]``
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import dump_json, loadavg_end_line, machine_line, median, now, table
from benchmarks.tool_calling_cases import (
    DEV_CASES,
    EVAL_CASES,
    HELDOUT2_CASES,
    JSON_TYPE_CHECKS,
    case_kind,
    check_call,
    tools_for,
)

MAX_TOKENS = 256
CASE_SETS = {"eval": EVAL_CASES, "dev": DEV_CASES, "heldout2": HELDOUT2_CASES}
RESULTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")

try:
    import jsonschema  # type: ignore
except ImportError:  # pragma: no cover - the venv has it
    jsonschema = None


# ---------------------------------------------------------------------------
# Validation of an emitted call
# ---------------------------------------------------------------------------



def _simple_errors(value, schema: dict, where: str) -> list[str]:
    """A small validator (type, enum, required, minimum/maximum, items, properties)."""
    errors: list[str] = []
    typ = schema.get("type")
    if typ in JSON_TYPE_CHECKS and not JSON_TYPE_CHECKS[typ](value):
        return [f"{where}: {value!r} is not of type {typ}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in enum {schema['enum']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{where}: {value!r} < minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{where}: {value!r} > maximum {schema['maximum']}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += _simple_errors(item, schema["items"], f"{where}[{i}]")
    if isinstance(value, dict):
        for req in schema.get("required", []):
            if req not in value:
                errors.append(f"{where}: missing required {req!r}")
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                errors += _simple_errors(value[key], sub, f"{where}.{key}")
    return errors


def validate_call(case: dict, name: str | None, arguments) -> tuple[bool, list[str], dict | None]:
    """(valid, errors, parsed arguments) for an emitted call."""
    offered = {t["function"]["name"]: t for t in tools_for(case)}
    errors: list[str] = []
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except ValueError as exc:
            return False, [f"arguments are not JSON: {exc}"], None
    if not isinstance(arguments, dict):
        return False, [f"arguments are a {type(arguments).__name__}, not an object"], None
    if name not in offered:
        return False, [f"tool {name!r} was not offered"], arguments
    schema = offered[name]["function"].get("parameters") or {"type": "object"}
    if jsonschema is not None:
        errors = [f"args{('.' + '.'.join(map(str, e.absolute_path))) if e.absolute_path else ''}: {e.message}"
                  for e in jsonschema.Draft202012Validator(schema).iter_errors(arguments)]
    else:
        errors = _simple_errors(arguments, schema, "args")
    return not errors, errors, arguments


# ---------------------------------------------------------------------------
# The two sides
# ---------------------------------------------------------------------------

def chat_model(spec: str | None):
    """The agentkit chat model for a ``--models`` entry: ``NAME`` (routing as its card says) or
    ``NAME@ROUTER`` (ROUTER's yes/no gate decides; ``NAME@NAME``: the model's own gate)."""
    from agentkit import get_chat_model

    name, _, router = (spec or "").partition("@")
    return get_chat_model(name or None, max_tokens=MAX_TOKENS, **({"tool_router": router} if router else {}))


def run_agentkit(case: dict, model_name: str | None = None) -> dict:
    model = chat_model(model_name)
    msg = model.bind_tools(tools_for(case), tool_choice="auto").invoke(case["prompt"])
    if msg.tool_calls:
        call = msg.tool_calls[0]
        return {"emitted": True, "name": call["name"], "arguments": call["args"],
                "n_calls": len(msg.tool_calls), "content": msg.content}
    if getattr(msg, "invalid_tool_calls", None):
        call = msg.invalid_tool_calls[0]
        return {"emitted": True, "name": call.get("name"), "arguments": call.get("args"),
                "n_calls": len(msg.invalid_tool_calls), "content": msg.content,
                "note": f"invalid_tool_calls: {call.get('error')}"}
    return {"emitted": False, "name": None, "arguments": None, "n_calls": 0, "content": msg.content}


class Baseline:
    def __init__(self, model_path: str, threads: int) -> None:
        from llama_cpp import Llama

        self.llm = Llama(model_path=model_path, n_ctx=8192, chat_format="chatml-function-calling",
                         n_threads=threads, n_threads_batch=threads, n_batch=512, verbose=False)

    def __call__(self, case: dict) -> dict:
        out = self.llm.create_chat_completion(
            messages=[{"role": "user", "content": case["prompt"]}], tools=tools_for(case),
            tool_choice="auto", max_tokens=MAX_TOKENS, temperature=0.0)
        message = out["choices"][0]["message"]
        calls = message.get("tool_calls") or []
        if calls:
            fn = calls[0]["function"]
            return {"emitted": True, "name": fn.get("name"), "arguments": fn.get("arguments"),
                    "n_calls": len(calls), "content": message.get("content")}
        if message.get("function_call"):
            fn = message["function_call"]
            return {"emitted": True, "name": fn.get("name"), "arguments": fn.get("arguments"),
                    "n_calls": 1, "content": message.get("content")}
        return {"emitted": False, "name": None, "arguments": None, "n_calls": 0,
                "content": message.get("content")}


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def evaluate(side: str, case: dict, runner) -> dict:
    rec = {"id": case["id"], "side": side, "prompt": case["prompt"], "tools": case["tools"],
           "expected": case["expected"]}
    t0, c0 = now(), _cpu()
    try:
        res = runner(case)
        rec["seconds"] = now() - t0
        rec["cpu_per_wall"] = (_cpu() - c0) / max(rec["seconds"], 1e-9)
    except Exception as exc:  # a side's failure is a result, not a crash
        rec["seconds"] = now() - t0
        rec.update(emitted=False, name=None, arguments=None, valid=None, correct=False,
                   outcome="exception", error_type=type(exc).__name__, error=str(exc)[:500],
                   traceback=traceback.format_exc(limit=6)[-1500:])
        return rec
    rec.update(res)
    if isinstance(rec.get("content"), str) and len(rec["content"]) > 400:
        rec["content"] = rec["content"][:400] + "..."
    expected = case["expected"]
    if rec["emitted"]:
        valid, errors, parsed = validate_call(case, rec["name"], rec["arguments"])
        rec.update(valid=valid, validation_errors=errors, parsed_arguments=parsed)
        rec["correct"] = parsed is not None and check_call(case, rec["name"], parsed)
        if expected is None:
            rec["outcome"] = "spurious_call"
        elif rec["correct"]:
            rec["outcome"] = "correct"
        elif rec["name"] != expected["name"]:
            rec["outcome"] = "wrong_tool"
        else:
            rec["outcome"] = "wrong_args"
    else:
        rec["valid"] = None
        rec["correct"] = check_call(case, None, None)
        rec["outcome"] = "right_no_call" if expected is None else "missed_call"
    return rec


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------

def summarize(records: list[dict], cases: list[dict]) -> dict:
    tool_ids = {c["id"] for c in cases if c["expected"] is not None}
    none_ids = {c["id"] for c in cases if c["expected"] is None}
    n_tool, n_none = len(tool_ids), len(none_ids)
    emitted = [r for r in records if r.get("emitted")]
    outcomes = collections.Counter(r["outcome"] for r in records)
    return {
        "cases": len(records),
        "tool_cases": n_tool,
        "no_tool_cases": n_none,
        "correct": sum(1 for r in records if r["id"] in tool_ids and r["correct"]),
        "right_no_call": sum(1 for r in records if r["id"] in none_ids and r["outcome"] == "right_no_call"),
        "emitted": len(emitted),
        "emitted_valid": sum(1 for r in emitted if r.get("valid")),
        "wrong_tool": outcomes["wrong_tool"],
        "wrong_args": outcomes["wrong_args"],
        "missed_call": outcomes["missed_call"],
        "spurious_call": outcomes["spurious_call"],
        "exceptions": outcomes["exception"],
        "callish_text": sum(1 for r in records if not r.get("emitted") and _looks_like_call(r.get("content"))),
        "empty_text": sum(1 for r in records if r["outcome"] != "exception" and not r.get("emitted")
                          and not (r.get("content") or "").strip()),
        "exception_types": dict(collections.Counter(r["error_type"] for r in records
                                                    if r["outcome"] == "exception")),
        "by_kind": _by_kind(records, cases),
        "mean_latency_s": sum(r["seconds"] for r in records) / max(len(records), 1),
        "median_latency_s": median(r["seconds"] for r in records),
        "mean_latency_tool_cases_s": _mean(r["seconds"] for r in records if r["id"] in tool_ids),
        "mean_latency_no_tool_cases_s": _mean(r["seconds"] for r in records if r["id"] in none_ids),
    }


def _by_kind(records: list[dict], cases: list[dict]) -> dict[str, str]:
    """Per kind of case: right calls / tool cases and right no-calls / no-tool cases."""
    kinds = {c["id"]: case_kind(c) for c in cases}
    out = {}
    for kind in sorted(set(kinds.values())):
        recs = [r for r in records if kinds[r["id"]] == kind]
        tool = [r for r in recs if r["expected"] is not None]
        none = [r for r in recs if r["expected"] is None]
        parts = []
        if tool:
            parts.append(f"{sum(1 for r in tool if r['correct'])}/{len(tool)}")
        if none:
            parts.append(f"{sum(1 for r in none if r['outcome'] == 'right_no_call')}/{len(none)}")
        out[kind] = " / ".join(parts)
    return out


def _looks_like_call(text) -> bool:
    """A text reply that is really call markup (e.g. 'functions.get_weather:' or '<tool_call>')."""
    if not isinstance(text, str):
        return False
    t = text.strip()
    return t.startswith("functions.") or "<tool_call>" in t or t.startswith('{"name"')


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else float("nan")


def _rate(num: int, den: int) -> str:
    return f"{num}/{den} = {num / den:.1%}" if den else "-"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=list(CASE_SETS), default="eval",
                    help="eval (default), dev, or heldout2 (BFCL-style, held out: never tune on it)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N cases (for a quick try)")
    ap.add_argument("--resume", action="store_true",
                    help="keep cases already in the results file (e.g. after the run was killed)")
    ap.add_argument("--json", action="store_true", help="also print the summaries as JSON")
    ap.add_argument("--sides", choices=["both", "agentkit"], default="both",
                    help="'agentkit' skips the baseline (for quick tuning runs; no ratios printed)")
    ap.add_argument("--models", default=None,
                    help="comma-separated chat models for the agentkit side, each NAME or NAME@ROUTER (the "
                         "model whose yes/no gate decides; NAME@NAME: the model's own gate). Default: the default "
                         "model, the default on its own gate when its card routes with another model, then every "
                         "other registered Qwen model that is installed; the baseline runs on the first")
    ap.add_argument("--quiet", action="store_true", help="no per-case lines (the summary only)")
    args = ap.parse_args()

    from agentkit.llm.registry import DEFAULT_MODEL, KNOWN_MODELS, model_status

    if args.models:
        models = args.models.split(",")
    else:
        own_gate = [f"{DEFAULT_MODEL}@{DEFAULT_MODEL}"] if KNOWN_MODELS[DEFAULT_MODEL].tool_router else []
        models = [DEFAULT_MODEL, *own_gate] + [name for name, card in KNOWN_MODELS.items()
                                               if name != DEFAULT_MODEL and name.startswith("qwen")
                                               and model_status(card)[0]]
    cases = list(CASE_SETS[args.set])
    if args.limit:
        cases = cases[: args.limit]
    print("bench_tool_calling:", machine_line())
    summaries = {}
    for i, name in enumerate(models):
        sides = ["agentkit", "baseline"] if args.sides == "both" and i == 0 else ["agentkit"]
        summaries[name] = run_model(name, sides, cases, args)
    if len(models) > 1:
        print()
        print(f"== {args.set} set, agentkit tool_choice='auto', per model ==")
        rows = []
        for name, a in summaries.items():
            rows.append([name, _rate(a["correct"], a["tool_cases"]), _rate(a["right_no_call"], a["no_tool_cases"]),
                         *[a["by_kind"].get(k, "-") for k in ("plain", "similar_tools", "near_miss")],
                         f"{a['mean_latency_s']:.2f}"])
        print(table(["model", "tool cases: correct call", "no-tool cases: rightly no call", "plain (calls / no-calls)",
                     "one of similar tools (calls)", "near misses (no-calls)", "mean s/case"], rows))
        print(loadavg_end_line())
    return 0


def run_model(model_name: str, sides: list[str], cases: list[dict], args) -> dict:
    """Run ``cases`` on one model (and the baseline when asked); print its table; return agentkit's summary."""
    import functools

    probe = chat_model(model_name)
    _ = probe.pooled.llama  # load agentkit's instance up front
    model_path = str(probe.pooled.settings.model_path)
    baseline = Baseline(model_path, probe.pooled.llama.n_threads) if "baseline" in sides else None
    n_tool = sum(1 for c in cases if c["expected"] is not None)
    print(f"model: {model_name} ({model_path}); n_threads {probe.pooled.llama.n_threads}; "
          f"tool calls routed by {probe.tool_gate().model}'s gate")
    print(f"set: {args.set} ({len(cases)} cases = {n_tool} tool + {len(cases) - n_tool} no-tool); "
          f"max_tokens={MAX_TOKENS}; validator: {'jsonschema' if jsonschema else 'built-in'}")

    os.makedirs(RESULTS_DIR, exist_ok=True)
    gitignore = os.path.join(RESULTS_DIR, ".gitignore")
    if not os.path.exists(gitignore):
        with open(gitignore, "w") as f:
            f.write("*.jsonl\n")
    out_path = os.path.join(RESULTS_DIR, f"tool_calling_{args.set}_{model_name}.jsonl")

    runners = {"agentkit": functools.partial(run_agentkit, model_name=model_name), "baseline": baseline}
    records: dict[str, list[dict]] = {side: [] for side in sides}
    done: dict[str, dict[str, dict]] = {}
    if args.resume and os.path.exists(out_path):
        with open(out_path) as f:
            for raw_line in f:
                if raw_line.strip():
                    rec = json.loads(raw_line)
                    done.setdefault(rec["id"], {})[rec["side"]] = rec
        done = {cid: recs for cid, recs in done.items() if set(sides) <= set(recs)}
        print(f"resuming: {sum(1 for c in cases if c['id'] in done)} case(s) already in {os.path.relpath(out_path)}")
    t_start = now()
    with open(out_path, "w") as out:
        for i, case in enumerate(cases):
            if case["id"] in done:  # --resume: keep the earlier result
                for side in sides:
                    records[side].append(done[case["id"]][side])
                    out.write(json.dumps(done[case["id"]][side], default=str) + "\n")
                continue
            order = sides if i % 2 == 0 else sides[::-1]
            line = {}
            for side in order:
                rec = evaluate(side, case, runners[side])
                rec["set"] = args.set
                records[side].append(rec)
                out.write(json.dumps(rec, default=str) + "\n")
                line[side] = rec
            out.flush()
            if not args.quiet:
                print(f"  [{i + 1:3d}/{len(cases)}] {case['id']:9s} "
                      + "  ".join(f"{s}:{_short(line[s])} ({line[s]['seconds']:.1f}s)"
                                  for s in sides), flush=True)
    elapsed = now() - t_start

    summ = {side: summarize(records[side], cases) for side in records}
    if "baseline" not in summ:
        _print_one_side(summ["agentkit"], len(cases), elapsed, out_path)
        if args.json:
            dump_json(summ)
        return summ["agentkit"]
    a, b = summ["agentkit"], summ["baseline"]
    rows = [
        ["tool cases: correct call rate", _rate(a["correct"], a["tool_cases"]),
         _rate(b["correct"], b["tool_cases"])],
        ["no-tool cases: rightly answered without a call", _rate(a["right_no_call"], a["no_tool_cases"]),
         _rate(b["right_no_call"], b["no_tool_cases"])],
        ["emitted calls valid (parse + schema)", _rate(a["emitted_valid"], a["emitted"]),
         _rate(b["emitted_valid"], b["emitted"])],
        ["wrong tool (tool cases)", a["wrong_tool"], b["wrong_tool"]],
        ["right tool, wrong args (tool cases)", a["wrong_args"], b["wrong_args"]],
        ["missed call (tool cases)", a["missed_call"], b["missed_call"]],
        ["spurious call (no-tool cases)", a["spurious_call"], b["spurious_call"]],
        ["exceptions", a["exceptions"], b["exceptions"]],
        ["no-call replies whose text is call markup", a["callish_text"], b["callish_text"]],
        ["no-call replies with empty text", a["empty_text"], b["empty_text"]],
        ["mean latency per case (s)", f"{a['mean_latency_s']:.2f}", f"{b['mean_latency_s']:.2f}"],
        ["median latency per case (s)", f"{a['median_latency_s']:.2f}", f"{b['median_latency_s']:.2f}"],
        ["mean latency, tool cases (s)", f"{a['mean_latency_tool_cases_s']:.2f}",
         f"{b['mean_latency_tool_cases_s']:.2f}"],
        ["mean latency, no-tool cases (s)", f"{a['mean_latency_no_tool_cases_s']:.2f}",
         f"{b['mean_latency_no_tool_cases_s']:.2f}"],
    ]
    print()
    print(table(["metric", "agentkit", "baseline (chatml-function-calling)"], rows))
    for side in ("agentkit", "baseline"):
        if summ[side]["exception_types"]:
            print(f"{side} exceptions by type: {summ[side]['exception_types']}")
    invalid = [r for side in records for r in records[side] if r.get("emitted") and not r.get("valid")]
    if invalid:
        print("invalid emitted calls:")
        for r in invalid:
            print(f"  {r['side']:8s} {r['id']}: {r['name']} {str(r['arguments'])[:100]!r} -> "
                  f"{'; '.join(r.get('validation_errors') or [])[:160]}")
    print()
    print(f"per-case results: {os.path.relpath(out_path)}  (total run {elapsed:.0f}s)")
    print(f"correct-call rate agentkit/baseline: {_ratio(a['correct'], b['correct'])}; "
          f"rightly-no-call rate agentkit/baseline: {_ratio(a['right_no_call'], b['right_no_call'])}")
    print(f"overall accuracy (correct calls + right no-calls over all cases): "
          f"agentkit {(a['correct'] + a['right_no_call']) / len(cases):.1%}, "
          f"baseline {(b['correct'] + b['right_no_call']) / len(cases):.1%}")
    print(f"mean latency ratio agentkit/baseline: {a['mean_latency_s'] / b['mean_latency_s']:.2f}")
    print(loadavg_end_line())
    if args.json:
        dump_json(summ)
    return a


def _print_one_side(a: dict, n_cases: int, elapsed: float, out_path: str) -> None:
    """The agentkit column alone (``--sides agentkit``)."""
    rows = [["tool cases: correct call rate", _rate(a["correct"], a["tool_cases"])],
            ["no-tool cases: rightly answered without a call", _rate(a["right_no_call"], a["no_tool_cases"])],
            ["emitted calls valid (parse + schema)", _rate(a["emitted_valid"], a["emitted"])],
            ["wrong tool (tool cases)", a["wrong_tool"]],
            ["right tool, wrong args (tool cases)", a["wrong_args"]],
            ["missed call (tool cases)", a["missed_call"]],
            ["spurious call (no-tool cases)", a["spurious_call"]],
            ["exceptions", a["exceptions"]],
            *[[f"{kind} (calls / no-calls)", v] for kind, v in a["by_kind"].items()],
            ["mean latency per case (s)", f"{a['mean_latency_s']:.2f}"]]
    print()
    print(table(["metric", "agentkit"], rows))
    print(f"\nper-case results: {os.path.relpath(out_path)}  (total run {elapsed:.0f}s)")
    print(f"overall accuracy: agentkit {(a['correct'] + a['right_no_call']) / n_cases:.1%}")
    print(loadavg_end_line())


def _ratio(x: int, y: int) -> str:
    return f"{x / y:.2f}" if y else "n/a"


def _short(rec: dict) -> str:
    o = rec["outcome"]
    if o == "exception":
        return f"EXC[{rec['error_type']}]"
    if rec.get("emitted"):
        tag = "" if rec.get("valid") else "!INVALID"
        return f"{o}={rec['name']}{tag}"
    return o


if __name__ == "__main__":
    sys.exit(main())
