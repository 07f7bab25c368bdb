"""llama.cpp thread count on an idle and on a busy machine: decode and prefill speed.

What it measures
----------------
For each model (``--models``) and each thread count (1, 2 and every core, without
repeats) agentkit's chat model is loaded with ``n_threads=k`` and timed on

* ``decode``: a streamed reply of ``--tokens`` tokens (greedy), tokens/s between
  the first and the last token (time to first token excluded);
* ``prefill``: a ~400-token prompt never seen before (a fresh nonce starts it, so
  no KV state is reused), answered with one token: prompt tokens/s.

each twice: on the machine as it is (``idle``; the load average is printed, the
number is only meaningful when nothing else runs) and while ``--busy`` other
processes (default: one per core) spin in a pure-Python busy loop (``busy``), the
situation of a laptop compiling or a server running other work.  llama.cpp's
worker threads wait for each other at every layer, so a thread that the OS
preempts stalls all of them: with as many threads as cores and another process
running, that wait is the whole story.

How to read the output
----------------------
One row per (model, threads, load) with median tokens/s and min..max over the
trials, then ratios: busy/idle for each thread count, and k threads / 1 thread on
the busy machine.  The default thread count (``agentkit.llm.pool.default_threads``)
is printed with the rule that chose it.

Usage: ``flock /tmp/agentkit-cpu.lock .venv/bin/python benchmarks/bench_threads.py
[--models qwen2.5-coder-0.5b,qwen2.5-coder-1.5b] [--trials 3] [--tokens 64]``
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import dump_json, loadavg_end_line, machine_line, median, now, spread, table

DECODE_PROMPT = "Write a detailed explanation of how a hash map works."
FILLER = ("The warehouse keeps spare parts for the river ferries, and every crate is labelled with the "
          "ferry it belongs to, the date it arrived and the shelf where it waits. ")


def _spin() -> None:  # a busy process: pure Python, never sleeps
    x = 0
    while True:
        x = (x * 1103515245 + 12345) % 2147483648


class Busy:
    """``n`` processes keeping the cores busy while the block runs."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.procs: list[multiprocessing.Process] = []

    def __enter__(self) -> Busy:
        ctx = multiprocessing.get_context("fork")
        self.procs = [ctx.Process(target=_spin, daemon=True) for _ in range(self.n)]
        for p in self.procs:
            p.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            p.join()


def decode_tps(model, tokens: int) -> float | None:
    first = last = None
    n = 0
    for chunk in model.stream(DECODE_PROMPT, max_tokens=tokens):
        t = now()
        if chunk.content:
            first = first or t
            last = t
        if chunk.usage_metadata:
            n = chunk.usage_metadata["output_tokens"]
    if first is None or last is None or n < 2 or last <= first:
        return None
    return (n - 1) / (last - first)


def prefill_tps(model) -> float:
    prompt = f"[{uuid.uuid4().hex}] " + FILLER * 12 + "\nWhich shelf holds the ferry parts? One word."
    t0 = now()
    msg = model.invoke(prompt, max_tokens=1)
    return msg.usage_metadata["input_tokens"] / (now() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", default="qwen2.5-coder-0.5b,qwen2.5-coder-1.5b")
    ap.add_argument("--threads", default=None, help="comma-separated thread counts (default: 1, 2, all cores)")
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--tokens", type=int, default=64)
    ap.add_argument("--busy", type=int, default=None, help="busy processes (default: one per core)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from agentkit import get_chat_model
    from agentkit.llm.pool import available_cores, default_threads

    cores = available_cores()
    counts = ([int(x) for x in args.threads.split(",")] if args.threads
              else sorted({1, min(2, cores), cores}))
    busy_n = args.busy if args.busy is not None else cores
    print("bench_threads:", machine_line())
    print(f"cores available: {cores}; thread counts: {counts}; busy processes: {busy_n}; "
          f"trials: {args.trials}; decode tokens: {args.tokens}")
    print(f"agentkit default: n_threads={default_threads()} (AGENTKIT_N_THREADS overrides)")

    samples: dict[tuple[str, int, str], dict[str, list]] = {}
    for name in args.models.split(","):
        for k in counts:
            model = get_chat_model(name, n_threads=k, max_tokens=args.tokens)
            _ = model.pooled.llama
            decode_tps(model, 8)  # warm-up
            for load in ("idle", "busy"):
                s = samples[(name, k, load)] = {"decode": [], "prefill": []}
                ctx = Busy(busy_n) if load == "busy" else Busy(0)
                with ctx:
                    for _ in range(args.trials):
                        s["decode"].append(decode_tps(model, args.tokens))
                        s["prefill"].append(prefill_tps(model))
                print(f"  {name} threads={k} {load}: decode {median(s['decode']):.1f} tok/s "
                      f"{spread(s['decode'])}, prefill {median(s['prefill']):.0f} tok/s "
                      f"{spread(s['prefill'])}  (loadavg {os.getloadavg()[0]:.2f})", flush=True)
            model.pooled.close()

    rows = [[name, k, load, median(s["decode"]), spread(s["decode"]), median(s["prefill"]), spread(s["prefill"])]
            for (name, k, load), s in samples.items()]
    print()
    print(table(["model", "threads", "machine", "decode tok/s", "min..max", "prefill tok/s", "min..max"], rows))
    print()
    for name in args.models.split(","):
        for k in counts:
            idle, busy = samples[(name, k, "idle")], samples[(name, k, "busy")]
            print(f"{name} threads={k}: busy/idle decode {median(busy['decode']) / median(idle['decode']):.2f}, "
                  f"prefill {median(busy['prefill']) / median(idle['prefill']):.2f}")
        one = samples[(name, counts[0], "busy")]
        for k in counts[1:]:
            s = samples[(name, k, "busy")]
            print(f"{name} busy machine, threads={k} / threads={counts[0]}: decode "
                  f"{median(s['decode']) / median(one['decode']):.2f}, prefill "
                  f"{median(s['prefill']) / median(one['prefill']):.2f}")
            idle_one, idle_k = samples[(name, counts[0], "idle")], samples[(name, k, "idle")]
            print(f"{name} idle machine, threads={k} / threads={counts[0]}: decode "
                  f"{median(idle_k['decode']) / median(idle_one['decode']):.2f}, prefill "
                  f"{median(idle_k['prefill']) / median(idle_one['prefill']):.2f}")
    print(loadavg_end_line())
    if args.json:
        dump_json({f"{n}|{k}|{load}": s for (n, k, load), s in samples.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
