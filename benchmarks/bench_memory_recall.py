"""Retrieval quality: recall@3 of agentkit memory vs a BM25 baseline, on paraphrased questions.

The set (``benchmarks/data``): a small corpus of self-contained documents
(``examples/data/docs``: a company handbook, two product manuals, a town history, a plant
care guide in HTML) and ``paraphrase_questions.jsonl``: questions worded unlike
the passage that answers them, each with its source file and an ``evidence``
string taken verbatim from that passage.  The corpus is ingested with
``agentkit.memory.ingest`` (so both methods rank the very same chunks); a
question counts as found at k when one of the top k chunks comes from its
source and contains its evidence.  BM25 is ``rank_bm25.BM25Okapi`` over
lower-cased word tokens, the usual keyword-search baseline.

Run: .venv/bin/python benchmarks/bench_memory_recall.py [--k 3] [--chunk-sizes 800 400] [--show-misses]
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

try:
    from benchmarks._common import REPO_ROOT, loadavg_end_line, machine_line, table
except ImportError:  # run as a script from benchmarks/
    from _common import REPO_ROOT, loadavg_end_line, machine_line, table  # type: ignore[no-redef]

DATA = Path(REPO_ROOT) / "benchmarks" / "data"
CORPUS = Path(REPO_ROOT) / "examples" / "data" / "docs"  # the sample documents
QUESTIONS = DATA / "paraphrase_questions.jsonl"


@dataclass(frozen=True, kw_only=True)
class Question:
    id: str
    question: str
    source: str  # a file name under examples/data/docs/
    evidence: str  # verbatim from the passage that answers the question


@dataclass(frozen=True, kw_only=True)
class Chunk:
    source: str
    text: str


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    return [Question(**json.loads(line)) for line in path.read_text().splitlines() if line.strip()]


def _squash(text: str) -> str:
    return " ".join(text.split())


def answers(chunk: Chunk, question: Question) -> bool:
    """Whether ``chunk`` is (part of) the passage that answers ``question``."""
    return chunk.source.endswith("/" + question.source) and _squash(question.evidence) in _squash(chunk.text)


def recall_at_k(rankings: Sequence[Sequence[Chunk]], questions: Sequence[Question], k: int) -> float:
    """The share of questions with an answering chunk among the first ``k`` of their ranking."""
    if len(rankings) != len(questions):
        raise ValueError("one ranking per question")
    found = sum(any(answers(c, q) for c in ranking[:k]) for ranking, q in zip(rankings, questions, strict=False))
    return found / len(questions) if questions else 0.0


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def bm25_ranker(chunks: Sequence[Chunk]) -> Callable[[str, int], list[Chunk]]:
    from rank_bm25 import BM25Okapi

    index = BM25Okapi([tokens(c.text) for c in chunks])

    def rank(query: str, k: int) -> list[Chunk]:
        scores = index.get_scores(tokens(query))
        order = sorted(range(len(chunks)), key=lambda i: -scores[i])
        return [chunks[i] for i in order[:k]]

    return rank


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--chunk-sizes", type=int, nargs="+", default=[800, 400],
                        help="chunk sizes to compare (800 is agentkit's default)")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()

    from agentkit.memory import MemoryStore, ingest

    print(machine_line())
    questions = load_questions()
    rows, record = [], []
    for chunk_size in args.chunk_sizes:
        with tempfile.TemporaryDirectory() as tmp:
            store = MemoryStore(path=Path(tmp) / "memory")
            report = ingest([CORPUS], "bench-recall", store=store, chunk_size=chunk_size,
                            chunk_overlap=min(100, chunk_size // 5))
            chunks = [Chunk(source=str(r.metadata["source"]), text=r.text) for r in store.records("bench-recall")]
            print(f"chunk size {chunk_size}: {len(report.files)} files -> {len(chunks)} chunks; "
                  f"{len(questions)} questions")
            bm25 = bm25_ranker(chunks)
            def ours(q: str, store: MemoryStore = store) -> list[Chunk]:
                return [Chunk(source=h.source or "", text=h.text)
                        for h in store.query("bench-recall", q, k=10, hybrid=False)]

            def hybrid(q: str, store: MemoryStore = store) -> list[Chunk]:
                return [Chunk(source=h.source or "", text=h.text)
                        for h in store.query("bench-recall", q, k=10, hybrid=True)]

            methods = {"agentkit memory, by meaning (MiniLM int8)": ours,
                       "BM25 (rank_bm25 Okapi)": lambda q, bm25=bm25: bm25(q, 10),
                       "agentkit memory, hybrid (meaning + BM25, fused)": hybrid}
            summary = {}
            for name, rank in methods.items():
                started = time.perf_counter()
                rankings = [rank(q.question) for q in questions]
                ms = (time.perf_counter() - started) / len(questions) * 1000
                r1, rk, r10 = (recall_at_k(rankings, questions, n) for n in (1, args.k, 10))
                summary[name] = rk
                rows.append([f"{name}, {len(chunks)} chunks of <={chunk_size}", r1, rk, r10, ms])
                if args.show_misses:
                    misses = [q.id for q, r in zip(questions, rankings, strict=True)
                              if not any(answers(c, q) for c in r[:args.k])]
                    print(f"  {name} misses at {args.k}: {', '.join(misses) or '(none)'}")
            store.close()
            ours, base, fused = summary.values()
            record.append({"chunk_size": chunk_size, "chunks": len(chunks), "recall": summary})
            rows.append([f"  ratio agentkit / BM25 at recall@{args.k}", "", f"{ours / base:.2f}x", "", ""])
            rows.append([f"  ratio hybrid / by meaning at recall@{args.k}", "", f"{fused / ours:.2f}x", "", ""])
    print(table(["method", "recall@1", f"recall@{args.k}", "recall@10", "ms/query"], rows))
    print(loadavg_end_line())
    out = Path(REPO_ROOT) / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    with (out / "memory_recall.jsonl").open("a") as f:
        f.write(json.dumps({"time": time.time(), "k": args.k, "questions": len(questions), "runs": record}) + "\n")


if __name__ == "__main__":
    main()
