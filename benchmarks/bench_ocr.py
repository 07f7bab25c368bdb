"""OCR latency: agentkit's ``ocr`` tool vs calling rapidocr directly, first call and warm.

Images (rendered here with Pillow): one line, a paragraph, a receipt, a full page.
Sides: ``agentkit`` (the registered tool on a file path: safety checks, decoding,
row joining), ``rapidocr`` (``RapidOCR()(path)`` with its defaults) and ``rapidocr+``
(rapidocr with the detection settings agentkit uses; warm, it is the very engine
object the tool uses, called directly on the path).  agentkit / rapidocr+ is
agentkit's own overhead; agentkit / rapidocr adds what the settings change.
- First call: a fresh subprocess per side imports, builds the engine and reads the
  receipt once (model load included); sides rotate, several rounds.
- Warm: in this process, every side reads every image in rotating rounds; medians.
Results are appended to ``benchmarks/results/bench_ocr.jsonl``.

Run: .venv/bin/python benchmarks/bench_ocr.py [--rounds 7] [--first-rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import REPO_ROOT, loadavg_end_line, machine_line, median, now, spread, table

PARAGRAPH = ["Local-first agent graphs run on your", "own machine through llama.cpp, with",
             "retrieval memory, vision tools and", "reasoning steps wired into workflows.",
             "No cloud account and no network."]


def make_images(folder: Path) -> dict[str, Path]:
    from tests._images import render_lines, render_receipt

    images = {
        "line 640x100": render_lines(["Invoice 2024-0117 total 1284.50"], size=36, width=640),
        "paragraph 700x320": render_lines(PARAGRAPH, size=32, width=700),
        "receipt 520x456": render_receipt(),
        "page 1240x1960": render_lines([f"{n:02d}. " + PARAGRAPH[n % len(PARAGRAPH)] for n in range(40)],
                                       size=24, width=1240),
    }
    paths = {}
    for name, image in images.items():
        paths[name] = folder / (name.split()[0] + ".png")
        image.save(paths[name])
    return paths


FIRST_CALL = """
import json, sys, time
started = time.perf_counter()
side, path = sys.argv[1], sys.argv[2]
if side == "agentkit":
    import agentkit
    from agentkit.vision import set_image_roots
    set_image_roots([sys.argv[3]])
    tool = agentkit.get_tool("ocr")
    imported = time.perf_counter()
    text = tool.invoke({"image": path})["text"]
else:
    from rapidocr import RapidOCR
    params = json.loads(sys.argv[4]) if side == "rapidocr+" else {"Global.log_level": "error"}
    engine = RapidOCR(params=params)
    imported = time.perf_counter()
    text = "\\n".join(engine(path).txts or ())
done = time.perf_counter()
print(json.dumps({"import_s": imported - started, "first_call_s": done - imported, "total_s": done - started,
                  "chars": len(text)}))
"""


def first_calls(path: Path, folder: Path, rounds: int) -> dict[str, list[dict[str, float]]]:
    from agentkit.vision.ocr import ENGINE_PARAMS  # rapidocr+ runs with agentkit's settings

    results: dict[str, list[dict[str, float]]] = {"agentkit": [], "rapidocr": [], "rapidocr+": []}
    for r in range(rounds):
        sides = list(results)
        for side in sides[r % 3:] + sides[:r % 3]:
            proc = subprocess.run([sys.executable, "-c", FIRST_CALL, side, str(path), str(folder),
                                   json.dumps(ENGINE_PARAMS)],
                                  capture_output=True, text=True, cwd=REPO_ROOT, check=True)
            results[side].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return results


def _direct(engine: object):
    return lambda path: " ".join(engine(str(path)).txts or ()).split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--first-rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"bench_ocr: {machine_line()}")

    from importlib.metadata import version

    from rapidocr import RapidOCR

    import agentkit
    from agentkit.vision import set_image_roots

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        images = make_images(folder)
        set_image_roots([folder])
        versions = {p: version(p) for p in ("rapidocr", "onnxruntime", "opencv-python-headless", "pillow")}
        print("versions: " + ", ".join(f"{p} {v}" for p, v in versions.items()))
        record: dict[str, object] = {"bench": "ocr", "time": time.time(), **versions}

        print(f"\nfirst call in a fresh process (receipt; import, engine and model load included), "
              f"{args.first_rounds} rounds per side, rotating")
        firsts = first_calls(images["receipt 520x456"], folder, args.first_rounds)
        rows = []
        for side, runs in firsts.items():
            rows.append([side, median(r["import_s"] for r in runs), median(r["first_call_s"] for r in runs),
                         median(r["total_s"] for r in runs), spread([r["total_s"] for r in runs])])
        print(table(["side", "import s", "first call s", "total s", "total min..max"], rows))
        print(f"ratio agentkit / rapidocr (total): {rows[0][3] / rows[1][3]:.2f}; "
              f"agentkit / rapidocr+: {rows[0][3] / rows[2][3]:.2f}")
        record["first_call"] = firsts

        from agentkit.vision.ocr import ocr_engine

        tool = agentkit.get_tool("ocr")
        sides = {"agentkit": lambda path: tool.invoke({"image": str(path)})["text"].split(),
                 "rapidocr": _direct(RapidOCR(params={"Global.log_level": "error"})),
                 "rapidocr+": _direct(ocr_engine())}
        for read in sides.values():  # load every engine's models
            read(images["line 640x100"])
        print(f"\nwarm calls, {args.rounds} rotating rounds (median seconds per image)")
        rows, warm = [], {}
        for name, path in images.items():
            words = {side: sorted(read(path)) for side, read in sides.items()}
            times: dict[str, list[float]] = {side: [] for side in sides}
            order = list(sides)
            for r in range(args.rounds):
                for side in order[r % 3:] + order[:r % 3]:
                    started = now()
                    sides[side](path)
                    times[side].append(now() - started)
            a, b, c = (median(times[side]) for side in sides)
            same = "yes" if words["agentkit"] == words["rapidocr"] == words["rapidocr+"] else \
                ("same as rapidocr+" if words["agentkit"] == words["rapidocr+"] else "NO")
            rows.append([name, a, b, c, a / b, a / c, same])
            warm[name] = times
        print(table(["image", "agentkit s", "rapidocr s", "rapidocr+ s", "ak/rapidocr", "ak/rapidocr+",
                     "same words"], rows))
        record["warm"] = warm
        print(loadavg_end_line())

    results = Path(REPO_ROOT) / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    with open(results / "bench_ocr.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
