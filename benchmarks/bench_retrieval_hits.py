"""Retrieval hits on a quality dataset: for each case that names its gold source, is that source
among the top k hits, and is the expected answer's text in them -- by meaning alone vs hybrid
(meaning fused with BM25 by reciprocal rank fusion), on the very same store.

The dataset is any ``agentkit eval`` JSONL file with a setup header (its ``ingest`` documents are
ingested into a temporary store, as ``agentkit eval`` does).  A case counts when its checks have
``sources``.  "answer in top k" is judged only for cases whose checks name answer text
(``contains``, ``contains_any`` or ``number``): one of those strings (or the number, as a whole
number) occurs in one of the top k chunks.  Query latency is the mean over the cases, measured
interleaved (meaning, hybrid, meaning, ...) after a warm-up query that builds the word index.

Run: .venv/bin/python benchmarks/bench_retrieval_hits.py DATASET.jsonl [--k 3] [--show]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path
from typing import Any

try:
    from benchmarks._common import loadavg_end_line, machine_line, table
except ImportError:  # run as a script from benchmarks/
    from _common import loadavg_end_line, machine_line, table  # type: ignore[no-redef]


def answer_texts(checks: dict[str, Any]) -> list[re.Pattern[str]]:
    """Patterns for the answer text a case's checks name (empty when they name none)."""
    texts = list(checks.get("contains") or []) + list(checks.get("contains_any") or [])
    patterns = [re.compile(re.escape(t), re.IGNORECASE) for t in texts]
    number = checks.get("number")
    if isinstance(number, dict) and "value" in number:
        value = float(number["value"])
        shown = re.escape(f"{value:g}") + "0*" if value != int(value) else f"{int(value):,}|{int(value)}"
        patterns.append(re.compile(rf"(?<![\d.])(?:{shown})(?![\d])"))
    return patterns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--show", action="store_true", help="print each case's result")
    args = parser.parse_args()

    from agentkit.evaluation import load_dataset
    from agentkit.memory import MemoryStore, ingest

    data = load_dataset(args.dataset)
    cases = [c for c in data.cases if c.checks.get("sources") and "question" in c.inputs]
    print(machine_line())
    with tempfile.TemporaryDirectory() as tmp:
        store = MemoryStore(path=Path(tmp) / "memory")
        collection = data.setup.collection
        report = ingest(list(data.setup.ingest), collection, store=store)
        print(f"{args.dataset}: {len(report.files)} files, {store.count(collection)} chunks; "
              f"{len(cases)} cases with a gold source; k={args.k}")
        store.query(collection, "warm-up", k=args.k, hybrid=True)  # builds the word index
        modes = {"meaning": False, "hybrid": True}
        found = {m: {"source": 0, "answer": 0, "answerable": 0, "ms": 0.0} for m in modes}
        per_case = []
        for case in cases:
            question = str(case.inputs["question"])
            gold = [str(s) for s in case.checks["sources"]]
            patterns = answer_texts(case.checks)
            row = [case.id]
            for mode, hybrid in modes.items():
                started = time.perf_counter()
                hits = store.query(collection, question, k=args.k, hybrid=hybrid)
                found[mode]["ms"] += (time.perf_counter() - started) * 1000
                source = any(str(h.source or "").endswith(g) for h in hits for g in gold)
                found[mode]["source"] += source
                cell = "src" if source else "-"
                if patterns:
                    answer = any(p.search(h.text) for h in hits for p in patterns)
                    found[mode]["answerable"] += 1
                    found[mode]["answer"] += answer
                    cell += "+ans" if answer else " noans"
                row.append(cell)
            per_case.append(row)
        store.close()
    if args.show:
        print(table(["case", *modes], per_case))
    n = len(cases)
    rows = [[mode, f"{f['source']}/{n}", f"{f['answer']}/{f['answerable']}", f"{f['ms'] / max(n, 1):.1f}"]
            for mode, f in found.items()]
    base, ours = found["meaning"], found["hybrid"]
    rows.append(["ratio hybrid / meaning", "", "", f"{ours['ms'] / max(base['ms'], 1e-9):.2f}x"])
    print(table(["ranking", f"gold source in top {args.k}", f"answer text in top {args.k}", "ms/query"], rows))
    print(loadavg_end_line())


if __name__ == "__main__":
    main()
