"""Answer quality of the flagship ``assistant`` graph on the sample data, on the real default model.

A user of ``agentkit.evaluation`` (what ``agentkit eval assistant benchmarks/data/flagship.jsonl``
runs), with the flagship's own view on top.  The set, ``benchmarks/data/flagship.jsonl``, is in
agentkit's evaluation format: its header ingests ``examples/data/docs`` into a fresh eval
workspace (collection ``memory``); each case asks a question over the sample documents or the
sample receipt and checks the answer's fact (``contains_any``: any one suffices; numbers compare
as numbers, words on word boundaries), the specialist that answered (``ran``: ``documents``,
``research`` or ``receipt``), the sources cited (``sources``) and, for research, the calculator
(``tools``).  Split ``heldout`` marks questions written after the graphs' prompts were chosen (the
rag_qa answer prompt was picked on the first ten document questions), so their score shows
whether the choice generalises.  A research question contains one of the phrases the assistant's
keyword router (node ``text_kind``) sends to research; no other question does.

Each question runs as a full durable run in the eval's workspace.  The table shows the route
taken (the specialist node that ran), whether the answer holds an expected fact (the measure
this script printed before the format existed), whether every check passed, seconds and LLM
calls; the JSON report is appended to ``benchmarks/results/flagship_eval.jsonl``.

Run: .venv/bin/python benchmarks/eval_flagship.py [--only documents,receipt] [--ids ID,...] [--limit N]
[--graph PATH] [--model NAME]
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    from benchmarks._common import REPO_ROOT, loadavg_end_line, machine_line, table
except ImportError:  # run as a script from benchmarks/
    from _common import REPO_ROOT, loadavg_end_line, machine_line, table  # type: ignore[no-redef]

from agentkit.evaluation import Case, load_dataset

__all__ = ["ROUTES", "SPECIALISTS", "EvalQuestion", "load_questions", "route_of", "route_taken", "router_phrases"]

DATA = Path(REPO_ROOT) / "benchmarks" / "data" / "flagship.jsonl"
DOCS = Path(REPO_ROOT) / "examples" / "data" / "docs"
ASSISTANT = Path(REPO_ROOT) / "graphs" / "assistant.yaml"
ROUTES = ("documents", "research", "receipt", "story")
SPECIALISTS = ROUTES  # the assistant's specialist nodes are named after the routes


@dataclass(frozen=True, kw_only=True)
class EvalQuestion:
    """A flagship case as the latency benchmark (bench_flagship.py) reads it."""

    id: str
    question: str
    image: str | None
    route: str
    held_out: bool = False


def route_of(case: Case) -> str:
    """The specialist a case expects: the one its ``ran`` check names."""
    return next(node for node in case.checks.get("ran", []) if node in ROUTES)


def load_questions(path: Path = DATA) -> list[EvalQuestion]:
    return [EvalQuestion(id=c.id, question=c.inputs["question"], image=c.inputs.get("image"), route=route_of(c),
                         held_out=c.split == "heldout") for c in load_dataset(path).cases]


def router_phrases(spec_path: Path = ASSISTANT) -> list[str]:
    """The phrases that send a question to research: the list in the assistant's ``text_kind``
    router expression (read from the graph file, so this set follows the graph)."""
    import yaml

    expression = yaml.safe_load(spec_path.read_text())["nodes"]["text_kind"]["expression"]
    for node in ast.walk(ast.parse(expression, mode="eval")):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "contains_any":
            return [str(ast.literal_eval(element)) for element in node.args[1].elts]  # type: ignore[attr-defined]
    raise ValueError(f"{spec_path}: no contains_any(...) in text_kind's expression")


def route_taken(node_names: Sequence[str], answer: Any = None) -> str:
    """Which specialist answered: the specialist node that ran, ``remembered`` when none did
    but an answer came from memory, else ``none``."""
    ran = [name for name in SPECIALISTS if name in node_names]
    if ran:
        return "+".join(ran)
    return "remembered" if answer else "none"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help=f"comma-separated routes to run ({', '.join(ROUTES)})")
    parser.add_argument("--ids", default="", help="comma-separated question ids to run (default: all)")
    parser.add_argument("--limit", type=int, default=0, help="run at most N questions")
    parser.add_argument("--graph", default=str(ASSISTANT), help="the assistant graph (a path or a shipped name)")
    parser.add_argument("--model", default=None, help="run every LLM node on this model (default: the graph's)")
    args = parser.parse_args(argv)

    only = [r.strip() for r in args.only.split(",") if r.strip()]
    unknown = [r for r in only if r not in ROUTES]
    if unknown:
        parser.error(f"--only {','.join(unknown)}: routes are {', '.join(ROUTES)}")
    ids = [i.strip() for i in args.ids.split(",") if i.strip()]
    dataset = load_dataset(DATA)
    chosen = [c for c in dataset.cases if (not only or route_of(c) in only) and (not ids or c.id in ids)]
    if args.limit:
        chosen = chosen[:args.limit]
    if not chosen:
        parser.error("no question selected")

    print(machine_line())
    from agentkit.evaluation import evaluate
    from agentkit.llm.registry import DEFAULT_MODEL

    def progress(case: Any, n: int, total: int) -> None:
        failed = "; ".join(f"{v.check}: {v.reason}" for v in case.failed_checks) or case.error
        print(f"  [{n}/{total}] {case.id}: {route_taken(case.route, case.answer)}, "
              f"{'pass' if case.passed else 'FAIL ' + failed} in {case.seconds:.1f} s: {str(case.answer)[:200]!r}",
              flush=True)

    report = evaluate(args.graph, dataset, model=args.model, ids=[c.id for c in chosen], on_case=progress,
                      notes=lambda text: print(text, flush=True))
    expected = {c.id: route_of(c) for c in chosen}
    rows = []
    for case in report.cases:
        fact = next((v.passed for v in case.checks if v.check == "contains_any"), False)
        rows.append([case.id, expected[case.id], route_taken(case.route, case.answer), "yes" if fact else "NO",
                     "yes" if case.passed else "NO", case.seconds, case.llm_calls])
    print(table(["question", "expected route", "route taken", "fact", "all checks", "seconds", "LLM calls"], rows))
    facts = sum(row[3] == "yes" for row in rows)
    print(f"answers with the expected fact: {facts}/{len(rows)}; every check passed: "
          f"{report.totals.passed}/{len(rows)}")
    for split, totals in report.by_split().items():
        print(f"  split {split}: {totals.passed}/{totals.cases} passed, median {totals.median_seconds:.1f} s")
    print(f"workspace {report.workspace} (open a case: AGENTKIT_WORKSPACE={report.workspace} agentkit runs show "
          f"THREAD)")
    print(loadavg_end_line())
    out = Path(REPO_ROOT) / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    with (out / "flagship_eval.jsonl").open("a") as f:
        f.write(json.dumps({"time": time.time(), "model": args.model or DEFAULT_MODEL, "graph": args.graph,
                            "only": only, "correct": facts, "questions": len(rows), **report.to_dict()},
                           default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
