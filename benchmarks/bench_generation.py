"""Generation speed: agentkit's chat model vs raw llama-cpp-python, same GGUF file.

What it measures
----------------
Decode throughput (generated tokens per second) for one prompt that makes the
model write ~200 tokens ("Write a detailed explanation of how a hash map
works.", max_tokens=200, temperature 0), on two sides that load the same model
file with the same context settings (n_ctx=8192, n_batch=512, and agentkit's
n_threads, ``agentkit.llm.pool.default_threads()`` unless AGENTKIT_N_THREADS is set):

* ``agentkit`` - ``get_chat_model(...).invoke(prompt)`` / ``.stream(prompt)``,
  token count from ``usage_metadata["output_tokens"]``;
* ``raw``      - ``llama_cpp.Llama(...).create_chat_completion(messages=...)``,
  token count from ``usage["completion_tokens"]``.

Both instances are loaded up front and each side is warmed once, so on every
timed call the prompt is already in that instance's KV cache (prefill is
~zero on both sides).  Each round then runs, per side, two timed calls:

* ``invoke``: a non-streamed call; tok/s = output tokens / wall time (end to
  end, including each side's per-call Python overhead);
* ``stream``: a streamed call; decode tok/s = (tokens - 1) / (time of last
  chunk - time of first chunk), i.e. excluding time-to-first-token.

agentkit's ``output_tokens`` has been seen to over-count (by 2 when a reply ends
at EOS, and at one time by 1 at a max_tokens stop; see TOKEN_NOTE in the code), so
when both sides generate the same text (checked at warm-up) the real count,
llama-cpp-python's ``completion_tokens``, is used for both.

Rounds interleave the sides (A B, then B A, ...), because this 2-core machine
is shared and timings drift; ratios are ratios of medians.

How to read the output
----------------------
One table row per side with median tok/s (and min..max across rounds) for the
invoke and stream measurements, median TTFT and the token count.  The last
lines give ``agentkit/raw`` ratios; >= 0.95 means agentkit's wrapper costs
at most 5% of decode throughput.  A note is printed if the two sides did not
generate the same number of tokens (they should, greedy decoding of the same
prompt).

Usage: ``.venv/bin/python benchmarks/bench_generation.py [--rounds 5] [--max-tokens 200] [--json]``
"""

from __future__ import annotations

import argparse
import gc
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import dump_json, loadavg_end_line, machine_line, median, now, spread, table

PROMPT = "Write a detailed explanation of how a hash map works."


def agentkit_invoke(m, prompt: str, n_true: int | None = None) -> dict:
    """``n_true``: the real number of generated tokens, when known (see TOKEN_NOTE)."""
    t0 = now()
    msg = m.invoke(prompt)
    dt = now() - t0
    reported = msg.usage_metadata["output_tokens"]
    n = n_true or reported
    return {"tokens": n, "reported_tokens": reported, "seconds": dt, "tps": n / dt, "text": msg.content}


def agentkit_stream(m, prompt: str, n_true: int | None = None) -> dict:
    t0 = now()
    first = last = None
    reported = None
    for chunk in m.stream(prompt):
        t = now()
        if chunk.content:
            if first is None:
                first = t
            last = t
        if chunk.usage_metadata:
            reported = chunk.usage_metadata["output_tokens"]
    res = _stream_result(t0, first, last, n_true or reported)
    res["reported_tokens"] = reported
    return res


def raw_invoke(llm, prompt: str, max_tokens: int) -> dict:
    t0 = now()
    out = llm.create_chat_completion(messages=[{"role": "user", "content": prompt}],
                                     max_tokens=max_tokens, temperature=0.0)
    dt = now() - t0
    n = out["usage"]["completion_tokens"]
    return {"tokens": n, "seconds": dt, "tps": n / dt, "text": out["choices"][0]["message"]["content"]}


def raw_stream(llm, prompt: str, max_tokens: int, n_tokens: int) -> dict:
    t0 = now()
    first = last = None
    for chunk in llm.create_chat_completion(messages=[{"role": "user", "content": prompt}],
                                            max_tokens=max_tokens, temperature=0.0, stream=True):
        t = now()
        if chunk["choices"][0]["delta"].get("content"):
            if first is None:
                first = t
            last = t
    # The streamed chunks carry no usage; greedy decoding of the same prompt gives the
    # same tokens as the invoke call, whose count is passed in.
    return _stream_result(t0, first, last, n_tokens)


def _stream_result(t0: float, first: float | None, last: float | None, n: int | None) -> dict:
    if first is None or last is None or not n or n < 2 or last <= first:
        return {"tokens": n, "ttft": None, "decode_tps": None}
    return {"tokens": n, "ttft": first - t0, "decode_tps": (n - 1) / (last - first)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--budget", type=float, default=420.0,
                    help="stop starting rounds after this many seconds once 5 rounds are done")
    ap.add_argument("--max-tokens", type=int, default=200)
    ap.add_argument("--json", action="store_true", help="also print the raw samples as JSON")
    args = ap.parse_args()

    from llama_cpp import Llama

    from agentkit import get_chat_model

    print("bench_generation:", machine_line())
    m = get_chat_model("qwen2.5-coder-0.5b", max_tokens=args.max_tokens, temperature=0.0)
    t0 = now()
    _ = m.pooled.llama  # load agentkit's instance
    t_load_a = now() - t0
    model_path = str(m.pooled.settings.model_path)
    t0 = now()
    threads = m.pooled.llama.n_threads  # the same threads as agentkit's instance
    raw = Llama(model_path=model_path, n_ctx=8192, n_threads=threads, n_threads_batch=threads, n_batch=512,
                verbose=False)
    t_load_r = now() - t0
    print(f"model: {model_path}")
    print(f"load: agentkit {t_load_a:.2f}s, raw {t_load_r:.2f}s; n_threads {threads}; prompt: {PROMPT!r}, "
          f"max_tokens={args.max_tokens}, rounds={args.rounds}")

    # Warm-up: puts the prompt in each instance's KV cache, and gives the token count.
    warm_a = agentkit_invoke(m, PROMPT)
    warm_r = raw_invoke(raw, PROMPT, args.max_tokens)
    n_raw = warm_r["tokens"]
    same_text = warm_a["text"] == warm_r["text"]
    print(f"warm-up: agentkit {warm_a['reported_tokens']} tokens reported in {warm_a['seconds']:.2f}s, "
          f"raw {warm_r['tokens']} tokens in {warm_r['seconds']:.2f}s (same text: {same_text})")
    # TOKEN_NOTE: agentkit's usage_metadata["output_tokens"] counts llama-cpp-python's
    # stopping-criteria calls, which over-counts (+2 on an EOS stop; +1 on a max_tokens
    # stop unless capped).  When both sides wrote the same text, the raw side's completion_tokens is the
    # real count for both; tok/s below uses it so the ratio compares equal work.
    n_true = n_raw if same_text else None
    if warm_a["reported_tokens"] != n_raw:
        print(f"NOTE: agentkit reports output_tokens={warm_a['reported_tokens']} for the same "
              f"{'text' if same_text else 'prompt'} for which llama-cpp-python reports "
              f"completion_tokens={n_raw}; "
              + ("tok/s uses the real count for both sides." if same_text
                 else "texts differ, so each side's own count is used."))

    samples = {"agentkit": {"invoke": [], "stream": []}, "raw": {"invoke": [], "stream": []}}
    runners = {
        "agentkit": (lambda: agentkit_invoke(m, PROMPT, n_true), lambda: agentkit_stream(m, PROMPT, n_true)),
        "raw": (lambda: raw_invoke(raw, PROMPT, args.max_tokens),
                lambda: raw_stream(raw, PROMPT, args.max_tokens, n_raw)),
    }
    gc.disable()
    t_start = now()
    try:
        for r in range(args.rounds):
            if r >= 5 and now() - t_start > args.budget:
                print(f"  (time budget of {args.budget:.0f}s reached: stopping after {r} rounds)")
                break
            order = ["agentkit", "raw"] if r % 2 == 0 else ["raw", "agentkit"]
            # invoke A, invoke B, stream A, stream B (alternating who goes first)
            for kind, idx in (("invoke", 0), ("stream", 1)):
                for side in order:
                    res = runners[side][idx]()
                    res.pop("text", None)
                    samples[side][kind].append(res)
            gc.collect()
            a_i, r_i = samples["agentkit"]["invoke"][-1], samples["raw"]["invoke"][-1]
            a_s, r_s = samples["agentkit"]["stream"][-1], samples["raw"]["stream"][-1]
            print(f"  round {r + 1}/{args.rounds} ({'/'.join(order)}): invoke tok/s agentkit "
                  f"{a_i['tps']:.1f} raw {r_i['tps']:.1f} | stream decode tok/s agentkit "
                  f"{_f(a_s['decode_tps'])} raw {_f(r_s['decode_tps'])}", flush=True)
    finally:
        gc.enable()

    rows, summary = [], {}
    for side in ("agentkit", "raw"):
        inv, st = samples[side]["invoke"], samples[side]["stream"]
        summary[side] = {
            "invoke_tps": median(s["tps"] for s in inv),
            "stream_decode_tps": median(s["decode_tps"] for s in st),
            "ttft_s": median(s["ttft"] for s in st),
            "tokens": median(s["tokens"] for s in inv),
        }
        rows.append([side, summary[side]["invoke_tps"], spread([s["tps"] for s in inv]),
                     summary[side]["stream_decode_tps"], spread([s["decode_tps"] for s in st]),
                     summary[side]["ttft_s"] * 1000, int(summary[side]["tokens"])])
    print()
    print(table(["side", "invoke tok/s (med)", "min..max", "stream decode tok/s (med)", "min..max",
                 "TTFT ms (med)", "tokens"], rows))
    print()
    ratio_inv = summary["agentkit"]["invoke_tps"] / summary["raw"]["invoke_tps"]
    ratio_dec = summary["agentkit"]["stream_decode_tps"] / summary["raw"]["stream_decode_tps"]
    if summary["agentkit"]["tokens"] != summary["raw"]["tokens"]:
        print(f"NOTE: token counts used differ (agentkit {summary['agentkit']['tokens']}, "
              f"raw {summary['raw']['tokens']})")
    print(f"ratio agentkit/raw, invoke end-to-end tok/s (prompt cached): {ratio_inv:.3f}  (target >= 0.95)")
    print(f"ratio agentkit/raw, stream decode tok/s (excl. TTFT):       {ratio_dec:.3f}  (target >= 0.95)")
    print(loadavg_end_line())
    if args.json:
        dump_json({"summary": summary, "ratio_invoke": ratio_inv, "ratio_stream_decode": ratio_dec,
                   "samples": samples})
    return 0


def _f(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


if __name__ == "__main__":
    sys.exit(main())
