"""Prefix reuse: latency of a call sharing a ~900-token prefix with earlier calls vs cold.

What it measures
----------------
Each call is ``[SystemMessage(<~900-token reference document>), HumanMessage(<short
question>)]`` to agentkit's default chat model with max_tokens=16, temperature 0.
Every round uses two fresh documents, A and B: the same fixed text with a unique
nonce line in front, so they share nothing (beyond the chat template's first
few tokens) with each other or with any earlier round.  A round runs, in order:

1. ``cold``        - A with question q1 (nothing of A is cached);
2. ``warm``        - A again with question q2 (A's prefix is in the live KV cache);
3. ``cold``        - B with question q3 (a second cold sample; evicts A from the
                     live context);
4. ``interleaved`` - A again with a new question q3: the live context now holds
                     B, so this is fast only if agentkit's prefix cache
                     (``m.pooled.prefix_cache``) restores A's saved KV state.

The three questions rotate across rounds so each category sees each question
equally often (answer lengths differ a little per question).  The 2-core machine
is shared, so the categories are interleaved within every round and compared by
ratios of medians.

How to read the output
----------------------
The table gives, per category, the number of samples, median latency (and
min..max), median prompt tokens and generated tokens, and how many prefix-cache
restores happened during those calls (expected: 0 for cold and warm, one per
interleaved call).  The last lines give ``warm/cold`` and ``interleaved/cold``
ratios of median latency; the target is <= 0.25 for both.

Usage: ``.venv/bin/python benchmarks/bench_prefix_reuse.py [--rounds 7] [--json]``
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import dump_json, loadavg_end_line, machine_line, median, now, spread, table

TARGET_TOKENS = 900

QUESTIONS = [
    "List three rules from the reference document, one per line.",
    "Summarize what the document says about the archive in one long sentence.",
    "Which teams are mentioned in the document? Name as many as you can.",
]

_SUBJECTS = ["The archive team", "Each regional office", "The night shift", "A visiting auditor",
             "The harbor crew", "Every new contractor", "The records clerk", "The west depot",
             "The orchard cooperative", "The survey group", "The ferry operator", "The library desk"]
_VERBS = ["must log", "should review", "may borrow", "is required to label", "cannot discard",
          "will inspect", "has to photograph", "is allowed to move", "needs to seal", "reports"]
_OBJECTS = ["every crate of maps", "the copper instruments", "all handwritten ledgers",
            "the spare lantern batteries", "any damaged tide charts", "the weekly weather notes",
            "the blue storage drawers", "each sample of river water", "the brass key ring",
            "unlabelled film canisters", "the seed catalogues", "the old harbor permits"]
_TAILS = ["before the {n}th day of each month", "within {n} hours of arrival",
          "unless the supervisor signs form {n}-B", "using the numbered tags from shelf {n}",
          "and file a copy in cabinet {n}", "after checking the humidity is under {n} percent",
          "while at least {n} people are present", "no later than {n}:30 in the evening"]


def reference_document(llama) -> str:
    """A fixed ~900-token 'reference document' of varied sentences (deterministic)."""
    rng = random.Random(1234)
    lines = ["REFERENCE DOCUMENT: operating rules of the Saltmarsh Coastal Records Office.", ""]
    n_rule = 0
    while True:
        n_rule += 1
        sentence = (f"Rule {n_rule}. {rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
                    + rng.choice(_TAILS).format(n=rng.randint(2, 29)) + ".")
        lines.append(sentence)
        text = "\n".join(lines)
        if len(llama.tokenize(text.encode(), add_bos=False)) >= TARGET_TOKENS:
            return text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--max-tokens", type=int, default=16)
    ap.add_argument("--json", action="store_true", help="also print every sample as JSON")
    args = ap.parse_args()

    from langchain_core.messages import HumanMessage, SystemMessage

    from agentkit import get_chat_model

    print("bench_prefix_reuse:", machine_line())
    m = get_chat_model("qwen2.5-coder-0.5b", max_tokens=args.max_tokens, temperature=0.0)
    llama = m.pooled.llama
    cache = m.pooled.prefix_cache
    doc = reference_document(llama)
    doc_tokens = len(llama.tokenize(doc.encode(), add_bos=False))
    print(f"document: {doc_tokens} tokens; max_tokens={args.max_tokens}; rounds={args.rounds}; "
          f"prefix cache: max_entries={cache.max_entries}, min_gain={cache.min_gain}")

    def fresh_doc() -> str:
        return f"[document id {uuid.uuid4().hex}]\n{doc}"

    def call(kind: str, document: str, question: str, round_no: int) -> dict:
        restores0 = cache.restores
        t0 = now()
        msg = m.invoke([SystemMessage(document), HumanMessage(question)])
        dt = now() - t0
        return {"kind": kind, "round": round_no, "seconds": dt, "question": question,
                "input_tokens": msg.usage_metadata["input_tokens"],
                "output_tokens": msg.usage_metadata["output_tokens"],
                "restores": cache.restores - restores0}

    # Warm-up (untimed): compiles nothing, but pages the weights in and fills the cache once.
    call("warmup", fresh_doc(), QUESTIONS[0], 0)

    samples: list[dict] = []
    for r in range(args.rounds):
        q1, q2, q3 = (QUESTIONS[(r + i) % len(QUESTIONS)] for i in range(3))
        doc_a, doc_b = fresh_doc(), fresh_doc()
        round_samples = [
            call("cold", doc_a, q1, r + 1),
            call("warm", doc_a, q2, r + 1),
            call("cold", doc_b, q3, r + 1),
            call("interleaved", doc_a, q3, r + 1),
        ]
        samples += round_samples
        print(f"  round {r + 1}/{args.rounds}: " + ", ".join(
            f"{s['kind']} {s['seconds'] * 1000:.0f} ms" for s in round_samples), flush=True)

    kinds = ["cold", "warm", "interleaved"]
    by_kind = {k: [s for s in samples if s["kind"] == k] for k in kinds}
    med = {k: median(s["seconds"] for s in by_kind[k]) for k in kinds}
    rows = []
    for k in kinds:
        ss = by_kind[k]
        rows.append([k, len(ss), med[k] * 1000, spread([s["seconds"] * 1000 for s in ss]),
                     int(median(s["input_tokens"] for s in ss)), median(s["output_tokens"] for s in ss),
                     sum(s["restores"] for s in ss)])
    print()
    print(table(["case", "n", "latency ms (med)", "min..max ms", "prompt tok", "out tok (med)",
                 "cache restores"], rows))
    print()
    warm_ratio = med["warm"] / med["cold"]
    inter_ratio = med["interleaved"] / med["cold"]
    print(f"ratio warm/cold (median latency):        {warm_ratio:.3f}  (target <= 0.25)")
    print(f"ratio interleaved/cold (median latency): {inter_ratio:.3f}  (target <= 0.25)")
    print(loadavg_end_line())
    if args.json:
        dump_json({"doc_tokens": doc_tokens, "median_seconds": med, "ratio_warm_cold": warm_ratio,
                   "ratio_interleaved_cold": inter_ratio, "samples": samples})
    return 0


if __name__ == "__main__":
    sys.exit(main())
