"""Memory speed: ingest throughput (chunks/s) and query latency p50/p95 with 10,000 chunks stored.

The chunks are generated deterministically (seeded sentences over a fixed
vocabulary, about 60 words each).  Measured on the embedded store in a
temporary folder:
- ingest: ``MemoryStore.add`` of all chunks (embedding + Chroma writes), and its
  two parts on their own (embedding only; Chroma ``add`` of precomputed vectors);
- embedding threads: 1 vs 2 ONNX threads on the same 1,000 chunks (ratio);
- query: ``MemoryStore.query`` (embed the query + search, k=4; by meaning, the default, and
  hybrid) vs raw Chroma ``collection.query`` with the same precomputed vector
  (agentkit's overhead), and with MMR (fetch_k=20), interleaved over the same queries; and the
  first hybrid query, which builds the collection's word index (BM25).

Run: .venv/bin/python benchmarks/bench_memory_speed.py [--chunks 10000] [--queries 200]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

try:
    from benchmarks._common import REPO_ROOT, loadavg_end_line, machine_line, table
except ImportError:  # run as a script from benchmarks/
    from _common import REPO_ROOT, loadavg_end_line, machine_line, table  # type: ignore[no-redef]

WORDS = ["tea", "kettle", "router", "river", "harbour", "invoice", "leaf", "garden", "mill", "railway", "bridge", "council", "lantern", "festival", "password", "laptop", "network", "firmware", "guest", "shift", "holiday", "budget", "course", "warranty", "filter", "descaling", "temperature", "compost", "shade", "pest", "harvest", "market", "charter", "wool", "flood", "school", "library", "clock", "church", "mayor", "schedule", "device", "signal", "cable", "adapter", "manual", "expense", "receipt", "travel", "train", "flight", "meal", "policy", "manager", "employee", "contract", "notice", "probation", "buddy", "office", "remote", "allowance", "chair", "desk"]  # noqa: E501 (data)


def make_chunks(n: int, seed: int = 7) -> list[str]:
    """``n`` deterministic pseudo-sentences (~60 words each)."""
    rng = random.Random(seed)
    chunks = []
    for i in range(n):
        sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 14))).capitalize() + "."
                     for _ in range(5)]
        chunks.append(f"Record {i}. " + " ".join(sentences))
    return chunks


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    from agentkit.memory import MemoryStore, MiniLMEmbedder, Record

    print(machine_line())
    texts = make_chunks(args.chunks)
    records = [Record(id=f"c{i}", text=t, metadata={"source": f"gen/{i // 100}.txt", "chunk": i % 100})
               for i, t in enumerate(texts)]
    queries = [" ".join(random.Random(1000 + i).choice(WORDS) for _ in range(6)) for i in range(args.queries)]

    # Embedding threads, same 1,000 chunks, interleaved twice.
    sample = texts[:1000]
    per_thread: dict[int, list[float]] = {1: [], 2: []}
    embedders = {n: MiniLMEmbedder(threads=n) for n in per_thread}
    for embedder in embedders.values():
        embedder.embed(sample[:32])  # load
    for _ in range(2):
        for n, embedder in embedders.items():
            started = time.perf_counter()
            embedder.embed(sample)
            per_thread[n].append(len(sample) / (time.perf_counter() - started))
    rate = {n: statistics.median(v) for n, v in per_thread.items()}

    with tempfile.TemporaryDirectory() as tmp:
        store = MemoryStore(path=Path(tmp) / "a")
        store.embedder.embed(["warm up"])
        started = time.perf_counter()
        store.add("bench-speed", records)
        ingest_s = time.perf_counter() - started
        count = store.count("bench-speed")

        # The two parts of ingest on their own: embedding, then Chroma writes of ready vectors.
        started = time.perf_counter()
        vectors = store.embedder.embed(texts)
        embed_s = time.perf_counter() - started
        import chromadb
        from chromadb.config import Settings

        raw = chromadb.PersistentClient(path=str(Path(tmp) / "b"), settings=Settings(anonymized_telemetry=False))
        collection = raw.create_collection("bench-raw", configuration={"hnsw": {"space": "cosine"}},
                                           embedding_function=None)
        started = time.perf_counter()
        for i in range(0, len(records), 256):
            batch = records[i:i + 256]
            collection.add(ids=[r.id for r in batch], documents=[r.text for r in batch],
                           metadatas=[r.metadata for r in batch], embeddings=vectors[i:i + 256])
        chroma_s = time.perf_counter() - started

        # Queries, interleaved: agentkit query, raw Chroma query (vector ready), agentkit MMR.
        from agentkit.memory import MMR

        target = chromadb.PersistentClient(path=str(Path(tmp) / "a"), settings=Settings(anonymized_telemetry=False)) \
            .get_collection("bench-speed", embedding_function=None)  # the same data, through Chroma alone
        query_vectors = store.embedder.embed(queries)
        started = time.perf_counter()
        store.query("bench-speed", "warm up the word index", k=4, hybrid=True)
        index_s = time.perf_counter() - started
        latency: dict[str, list[float]] = {"agentkit query, hybrid (embed + search + BM25)": [],
                                           "agentkit query, by meaning (embed + search)": [],
                                           "raw Chroma query (vector given)": [],
                                           "agentkit query, MMR fetch_k=20": []}
        for query, vector in zip(queries, query_vectors, strict=False):
            t0 = time.perf_counter()
            store.query("bench-speed", query, k=4, hybrid=True)
            t1 = time.perf_counter()
            store.query("bench-speed", query, k=4, hybrid=False)
            t2 = time.perf_counter()
            target.query(query_embeddings=[vector], n_results=4, include=["documents", "metadatas", "distances"])
            t3 = time.perf_counter()
            store.query("bench-speed", query, k=4, mmr=MMR(fetch_k=20))
            t4 = time.perf_counter()
            for name, seconds in zip(latency, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=False):
                latency[name].append(seconds * 1000)
        store.close()

    print(f"{count:,} chunks stored (~{sum(map(len, texts)) // len(texts)} characters each)")
    print(table(["ingest", "seconds", "chunks/s"], [
        ["MemoryStore.add (embed + store)", ingest_s, args.chunks / ingest_s],
        ["  embedding only", embed_s, args.chunks / embed_s],
        ["  Chroma add only (vectors given)", chroma_s, args.chunks / chroma_s],
    ]))
    print(table(["embedding threads (1,000 chunks)", "chunks/s", "ratio vs 1 thread"],
                [[f"{n} thread{'s' if n > 1 else ''}", rate[n], rate[n] / rate[1]] for n in sorted(rate)]))
    rows = []
    for name, values in latency.items():
        rows.append([name, statistics.median(values), percentile(values, 95)])
    base = statistics.median(latency["raw Chroma query (vector given)"])
    print(table(["query, k=4, " + f"{args.queries} queries", "p50 ms", "p95 ms"], rows))
    by_meaning = statistics.median(latency["agentkit query, by meaning (embed + search)"])
    print(f"agentkit query by meaning p50 / raw Chroma p50: {by_meaning / base:.2f}x "
          f"(the difference is embedding the query)")
    print(f"agentkit query hybrid p50 / by meaning p50: "
          f"{statistics.median(latency['agentkit query, hybrid (embed + search + BM25)']) / by_meaning:.2f}x; "
          f"the first hybrid query (builds the word index of {count:,} chunks): {index_s:.2f} s")
    print(loadavg_end_line())
    out = Path(REPO_ROOT) / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    with (out / "memory_speed.jsonl").open("a") as f:
        f.write(json.dumps({"time": time.time(), "chunks": count, "ingest_chunks_per_s": args.chunks / ingest_s,
                            "embed_chunks_per_s": args.chunks / embed_s, "threads": rate, "word_index_s": index_s,
                            "latency_ms": {k: {"p50": statistics.median(v), "p95": percentile(v, 95)}
                                           for k, v in latency.items()}}) + "\n")


if __name__ == "__main__":
    main()
