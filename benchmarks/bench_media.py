"""Media: transcription real-time factor (tiny.en, base), video_story end to end per node, chart drawing.

Everything is made here: speech spoken by espeak-ng, a 30-60 s clip encoded with PyAV
(tests/_media.py ``long_clip``: text cards, a QR code, scikit-image's astronaut, the speech
as its sound).  Three comparisons, each against a peer in the same run:

1. Transcription, warm (model loaded), rotating rounds, medians.  ``agentkit`` is
   ``agentkit.media.transcribe`` on the clip (safe opening, PyAV decoding, VAD, segments);
   ``faster-whisper`` is ``WhisperModel(folder).transcribe(path, ...)`` on the same model
   folder with the same settings (its own decoding).  Real-time factor = seconds / seconds
   of sound (below 1: faster than real time).  Ratios: agentkit / faster-whisper, base / tiny.en.
2. video_story on the clip as a durable run (Runner: SQLite checkpoints, events), per node,
   against the same steps called directly as Python functions in one process (transcribe,
   keyframes, the four vision functions per keyframe, the timeline, the gist's chat call with the
   same prompt): graph / direct is what the orchestration costs.  The chat model's reply
   is greedy, so both sides generate the same tokens; the speech, OCR and chat models are loaded
   before either side runs, and the direct side's chat model is another instance, so neither side
   reuses the other's prompt cache.  The graph's `see` row adds up its parallel keyframe runs.
3. Charts: ``render_chart`` (spec checks, Figure, PNG into the workspace) vs the same bar chart
   drawn with matplotlib's pyplot directly, first call in a fresh process and warm medians.

Run under the CPU lock: flock /tmp/agentkit-cpu.lock .venv/bin/python benchmarks/bench_media.py
Options: --rounds 3, --skip-story, --skip-base, --skip-transcription.
Results are appended to benchmarks/results/bench_media.jsonl.
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


def bench_transcription(clip: Path, seconds_of_sound: float, rounds: int, models: list[str]) -> list[dict]:
    from faster_whisper import WhisperModel

    from agentkit.media import resolve_whisper, transcribe
    from agentkit.media.whisper import _model, default_threads

    threads = default_threads()
    rows = []
    for name in models:
        folder = resolve_whisper(name)
        started = now()
        _model(name, threads)  # what transcribe uses: loads once per process
        load_s = now() - started
        raw = WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=threads)
        language = "en"
        times: dict[str, list[float]] = {"agentkit": [], "faster-whisper": []}
        text = {}
        transcribe(clip, model=name, language=language)  # warm both
        list(raw.transcribe(str(clip), language=language, vad_filter=True, condition_on_previous_text=False)[0])
        for round_ in range(rounds):
            order = ["agentkit", "faster-whisper"] if round_ % 2 == 0 else ["faster-whisper", "agentkit"]
            for side in order:
                started = now()
                if side == "agentkit":
                    text[side] = transcribe(clip, model=name, language=language)["text"]
                else:
                    segments, _ = raw.transcribe(str(clip), language=language, beam_size=5, vad_filter=True,
                                                 condition_on_previous_text=False)
                    text[side] = " ".join(s.text.strip() for s in segments)
                times[side].append(now() - started)
        a, f = median(times["agentkit"]), median(times["faster-whisper"])
        rows.append({"model": name, "load_s": load_s, "agentkit_s": a, "faster_whisper_s": f,
                     "agentkit_rtf": a / seconds_of_sound, "faster_whisper_rtf": f / seconds_of_sound,
                     "ratio": a / f, "spread_agentkit": spread(times["agentkit"]),
                     "same_text": text["agentkit"] == text["faster-whisper"], "text": text["agentkit"]})
    return rows


def bench_story(clip: Path, workdir: Path) -> dict:
    from agentkit.llm import get_chat_model
    from agentkit.media import keyframes, transcribe
    from agentkit.runtime import Runner
    from agentkit.vision import read_text

    # Both sides warm: the speech model, the OCR engine and the chat model loaded once before either runs.
    transcribe(clip)
    read_text(keyframes(clip, max_frames=1)["frames"][0]["path"])
    get_chat_model().bind(max_tokens=2).invoke("Say hi.")
    get_chat_model(n_ctx=8200).bind(max_tokens=2).invoke("Say hi.")
    with Runner(workdir / "runs.sqlite") as runner:
        started = now()
        result = runner.start("video_story", {"media": str(clip), "request": "Tell what happens in this video."})
        graph_s = now() - started
    nodes = [(row.node, row.runs, row.seconds, row.llm_calls, row.tokens) for row in result.nodes]
    story = result.values["story"]

    # The same steps, called directly.
    from langchain_core.messages import HumanMessage, SystemMessage

    from agentkit.media import build_timeline
    from agentkit.spec import load_spec
    from agentkit.templates import render
    from agentkit.vision import detect_faces, inspect_image, read_qr

    spec = load_spec("video_story")
    node = spec.nodes["gist"]
    direct: dict[str, float] = {}
    started = now()
    t = now()
    transcript = transcribe(clip)
    direct["transcribe"] = now() - t
    t = now()
    frames = keyframes(clip, max_frames=8)["frames"]
    direct["keyframes"] = now() - t
    t = now()
    texts = [read_text(f["path"])["text"] for f in frames]
    codes = [read_qr(f["path"]) for f in frames]
    faces = [detect_faces(f["path"]) for f in frames]
    colors = [inspect_image(f["path"], colours=3) for f in frames]
    direct["vision"] = now() - t
    found = {"images": frames, "texts": texts, "codes": codes, "faces": faces, "colors": colors}
    timeline = build_timeline(transcript, frames, **found)["text"]
    state = {"timeline": timeline, "request": "Tell what happens in this video."}
    t = now()
    # Another model instance (a different context size), so the direct side cannot reuse the KV cache
    # the graph's call left: both sides evaluate the whole prompt.
    reply = get_chat_model(n_ctx=8200).bind(max_tokens=node.max_tokens).invoke(
        [SystemMessage(render(node.system, state)), HumanMessage(render(node.prompt, state))])
    direct["llm"] = now() - t
    direct_story = build_timeline(transcript, frames, **found, summary=reply.content)["text"]
    direct_s = now() - started
    return {"graph_s": graph_s, "direct_s": direct_s, "ratio": graph_s / direct_s, "nodes": nodes, "direct": direct,
            "story": story, "direct_story": direct_story, "same_story": story == direct_story,
            "timeline": result.values["timeline"], "keyframes": [f["timestamp"] for f in result.values["keyframes"]]}


CHART_FIRST = """
import json, sys, time
started = time.perf_counter()
side = sys.argv[1]
labels, values = ["Q1", "Q2", "Q3", "Q4"], [120, 135, 98, 160]
if side == "agentkit":
    from agentkit.media import render_chart
    render_chart({"type": "bar", "title": "Sales by quarter", "labels": labels, "values": values})
else:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 5), dpi=100)
    ax.bar(labels, values)
    ax.set_title("Sales by quarter")
    fig.savefig(sys.argv[2], format="png")
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


def bench_chart(rounds: int, workdir: Path) -> dict:
    env = {**os.environ, "AGENTKIT_WORKSPACE": str(workdir / "ws"), "MPLCONFIGDIR": str(workdir / "mpl")}
    first: dict[str, list[float]] = {"agentkit": [], "matplotlib": []}
    for round_ in range(rounds):
        for side in (["agentkit", "matplotlib"] if round_ % 2 == 0 else ["matplotlib", "agentkit"]):
            out = subprocess.run([sys.executable, "-c", CHART_FIRST, side, str(workdir / "raw.png")], env=env,
                                 capture_output=True, text=True, check=True, cwd=REPO_ROOT)
            first[side].append(json.loads(out.stdout.strip().splitlines()[-1])["seconds"])
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from agentkit.media import render_chart

    labels, values = ["Q1", "Q2", "Q3", "Q4"], [120, 135, 98, 160]
    warm: dict[str, list[float]] = {"agentkit": [], "matplotlib": []}
    for round_ in range(max(rounds * 5, 10)):
        for side in (["agentkit", "matplotlib"] if round_ % 2 == 0 else ["matplotlib", "agentkit"]):
            started = now()
            if side == "agentkit":
                render_chart({"type": "bar", "title": f"Sales {round_}", "labels": labels, "values": values})
            else:
                fig, ax = plt.subplots(figsize=(8, 5), dpi=100)
                ax.bar(labels, values)
                ax.set_title(f"Sales {round_}")
                fig.savefig(workdir / "raw.png", format="png")
                plt.close(fig)
            warm[side].append(now() - started)
    return {"first_agentkit_s": median(first["agentkit"]), "first_matplotlib_s": median(first["matplotlib"]),
            "warm_agentkit_s": median(warm["agentkit"]), "warm_matplotlib_s": median(warm["matplotlib"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-story", action="store_true")
    parser.add_argument("--skip-base", action="store_true")
    parser.add_argument("--skip-transcription", action="store_true")
    args = parser.parse_args()
    print(machine_line())
    from agentkit.vision import set_image_roots
    from tests._media import long_clip

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        os.environ["AGENTKIT_WORKSPACE"] = str(workdir / "workspace")
        set_image_roots([workdir])
        clip = long_clip(workdir)
        from agentkit.media import probe_media

        info = probe_media(clip)
        from agentkit.media import load_audio

        seconds_of_sound = len(load_audio(clip)[0]) / 16_000
        print(f"clip: {info.duration:.1f} s of video, {seconds_of_sound:.1f} s of speech, {info.width}x{info.height}")
        results: dict = {"machine": machine_line(), "clip_s": info.duration, "speech_s": seconds_of_sound}

        models = [] if args.skip_transcription else ["tiny.en"] + ([] if args.skip_base else ["base"])
        rows = bench_transcription(clip, seconds_of_sound, args.rounds, models)
        results["transcription"] = rows
        print("\n1. Transcription, warm (medians of", args.rounds, "rounds; RTF = seconds / seconds of speech)")
        print(table(["model", "load s", "agentkit s", "RTF", "faster-whisper s", "RTF", "agentkit/fw", "same text"],
                    [[r["model"], r["load_s"], r["agentkit_s"], r["agentkit_rtf"], r["faster_whisper_s"],
                      r["faster_whisper_rtf"], r["ratio"], r["same_text"]] for r in rows]))
        if len(rows) == 2:
            print(f"base / tiny.en: {rows[1]['agentkit_s'] / rows[0]['agentkit_s']:.2f}x the time")
        for r in rows:
            print(f"  {r['model']}: {r['text']}")

        if not args.skip_story:
            story = bench_story(clip, workdir)
            results["story"] = story
            print("\n2. video_story end to end on the clip: durable run vs the same steps called directly")
            print(table(["node", "runs", "seconds", "LLM calls", "tokens"], story["nodes"]))
            print(table(["side", "seconds"], [["graph (Runner)", story["graph_s"]],
                                              ["direct calls", story["direct_s"]]]))
            print("direct parts: " + ", ".join(f"{k} {v:.2f} s" for k, v in story["direct"].items()))
            print(f"graph / direct: {story['ratio']:.2f}; same story on both sides: {story['same_story']}")
            print("keyframes:", story["keyframes"])
            print("timeline:\n" + story["timeline"])
            print("story:\n" + story["story"])

        chart = bench_chart(args.rounds, workdir)
        results["chart"] = chart
        print("\n3. Chart (800x500 bar chart to PNG)")
        print(table(["side", "first call s (fresh process)", "warm s"],
                    [["agentkit render_chart", chart["first_agentkit_s"], chart["warm_agentkit_s"]],
                     ["matplotlib pyplot", chart["first_matplotlib_s"], chart["warm_matplotlib_s"]]]))
        print(f"agentkit / matplotlib: first {chart['first_agentkit_s'] / chart['first_matplotlib_s']:.2f}, "
              f"warm {chart['warm_agentkit_s'] / chart['warm_matplotlib_s']:.2f}")
    print(loadavg_end_line())
    results["end"] = loadavg_end_line()
    out = Path(REPO_ROOT) / "benchmarks" / "results" / "bench_media.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a") as f:
        f.write(json.dumps({"ts": time.time(), **results}, default=str) + "\n")


if __name__ == "__main__":
    main()
