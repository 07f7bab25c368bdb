"""Batch runs of a shipped graph: sequential vs worker processes vs Ray actors, and a worker killed mid-batch.

The graph is ``receipt_reader`` (OCR + image inspection + the default model filling a schema +
a note remembered in memory) over N distinct receipts rendered with Pillow (vendor, date, items
and total vary).  Memory is one ``chroma run`` server on loopback (the deployment the README
describes: an embedded store belongs to one process); each peer gets its own SQLite run
database and results file, so nothing is skipped.  Peers, one after another in this process:

- ``sequential``: ``agentkit.batch(..., workers=1)``, a loop in this process;
- ``workers 2``: two local worker processes, each loading its own model;
- ``ray 2``: two Ray actors on a local cluster (started by the batch; its start-up is counted);
- ``fault``: ``workers 2`` again, with one worker process killed (SIGKILL) after the 20th result.

Prints wall time, inputs/s, the ratio to sequential, the time to the first result (start-up:
model loads, Ray's cluster), and for the fault run: the results file's line count, whether each
input is there once, and whether every answer equals the uninterrupted ``workers 2`` run's.
llama.cpp runs with its default threads (half the cores: 1 here) in every peer.

Run (timed: hold the CPU lock on a shared machine):
    flock /tmp/agentkit-cpu.lock .venv/bin/python benchmarks/bench_batch.py [--inputs 50] [--skip-ray]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import httpx
from PIL import Image, ImageDraw, ImageFont

from benchmarks._common import REPO_ROOT, loadavg_end_line, machine_line

VENDORS = ["HARROWGATE HARDWARE", "MILL LANE BAKERY", "RIVERSIDE BOOKS", "THE COPPER KETTLE", "NORTHGATE PHARMACY",
           "OAKWOOD GROCERS", "STATION NEWS", "BRIDGE STREET CAFE", "ELM TREE FLORIST", "MARKET HALL BUTCHER"]
ITEMS = ["Kettle descaler", "Potting compost", "Garden gloves", "Sourdough loaf", "Paperback novel", "Tea towels",
         "Cough syrup", "Fresh basil", "Newspaper", "Flat white", "Tulips", "Sausages", "Batteries", "Notebook"]


def receipt(n: int) -> Image.Image:
    vendor = VENDORS[n % len(VENDORS)]
    items = [(ITEMS[(n * 3 + k) % len(ITEMS)], 1.25 + ((n * 7 + k * 5) % 40) * 0.5) for k in range(2 + n % 3)]
    total = sum(price for _, price in items)
    rows = [(vendor, None), (f"Date: 2026-{1 + n % 12:02d}-{1 + (n * 5) % 28:02d}", None)]
    rows += [(name, f"{price:.2f}") for name, price in items] + [("TOTAL", f"{total:.2f}"), ("Thank you!", None)]
    font = ImageFont.load_default(size=28)
    image = Image.new("RGB", (560, 40 + len(rows) * 50), "white")
    draw = ImageDraw.Draw(image)
    for i, (left, right) in enumerate(rows):
        draw.text((24, 20 + i * 50), left, fill="black", font=font)
        if right:
            draw.text((440, 20 + i * 50), right, fill="black", font=font)
    return image


def chroma_server(path: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    chroma = Path(sys.executable).parent / "chroma"
    process = subprocess.Popen([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("chroma run did not answer within 60 s")


def run_peer(name: str, work: Path, inputs: Path, *, workers: int, ray: bool = False,
             kill_after: int | None = None) -> dict[str, Any]:
    import agentkit

    out = work / f"{name.replace(' ', '_')}.jsonl"
    began = time.perf_counter()
    first: list[float] = []
    engine_box: list[Any] = []
    killed: list[int] = []

    def on_start(summary: Any, engine: Any) -> None:
        engine_box.append(engine)

    def on_result(result: dict[str, Any], summary: Any) -> None:
        if not first:
            first.append(time.perf_counter() - began)
        if kill_after is not None and not killed and summary.done + summary.failed >= kill_after:
            pids = engine_box[0].worker_pids()
            if pids:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

    summary = agentkit.batch("receipt_reader", inputs, out, workers=workers, ray=ray or None,
                             database=work / f"{name.replace(' ', '_')}.sqlite", on_start=on_start,
                             on_result=on_result)
    seconds = time.perf_counter() - began
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    return {"peer": name, "engine": summary.engine, "seconds": round(seconds, 1), "done": summary.done,
            "failed": summary.failed, "first_result_s": round(first[0], 1) if first else None,
            "tokens": summary.tokens, "killed_pid": killed[0] if killed else None, "lines": lines,
            "failures": summary.failures[:3]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=50)
    parser.add_argument("--skip-ray", action="store_true")
    parser.add_argument("--peers", default="sequential,workers 2,ray 2,fault")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_batch_"))
    images = work / "receipts"
    images.mkdir()
    lines = []
    for n in range(args.inputs):
        receipt(n).save(images / f"r{n:03d}.png")
        lines.append(json.dumps({"image": f"receipts/r{n:03d}.png"}))
    inputs = work / "receipts.jsonl"
    inputs.write_text("\n".join(lines) + "\n")
    chroma, url = chroma_server(work / "chroma")
    os.environ["AGENTKIT_CHROMA_URL"] = url  # inherited by worker processes and Ray's local cluster
    os.environ["AGENTKIT_WORKSPACE"] = str(work / "workspace")
    print(f"bench_batch: receipt_reader over {args.inputs} distinct receipts; memory on chroma run at {url}")
    print(machine_line())
    wanted = [p.strip() for p in args.peers.split(",")]
    if args.skip_ray:
        wanted = [p for p in wanted if not p.startswith("ray")]
    results: dict[str, dict[str, Any]] = {}
    try:
        for name in wanted:
            if name == "sequential":
                results[name] = run_peer(name, work, inputs, workers=1)
            elif name == "workers 2":
                results[name] = run_peer(name, work, inputs, workers=2)
            elif name == "ray 2":
                results[name] = run_peer(name, work, inputs, workers=2, ray=True)
            elif name == "fault":
                results[name] = run_peer(name, work, inputs, workers=2, kill_after=20)
            r = results[name]
            print(f"  {name}: {r['seconds']} s, {r['done']} done, {r['failed']} failed (first result after "
                  f"{r['first_result_s']} s){' ' + str(r['failures']) if r['failures'] else ''}", flush=True)
    finally:
        chroma.terminate()
        chroma.wait()

    base = results.get("sequential")
    print(f"\n{'peer':<12} {'engine':<28} {'seconds':>8} {'inputs/s':>9} {'vs seq':>7} {'first result s':>15}")
    rows = []
    for name, r in results.items():
        rate = args.inputs / r["seconds"]
        ratio = base["seconds"] / r["seconds"] if base else float("nan")
        rows.append({k: v for k, v in r.items() if k != "lines"} | {"inputs_per_s": round(rate, 3),
                                                                    "speedup_vs_sequential": round(ratio, 2)})
        print(f"{name:<12} {r['engine']:<28} {r['seconds']:>8.1f} {rate:>9.3f} {ratio:>7.2f} "
              f"{r['first_result_s'] or 0:>15.1f}")
    if "ray 2" in results and "workers 2" in results:
        overhead = results["ray 2"]["seconds"] / results["workers 2"]["seconds"]
        print(f"Ray 2 actors / 2 worker processes, wall time: {overhead:.2f}x "
              f"({results['ray 2']['seconds'] - results['workers 2']['seconds']:+.1f} s)")

    def answers(r: dict[str, Any]) -> dict[int, Any]:
        return {line["line"]: (line["output"] or {}).get("receipt") for line in r["lines"]}

    if "fault" in results:
        fault = results["fault"]
        seen = [line["line"] for line in fault["lines"]]
        reference = results.get("workers 2") or base
        same = sum(1 for k, v in answers(fault).items() if reference and answers(reference).get(k) == v)
        print(f"fault run: killed worker pid {fault['killed_pid']} after 20 results; results file "
              f"{len(seen)} lines, {len(set(seen))} distinct inputs (of {args.inputs}), "
              f"{sum(1 for line in fault['lines'] if line['status'] == 'done')} done; answers equal to the "
              f"uninterrupted {reference['peer'] if reference else '?'} run: {same}/{args.inputs}")
        rows.append({"fault_lines": len(seen), "fault_distinct": len(set(seen)), "fault_same_answers": same})
    if base and "workers 2" in results:
        same = sum(1 for k, v in answers(base).items() if answers(results["workers 2"]).get(k) == v)
        print(f"sequential vs workers 2: answers equal on {same}/{args.inputs}")
    print(loadavg_end_line())
    out = Path(REPO_ROOT) / "benchmarks" / "results" / "bench_batch.jsonl"
    with out.open("a") as f:
        f.write(json.dumps({"ts": time.time(), "inputs": args.inputs, "rows": rows}) + "\n")


if __name__ == "__main__":
    main()
