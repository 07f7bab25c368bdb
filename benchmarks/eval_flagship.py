"""Answer quality of the flagship ``assistant`` graph on the sample data, on the real default model.

The set (``benchmarks/data/flagship_eval.jsonl``): questions over the sample documents
(``examples/data/docs``) and the sample receipt, one JSON object a line:
``{id, question, image, expect, route[, held_out]}``.  ``held_out`` marks questions
written after the graphs' prompts were chosen (the rag_qa answer prompt was picked on
the first ten document questions), so their score shows whether the choice generalises.  ``expect`` lists
acceptable facts (any one
suffices); ``route`` is the specialist that should answer (``documents``, ``research``,
``receipt`` or ``story``).  A research question contains one of the phrases the
assistant's keyword router (node ``text_kind``) sends to research; no other question does.

``check(answer, expect)``: case-insensitive; an expectation that is a number matches a
number in the answer numerically (``14.74`` matches ``$14.74`` and ``14.740``, not
``114.74``); any other expectation matches as words (on word boundaries); one starting
with ``re:`` is a regular expression.

Each question runs as a full durable run (``agentkit.runtime.Runner``) in a fresh temporary
workspace into which ``examples/data/docs`` is ingested (collection ``memory``, as
``agentkit memory ingest examples/data/docs`` does).  The table shows the route taken (the
specialist node that ran, read from ``RunResult.nodes``), whether the answer holds an
expected fact, seconds and LLM calls; the run is appended to
``benchmarks/results/flagship_eval.jsonl``.

Run: .venv/bin/python benchmarks/eval_flagship.py [--only documents,receipt] [--ids ID,...] [--limit N]
[--graph PATH]
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    from benchmarks._common import REPO_ROOT, loadavg_end_line, machine_line, table
except ImportError:  # run as a script from benchmarks/
    from _common import REPO_ROOT, loadavg_end_line, machine_line, table  # type: ignore[no-redef]

__all__ = ["ROUTES", "SPECIALISTS", "EvalQuestion", "check", "load_questions", "route_taken", "router_phrases"]

DATA = Path(REPO_ROOT) / "benchmarks" / "data" / "flagship_eval.jsonl"
DOCS = Path(REPO_ROOT) / "examples" / "data" / "docs"
ASSISTANT = Path(REPO_ROOT) / "graphs" / "assistant.yaml"
ROUTES = ("documents", "research", "receipt", "story")
SPECIALISTS = ROUTES  # the assistant's specialist nodes are named after the routes

_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
# A number in free text, not glued to a word or to another number (so "192.168.8.1",
# "2026-10-03" and "E1" yield nothing); thousands separators allowed ("1,200").
_NUMBER_IN_TEXT = re.compile(r"(?<![\w.,/:-])[-+]?\d+(?:,\d{3})*(?:\.\d+)?(?!\w|[.,/:-]\d)")


@dataclass(frozen=True, kw_only=True)
class EvalQuestion:
    id: str
    question: str
    image: str | None
    expect: list[str]
    route: str
    held_out: bool = False  # added after the graphs' prompts were chosen: never used to tune them


def load_questions(path: Path = DATA) -> list[EvalQuestion]:
    return [EvalQuestion(**json.loads(line)) for line in path.read_text().splitlines() if line.strip()]


def _numbers(text: str) -> list[float]:
    return [float(m.group().replace(",", "")) for m in _NUMBER_IN_TEXT.finditer(text)]


def _matches(answer: str, expected: str) -> bool:
    if expected.startswith("re:"):
        return re.search(expected[3:], answer, re.IGNORECASE) is not None
    if _NUMBER.match(expected.strip()):
        value = float(expected)
        return any(abs(n - value) <= 1e-9 * max(1.0, abs(value)) for n in _numbers(answer))
    words = r"\s+".join(re.escape(w) for w in expected.split())
    return re.search(rf"(?<!\w){words}(?!\w)", answer, re.IGNORECASE) is not None


def check(answer: str | None, expect: Sequence[str]) -> bool:
    """Whether ``answer`` states one of the ``expect``ed facts (see the module docstring)."""
    return bool(answer) and any(_matches(str(answer), e) for e in expect)


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


def _prepare_workspace() -> str:
    """A fresh workspace (set before agentkit's memory is imported) with the sample docs ingested."""
    workspace = tempfile.mkdtemp(prefix="agentkit-flagship-eval-")
    os.environ["AGENTKIT_WORKSPACE"] = workspace
    from agentkit.memory import ingest

    report = ingest([DOCS], "memory")
    print(f"workspace {workspace}: ingested {len(report.files)} files, {report.chunks_added} chunks")
    return workspace


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help=f"comma-separated routes to run ({', '.join(ROUTES)})")
    parser.add_argument("--ids", default="", help="comma-separated question ids to run (default: all)")
    parser.add_argument("--limit", type=int, default=0, help="run at most N questions")
    parser.add_argument("--graph", default=str(ASSISTANT), help="the assistant graph (a path or a shipped name)")
    args = parser.parse_args(argv)

    only = [r.strip() for r in args.only.split(",") if r.strip()]
    unknown = [r for r in only if r not in ROUTES]
    if unknown:
        parser.error(f"--only {','.join(unknown)}: routes are {', '.join(ROUTES)}")
    ids = [i.strip() for i in args.ids.split(",") if i.strip()]
    questions = [q for q in load_questions() if (not only or q.route in only) and (not ids or q.id in ids)]
    if args.limit:
        questions = questions[:args.limit]

    print(machine_line())
    workspace = _prepare_workspace()
    from agentkit.llm.registry import DEFAULT_MODEL
    from agentkit.runtime import Runner

    rows, record = [], []
    with Runner() as runner:
        for q in questions:
            inputs: dict[str, Any] = {"question": q.question}
            if q.image:
                inputs["image"] = str(Path(REPO_ROOT) / q.image)
            started = time.perf_counter()
            try:
                result = runner.start(args.graph, inputs)
                status, answer = result.status, result.output.get("answer")
                nodes, calls = [n.node for n in result.nodes], int(result.usage.get("llm_calls", 0))
                sources = result.output.get("sources")
            except Exception as exc:
                status, answer, nodes, calls, sources = f"error: {type(exc).__name__}: {exc}", None, [], 0, None
            seconds = time.perf_counter() - started
            route = route_taken(nodes, answer)
            correct = status == "done" and check(answer, q.expect)
            rows.append([q.id, q.route, route, "yes" if correct else "NO", seconds, calls])
            record.append({"id": q.id, "route": q.route, "route_taken": route, "correct": correct,
                           "seconds": round(seconds, 3), "llm_calls": calls, "status": status,
                           "answer": answer, "sources": sources, "nodes": nodes})
            print(f"  {q.id}: {route}, {'correct' if correct else 'WRONG'} in {seconds:.1f} s: "
                  f"{str(answer)[:200]!r} {sources or ''}", flush=True)
    right = sum(r["correct"] for r in record)
    print(table(["question", "expected route", "route taken", "correct", "seconds", "LLM calls"], rows))
    print(f"{right}/{len(record)} correct")
    held_out = [r for r, q in zip(record, questions, strict=False) if q.held_out]
    if held_out:
        print(f"held-out questions (never used to tune a prompt): {sum(r['correct'] for r in held_out)}/"
              f"{len(held_out)} correct")
    print(loadavg_end_line())
    out = Path(REPO_ROOT) / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    with (out / "flagship_eval.jsonl").open("a") as f:
        f.write(json.dumps({"time": time.time(), "model": DEFAULT_MODEL, "graph": args.graph, "only": only,
                            "correct": right, "questions": len(record), "workspace": workspace,
                            "results": record}, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
