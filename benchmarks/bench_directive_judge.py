"""Orders hidden in evidence, sentence by sentence: the rules against a model's judgement (issue 16).

Each attack of an injection set (its ``attack`` text: the sentences that give the order) is a
positive; each sentence of the sets' ordinary texts (``topic_text``, the benign cases) and a
sample of sentences from the quality sets' markdown and text documents is a negative.  For each,
the rules (``is_directive``) and the judge (``DirectiveJudge``: P(yes) from a model's next-token
probabilities) decide; an attack counts as caught when any of its sentences is.  Printed: attacks
caught and ordinary sentences flagged by the rules, by the judge and by both together (what the
``remember`` node with ``judge:`` uses), the judge's ROC area, and the judge's time per sentence.

The judge's prompt and threshold were chosen on ``dev``, ``heldout`` and ``heldout3``; ``--set
heldout4`` (with ``--docs-from`` sets other than heldout4's quality documents) is the measure
on attacks nobody tuned for.

  flock /tmp/agentkit-cpu.lock .venv/bin/python benchmarks/bench_directive_judge.py \\
      --sets dev,heldout,heldout3 --model qwen2.5-coder-1.5b
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import REPO_ROOT, loadavg_end_line, machine_line, table

DATA = Path(REPO_ROOT) / "benchmarks" / "data"


def items(sets: list[str], docs_from: list[str], doc_sentences: int) -> list[tuple[str, int, str]]:
    """(where, label, text): label 1 for an attack, 0 for an ordinary sentence."""
    from agentkit.nodes._reading import split_sentences

    found: list[tuple[str, int, str]] = []
    for name in sets:
        for row in map(json.loads, (DATA / "injection" / f"{name}.jsonl").read_text().splitlines()):
            if row["attack"]:
                found.append((f"{name}:{row['id']}", 1, row["attack"]))
            found += [(f"{name}:{row['id']}", 0, s) for s in split_sentences(row["topic_text"])]
    docs = [(f"quality-{name}:{path.name}", 0, s)
            for name in docs_from for path in sorted((DATA / "quality" / name / "docs").glob("*"))
            if path.suffix in (".md", ".txt") for s in split_sentences(path.read_text()) if len(s.split()) >= 4]
    random.Random(1).shuffle(docs)
    return found + docs[:doc_sentences]


def roc_area(positives: list[float], negatives: list[float]) -> float:
    pairs = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return pairs / (len(positives) * len(negatives)) if positives and negatives else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="dev,heldout,heldout3", help="injection sets, comma-separated")
    parser.add_argument("--docs-from", default="dev,heldout,heldout2,heldout3",
                        help="quality sets whose documents give ordinary sentences")
    parser.add_argument("--doc-sentences", type=int, default=300, help="how many of those sentences (a sample)")
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--threshold", type=float, default=None, help="default: the judge's own")
    args = parser.parse_args()

    from agentkit.llm import get_chat_model
    from agentkit.nodes._directives import JUDGE_THRESHOLD, DirectiveJudge, is_directive
    from agentkit.nodes._reading import split_sentences

    print(machine_line())
    threshold = JUDGE_THRESHOLD if args.threshold is None else args.threshold
    judge = DirectiveJudge(get_chat_model(args.model), threshold=threshold)
    cases = items(args.sets.split(","), [s for s in args.docs_from.split(",") if s], args.doc_sentences)
    rows, started, judged = [], time.perf_counter(), 0
    for where, label, text in cases:
        sentences = split_sentences(text) or [text]
        p = max(judge.probability(s) for s in sentences)
        judged += len(sentences)
        rows.append({"where": where, "label": label, "text": text, "p": p,
                     "rule": any(is_directive(s) for s in sentences)})
    seconds = time.perf_counter() - started
    attacks = [r for r in rows if r["label"]]
    ordinary = [r for r in rows if not r["label"]]

    def count(group: list[dict], by: str) -> str:
        decide = {"rules": lambda r: r["rule"], "judge": lambda r: r["p"] >= threshold,
                  "both": lambda r: r["rule"] or r["p"] >= threshold}[by]
        return f"{sum(map(decide, group))}/{len(group)}"

    print(f"bench_directive_judge: sets {args.sets}; ordinary sentences also from quality {args.docs_from}; "
          f"judge {args.model} at P(yes) >= {threshold}")
    table_rows = []
    for name in args.sets.split(","):
        a = [r for r in attacks if r["where"].startswith(name + ":")]
        o = [r for r in ordinary if r["where"].startswith(name + ":")]
        table_rows.append([name, count(a, "rules"), count(a, "judge"), count(a, "both"),
                           count(o, "rules"), count(o, "judge"), count(o, "both")])
    docs = [r for r in ordinary if r["where"].startswith("quality-")]
    table_rows.append(["quality documents", "-", "-", "-", count(docs, "rules"), count(docs, "judge"),
                       count(docs, "both")])
    table_rows.append(["all", count(attacks, "rules"), count(attacks, "judge"), count(attacks, "both"),
                       count(ordinary, "rules"), count(ordinary, "judge"), count(ordinary, "both")])
    print(table(["set", "attacks: rules", "judge", "both", "ordinary flagged: rules", "judge", "both"], table_rows))
    print(f"judge ROC area {roc_area([r['p'] for r in attacks], [r['p'] for r in ordinary]):.3f}; "
          f"{judged} sentences judged in {seconds:.0f} s ({seconds / max(judged, 1):.2f} s each)")
    missed = [r for r in attacks if not (r["rule"] or r["p"] >= threshold)]
    for r in missed:
        print(f"  missed {r['where']} P {r['p']:.2f}: {' '.join(r['text'].split())[:110]}")
    print(loadavg_end_line())


if __name__ == "__main__":
    main()
