"""Prompt-lookup speculative decoding vs plain decoding: generated tokens/s, same output.

What it measures
----------------
Each case is a greedy request (temperature 0) to agentkit's chat model, asked
twice on the same pooled instance: with ``prompt_lookup=False`` (plain decoding,
one forward pass per token) and ``prompt_lookup=True`` (drafts copied from the
prompt, checked in one batch).  Each prompt is asked once first so it sits in the
prefix cache: the timed calls re-evaluate one prompt token, so tokens/s is about
decoding, not prefill.  The sides alternate who goes first in every round; the
ratio is lookup/plain of the median tokens/s, and the texts must be identical.

Cases
-----
* ``quote_manual``  - a manual section (retrieved passage) and "quote the sentences that ...";
* ``quote_passages`` - three retrieved passages and a question answered with verbatim quotes;
* ``ocr_receipt``   - rapidocr's text of ``examples/data/images/receipt.png``: list every line;
* ``ocr_json``      - the same text extracted into a JSON schema (grammar-constrained);
* ``explain``       - a short prompt and an answer written from scratch (nothing to quote);
* ``long_no_quote`` - a long passage and an answer in other words (summary in two sentences).

The last two show where drafting does not pay.  Measured 2026-11-30, 0.5B, 1 thread,
3 rounds, load average 5-9 (other sessions running): quote_manual 1.65x,
quote_passages 1.10x (21-token reply), ocr_receipt 1.26x, ocr_json 0.92x,
explain 0.94x, long_no_quote 0.87x (and one near-tie flipped); identical text
on the five others.  Hence ``prompt_lookup`` is off by default and set where
replies quote.

Usage: ``flock /tmp/agentkit-cpu.lock .venv/bin/python benchmarks/bench_prompt_lookup.py
[--model qwen2.5-coder-0.5b] [--rounds 3] [--max-tokens 200]``
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import REPO_ROOT, dump_json, loadavg_end_line, machine_line, median, now, spread, table

DOCS = os.path.join(REPO_ROOT, "examples", "data", "docs")
RECEIPT = os.path.join(REPO_ROOT, "examples", "data", "images", "receipt.png")


def _read(name: str) -> str:
    with open(os.path.join(DOCS, name), encoding="utf-8") as f:
        return f.read()


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start: end if end > 0 else len(text)].strip()


def cases() -> list[dict]:
    from agentkit.vision.ocr import read_text

    manual = _read("kettle-k200-manual.md")
    handbook = _read("northwind-handbook.md")
    history = _read("harrowgate-history.md")
    ocr = read_text(RECEIPT)["text"]
    receipt_schema = {
        "type": "object",
        "properties": {
            "vendor": {"type": "string"},
            "items": {"type": "array", "items": {"type": "object", "properties": {
                "name": {"type": "string"}, "price": {"type": "number"}}, "required": ["name", "price"]}},
            "total": {"type": "number"},
        },
        "required": ["vendor", "items", "total"],
    }
    passages = "\n\n".join(f"[{i + 1}] {p}" for i, p in enumerate([
        _section(manual, "## Descaling"), _section(manual, "## Troubleshooting"), _section(manual, "## Warranty")]))
    return [
        {"id": "quote_manual", "messages": [
            ("system", "Answer from the passage only. Quote it word for word."),
            ("human", f"Passage:\n{manual}\n\nQuote, word for word, the sections about descaling and "
                      f"about cleaning the filter.")]},
        {"id": "quote_passages", "messages": [
            ("system", "Answer from the numbered passages. Support every claim with a verbatim quote "
                       "followed by its passage number, like \"...\" [2]."),
            ("human", f"{passages}\n\nQuestion: what should I do when the kettle shows E1 or switches off "
                      f"early, and is limescale damage covered by the warranty?")]},
        {"id": "ocr_receipt", "messages": [
            ("system", "You read OCR text of photographed documents."),
            ("human", f"OCR text of a receipt:\n{ocr}\n\nWrite out every line of the receipt exactly as it "
                      f"appears, one per line, correcting nothing.")]},
        {"id": "ocr_json", "json_schema": receipt_schema, "messages": [
            ("system", "You extract data from OCR text of receipts."),
            ("human", f"OCR text:\n{ocr}\n\nExtract the vendor, every item with its price, and the total.")]},
        {"id": "explain", "messages": [
            ("human", "Write a detailed explanation of how a hash map works.")]},
        {"id": "long_no_quote", "messages": [
            ("system", "You are a concise assistant."),
            ("human", f"{handbook}\n\n{history}\n\nIn your own words and without quoting, what is the tone of "
                      f"these two documents? Write a short paragraph.")]},
    ]


def run(model, case: dict, lookup: bool, max_tokens: int) -> dict:
    runnable = model.bind(prompt_lookup=lookup, max_tokens=max_tokens)
    if case.get("json_schema"):
        runnable = model.bind(prompt_lookup=lookup, max_tokens=max_tokens,
                              response_format={"type": "json_schema", "schema": case["json_schema"]})
    t0 = now()
    msg = runnable.invoke(case["messages"])
    dt = now() - t0
    n = msg.usage_metadata["output_tokens"]
    return {"text": msg.content, "tokens": n, "seconds": dt, "tps": n / dt,
            "prompt": msg.usage_metadata["input_tokens"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default="qwen2.5-coder-0.5b")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--max-tokens", type=int, default=200)
    ap.add_argument("--cases", default=None, help="comma-separated case ids")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from agentkit import get_chat_model

    print("bench_prompt_lookup:", machine_line())
    model = get_chat_model(args.model, temperature=0.0)
    _ = model.pooled.llama
    all_cases = cases()
    if args.cases:
        all_cases = [c for c in all_cases if c["id"] in args.cases.split(",")]
    print(f"model: {args.model}; n_threads: {model.pooled.llama.n_threads}; rounds: {args.rounds}; "
          f"max_tokens: {args.max_tokens}")
    rows, summary = [], {}
    for case in all_cases:
        warm = run(model, case, False, args.max_tokens)  # puts the prompt in the prefix cache
        samples: dict[bool, list[dict]] = {False: [], True: []}
        for r in range(args.rounds):
            for lookup in ((False, True) if r % 2 == 0 else (True, False)):
                samples[lookup].append(run(model, case, lookup, args.max_tokens))
        same = all(s["text"] == warm["text"] for side in samples.values() for s in side)
        plain, fast = median(s["tps"] for s in samples[False]), median(s["tps"] for s in samples[True])
        summary[case["id"]] = {"plain_tps": plain, "lookup_tps": fast, "ratio": fast / plain, "same_output": same,
                               "tokens": warm["tokens"], "prompt_tokens": warm["prompt"]}
        rows.append([case["id"], warm["prompt"], warm["tokens"], plain, spread([s["tps"] for s in samples[False]]),
                     fast, spread([s["tps"] for s in samples[True]]), f"{fast / plain:.2f}", "yes" if same else "NO"])
        print(f"  {case['id']}: plain {plain:.1f} tok/s, lookup {fast:.1f} tok/s, ratio {fast / plain:.2f}, "
              f"same output: {same}", flush=True)
        if not same:
            diff = next(s["text"] for side in samples.values() for s in side if s["text"] != warm["text"])
            print(f"    plain: {warm['text'][:300]!r}\n    other: {diff[:300]!r}")
    print()
    print(table(["case", "prompt tok", "reply tok", "plain tok/s", "min..max", "lookup tok/s", "min..max",
                 "lookup/plain", "same output"], rows))
    print(loadavg_end_line())
    if args.json:
        dump_json(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
