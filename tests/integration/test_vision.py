"""Real OCR (rapidocr, models from its wheel) and the vision + language pattern on the real
default model: image -> OCR + inspection -> an LLM that answers or fills a pydantic schema."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from PIL import Image
from pydantic import BaseModel

import agentkit
from agentkit.recipes import ask_image, extract_from_image
from agentkit.vision import read_text, set_image_roots
from agentkit.vision.ocr import ocr_engine
from tests._images import astronaut, render_lines, render_receipt, text_strip

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
RECEIPT_TEXT = ("GREEN LEAF GROCERY\n12 Market Street\nDate: 2024-03-15\nBread 2.50\nMilk 1.25\n"
                "Apples 3.40\nTOTAL 7.15\nThank you!")


class Receipt(BaseModel):
    vendor: str
    date: str
    total: float


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AGENTKIT_WORKSPACE", str(tmp_path / "workspace"))
    set_image_roots([tmp_path])
    yield tmp_path
    set_image_roots(None)


def test_ocr_reads_rendered_lines_with_boxes_in_reading_order(folder: Path) -> None:
    lines = ["Invoice 2024-0117", "Amount due: 1284.50 EUR", "Pay by 31 March"]
    path = folder / "invoice.png"
    render_lines(lines).save(path)
    result = agentkit.get_tool("ocr").invoke({"image": str(path)})
    assert result["text"].splitlines() == lines
    assert [line["text"] for line in result["lines"]] == lines
    tops = [line["box"][1] for line in result["lines"]]
    assert tops == sorted(tops) and all(line["confidence"] > 0.9 for line in result["lines"])
    assert all(0 <= left < r <= result["width"] and 0 <= t < b <= result["height"]
               for left, t, r, b in (line["box"] for line in result["lines"]))
    json.dumps(result)
    assert agentkit.get_tool("ocr").invoke({"image": str(path), "text_only": True}) == "\n".join(lines)


def test_an_image_without_text_gives_an_empty_result_not_an_error(folder: Path) -> None:
    gradient = Image.linear_gradient("L").resize((400, 300)).convert("RGB")
    for picture in (Image.new("RGB", (300, 200), "white"), gradient):
        assert read_text(picture) == {"text": "", "lines": [], "width": picture.width, "height": picture.height}


def test_one_engine_per_process_shared_safely_by_threads(folder: Path) -> None:
    assert ocr_engine() is ocr_engine()
    picture = render_lines(["Shared engine 123"])
    expected = read_text(picture)
    assert expected["text"]
    results: list[Any] = []
    workers = [threading.Thread(target=lambda: results.append(read_text(picture))) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert results == [expected] * 3


WORDS = "the quick brown fox jumps over the lazy dog "
LINE = (WORDS * 14).strip()  # 3,976 px wide at 14 px: fills a 4,000 x 20 strip


@pytest.mark.parametrize(("name", "picture"), [
    ("strip.png", text_strip(4000, 20, LINE)),  # rapidocr alone: ResizeImgError
    ("tall.jpg", text_strip(4000, 20, LINE).rotate(-90, expand=True)),  # the same, standing up
])
def test_long_thin_strips_are_read_whole(folder: Path, name: str, picture: Image.Image) -> None:
    picture.save(folder / name)
    result = read_text(folder / name)
    words = result["text"].split()
    assert (result["width"], result["height"]) == picture.size and "scale" not in result
    assert len(words) >= 0.95 * len(LINE.split())  # cut between words, so none is lost
    assert sum(w in WORDS.split() for w in words) >= 0.95 * len(words)
    assert all(0 <= left < r <= picture.width and 0 <= t < b <= picture.height
               for left, t, r, b in (line["box"] for line in result["lines"]))


def test_a_tall_receipt_roll_is_read_at_full_resolution(folder: Path) -> None:
    from PIL import ImageDraw, ImageFont

    roll = Image.new("RGB", (240, 4000), "white")
    draw, font = ImageDraw.Draw(roll), ImageFont.load_default(size=18)
    items = [f"Item {n:02d} {n * 1.25:6.2f}" for n in range(80)]
    for n, item in enumerate(items):
        draw.text((10, 20 + 49 * n), item, fill="black", font=font)
    roll.save(folder / "roll.jpg", quality=92)
    rows = [" ".join(row.split()) for row in read_text(folder / "roll.jpg")["text"].splitlines()]
    # rapidocr alone shrinks it to 120 x 2,000 (9 px letters): 72 of 80 rows right, 77 now
    assert sum(row == " ".join(item.split()) for row, item in zip(rows, items, strict=False)) >= 75, rows


def test_ocr_near_the_pixel_limit_is_bounded_in_memory(folder: Path) -> None:
    """A legal 50 MP image is read shrunk to 4 MP (the result says so), and loading it for OCR
    takes a fraction of the memory a full-size load does (measured: 94 MiB against 385 MiB;
    the old code decoded and copied the whole image before rapidocr shrank it).

    Each load is measured alone in a fresh process: after an OCR run the high-water mark is
    already above what the next image needs, so a peak measured then is allocator noise
    (1 to 118 MiB over ten runs of the same image)."""
    from PIL import ImageDraw, ImageFont

    size = (8660, 5770)
    picture = Image.new("RGB", size, "white")
    ImageDraw.Draw(picture).text((size[0] // 30, size[1] * 4 // 9), "Total 42.50", fill="black",
                                 font=ImageFont.load_default(size=300))
    picture.save(folder / "big.jpg", quality=90)
    del picture
    # VmHWM, not ru_maxrss: a child's ru_maxrss starts at its parent's (this test process).
    script = ("import json, re, sys; from agentkit.vision import set_image_roots; "
              "from agentkit.vision.images import load_image; from agentkit.vision.ocr import OCR_MAX_PIXELS; "
              "peak = lambda: int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)); "
              "set_image_roots([sys.argv[1]]); fit = OCR_MAX_PIXELS if sys.argv[2] == 'fit' else None; "
              "before = peak(); "
              "loaded = load_image(sys.argv[1] + '/big.jpg', fit_pixels=fit); "
              "print(json.dumps({'mib': (peak() - before) // 1024, 'size': list(loaded.image.size)}))")
    measured = {}
    for mode in ("fit", "full"):
        proc = subprocess.run([sys.executable, "-c", script, str(folder), mode], capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == 0, proc.stderr
        measured[mode] = json.loads(proc.stdout.splitlines()[-1])
    assert measured["fit"]["size"] == [2450, 1632] and measured["full"]["size"] == [8660, 5770], measured
    assert measured["fit"]["mib"] < measured["full"]["mib"] / 3, measured

    result = read_text(folder / "big.jpg")
    assert result["scale"] == pytest.approx(0.283, abs=0.01), result
    assert [result["width"], result["height"]] == [8660, 5770] and result["text"] == "Total 42.50", result


class PromptRecorder(BaseCallbackHandler):
    def __init__(self) -> None:
        self.prompts: list[str] = []

    def on_chat_model_start(self, serialized: Any, messages: list[list[Any]], **kwargs: Any) -> None:
        self.prompts.extend(str(m.content) for batch in messages for m in batch)


def test_receipt_graph_spec_extracts_a_schema_on_the_real_model(folder: Path) -> None:
    path = folder / "receipt.png"
    render_receipt().save(path)
    graph = agentkit.load(ROOT / "graphs" / "receipt_reader.yaml")
    recorder = PromptRecorder()
    result = graph.invoke(agentkit.runtime.image_inputs(ROOT / "graphs" / "receipt_reader.yaml", [path]),
                          {"callbacks": [recorder]})
    assert result["text"] == RECEIPT_TEXT
    assert any(RECEIPT_TEXT in prompt for prompt in recorder.prompts)  # the OCR text reached the LLM
    receipt = Receipt.model_validate(result["receipt"])
    assert isinstance(result["receipt"]["total"], (int, float))
    assert receipt.total == pytest.approx(7.15)  # greedy decoding reads it right every time here
    assert "GREEN LEAF" in receipt.vendor.upper()


def test_python_api_extracts_and_answers_from_a_pil_image() -> None:
    receipt = extract_from_image(render_receipt(), Receipt)
    assert isinstance(receipt, Receipt) and receipt.total == pytest.approx(7.15)
    assert "7.15" in ask_image(render_receipt(), "What is the total amount?")


def test_cli_runs_the_receipt_graph_with_an_image(folder: Path) -> None:
    path = folder / "receipt.png"
    render_receipt().save(path)
    proc = subprocess.run([sys.executable, "-m", "agentkit.cli", "run", str(ROOT / "graphs" / "receipt_reader.yaml"),
                           "--image", "receipt.png", "--json"], capture_output=True, text=True, cwd=folder,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.splitlines()[-1])  # --json prints JSON lines, the result last
    output = result["values"]
    assert result["status"] == "done"
    assert output["text"] == RECEIPT_TEXT and Receipt.model_validate(output["receipt"]).total == pytest.approx(7.15)


def test_faces_and_text_tools_on_a_real_photograph() -> None:
    photo = astronaut()
    assert agentkit.get_tool("detect_faces").invoke({"image": photo})["count"] == 1
    json.dumps(agentkit.get_tool("ocr").invoke({"image": photo}))  # whatever it reads, it is plain data
