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
from agentkit.vision import read_text, set_image_roots
from agentkit.vision.ocr import ocr_engine
from agentkit.recipes import ask_image, extract_from_image
from tests._images import astronaut, render_lines, render_receipt

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
    assert all(0 <= l < r <= result["width"] and 0 <= t < b <= result["height"]
               for l, t, r, b in (line["box"] for line in result["lines"]))
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
