"""Optical character recognition with rapidocr (PP-OCRv6 ONNX models from its wheel, on onnxruntime).

One engine per process, made on first use and shared; calls are serialised on
it (rapidocr keeps per-call settings on the engine object, and onnxruntime
already uses every core for one image).

Text detection runs at the image's own resolution up to 2,000 px on the longer
side (rapidocr's default instead scales the *shorter* side up to 736 px, so a
640 x 100 line of text is detected at 4,700 x 736).  Measured here on rendered
lines, paragraphs, a receipt, a page, a 220 x 44 label and a 3,000 x 4,000
photo: the same text or better-joined lines, and 2-14x faster on wide images
(``benchmarks/bench_ocr.py`` compares both settings).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from agentkit.vision.images import load_image

if TYPE_CHECKING:
    from PIL import Image as PILImage

__all__ = ["ENGINE_PARAMS", "ocr_engine", "read_text"]

_engine: Any = None
# rapidocr parameters agentkit sets (see the module docstring).
ENGINE_PARAMS = {"Global.log_level": "error", "Det.limit_type": "max", "Det.limit_side_len": 2000}
_engine_lock = threading.Lock()  # guards creating the engine
_call_lock = threading.Lock()  # one recognition at a time on the shared engine


def ocr_engine() -> Any:
    """The process's rapidocr engine (created on the first call; its models load lazily inside)."""
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                from rapidocr import RapidOCR

                _engine = RapidOCR(params=dict(ENGINE_PARAMS))
    return _engine


def _bounding_box(points: Any) -> list[int]:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return [int(round(min(xs))), int(round(min(ys))), int(round(max(xs))), int(round(max(ys)))]


def read_text(image: str | bytes | PILImage.Image, *, min_confidence: float = 0.5) -> dict[str, Any]:
    """Text lines of an image in reading order.

    Returns ``{"text": lines joined by newlines, "lines": [{"text", "confidence",
    "box": [left, top, right, bottom]}], "width", "height"}``; an image with no
    text gives ``text == ""`` and no lines.  Lines below ``min_confidence`` are
    dropped."""
    loaded = load_image(image)
    picture = loaded.image.convert("RGB")
    engine = ocr_engine()
    with _call_lock:
        result = engine(picture, text_score=min_confidence)
    lines: list[dict[str, Any]] = []
    texts = getattr(result, "txts", None) or ()
    boxes = getattr(result, "boxes", None)
    scores = getattr(result, "scores", None) or ()
    for n, text in enumerate(texts):
        if not text.strip() or float(scores[n]) < min_confidence:
            continue
        lines.append({"text": text, "confidence": round(float(scores[n]), 4),
                      "box": _bounding_box(boxes[n])})
    return {"text": _join_rows(lines), "lines": lines, "width": picture.width, "height": picture.height}


def _join_rows(lines: list[dict[str, Any]]) -> str:
    """Text boxes that share a row (vertical centres within half a box height) joined
    left to right with spaces, rows top to bottom with newlines: a receipt's
    "Coffee ... 3.50" stays one line even when detected as two boxes."""
    rows: list[list[dict[str, Any]]] = []
    for line in sorted(lines, key=lambda item: (item["box"][1] + item["box"][3]) / 2):
        _, top, _, bottom = line["box"]
        centre, half = (top + bottom) / 2, (bottom - top) / 2
        if rows:
            last = rows[-1][-1]["box"]
            if abs(centre - (last[1] + last[3]) / 2) <= max(half, (last[3] - last[1]) / 2):
                rows[-1].append(line)
                continue
        rows.append([line])
    return "\n".join(" ".join(item["text"] for item in sorted(row, key=lambda i: i["box"][0])) for row in rows)
