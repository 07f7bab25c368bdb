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

The work is bounded by pixels, and every image of legal size is read:
- an image over ``OCR_MAX_PIXELS`` (4 MP: what the detector works on at 2,000 px a
  side) is decoded smaller (JPEG at a reduced DCT scale) and read shrunk; the result
  then says ``"scale"`` (below 1), and boxes, width and height stay in the whole
  image's pixels.  rapidocr shrank such images to 2,000 px a side itself, but only
  after they were decoded and copied whole: measured on 50 MP JPEGs, peak memory
  over a warm engine went from +820-940 MB to +315-440 MB (the same as a 4 MP image
  needs) and a photo's time from about 5 s to 3 s; a page of text still takes
  seconds per dozen lines (recognition time follows the amount of text);
- a long thin strip (a side over 2,000 px and four times the other) is cut across
  its long side at its blankest stretches into pieces of at most 1,920 px, laid one
  under another (or side by side) in one picture and read at full resolution:
  rapidocr would shrink a 4,000 x 20 strip to 2,000 x 10 and fail with
  ``ResizeImgError``, and a tall receipt roll to letters too small to read.  A strip
  thinner than 8 px holds no legible text and is shrunk instead;
- a side under 32 px is padded with the background colour (rapidocr would stretch
  it: a 1,999 x 5 image to 12,000 x 32).
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from agentkit.vision.images import ImageError, load_image

if TYPE_CHECKING:
    from PIL import Image as PILImage

__all__ = ["ENGINE_PARAMS", "OCR_MAX_PIXELS", "ocr_engine", "read_text"]

_engine: Any = None
# rapidocr parameters agentkit sets (see the module docstring).
ENGINE_PARAMS = {"Global.log_level": "error", "Det.limit_type": "max", "Det.limit_side_len": 2000}
_engine_lock = threading.Lock()  # guards creating the engine
_call_lock = threading.Lock()  # one recognition at a time on the shared engine

_SIDE = 2000  # the detector's working size (Det.limit_side_len above; rapidocr's Global.max_side_len)
OCR_MAX_PIXELS = _SIDE * _SIDE
_PIECE = 1920  # the longest piece a strip is cut into (a little under _SIDE)
_FOLD_ASPECT = 4  # a strip: the long side is over _SIDE and at least this many times the short side
_MIN_SIDE = 32  # the detector's unit: a shorter side is padded to it
_MIN_TEXT = 8  # a strip thinner than this holds no legible text; it is shrunk, not cut


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
    return [round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys))]


@dataclass(frozen=True, kw_only=True)
class _Layout:
    """How the canvas rapidocr reads was made from the picture, to map its boxes back:
    shrunk by ``shrink``, or cut along the long side at ``cuts`` with piece ``i`` laid
    ``i * pitch`` across; then padded by ``pad`` (left, top)."""

    wide: bool = True
    cuts: tuple[int, ...] = ()
    pitch: int = 0
    shrink: float = 1.0
    pad: tuple[int, int] = (0, 0)

    def to_picture(self, box: list[int]) -> list[float]:
        """A canvas box in the picture's pixels."""
        left, top = box[0] - self.pad[0], box[1] - self.pad[1]
        right, bottom = box[2] - self.pad[0], box[3] - self.pad[1]
        if len(self.cuts) <= 2:
            return [left / self.shrink, top / self.shrink, right / self.shrink, bottom / self.shrink]
        across = (top + bottom) / 2 if self.wide else (left + right) / 2
        piece = min(len(self.cuts) - 2, max(0, int(across // self.pitch)))
        along, shift = self.cuts[piece], piece * self.pitch
        if self.wide:
            return [left + along, top - shift, right + along, bottom - shift]
        return [left - shift, top + along, right - shift, bottom + along]


def _background(picture: PILImage.Image) -> tuple[int, int, int]:
    """The picture's most common colour at its border (what padding is filled with)."""
    import numpy as np

    pixels = np.asarray(picture)
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    colours, counts = np.unique(border.reshape(-1, 3), axis=0, return_counts=True)
    return tuple(int(v) for v in colours[counts.argmax()])  # type: ignore[return-value]


def _cuts(ink: Any, length: int, short: int) -> tuple[int, ...]:
    """Where to cut a strip ``length`` long into pieces of at most ``_PIECE``: in the second
    half of each piece, at the blankest stretch about a third of the strip's width wide (a
    gap between words or lines rather than between two letters), the latest if several."""
    import numpy as np

    blank = np.convolve(ink, np.ones(max(3, short // 3)), mode="same")
    cuts = [0]
    while length - cuts[-1] > _PIECE:
        start = cuts[-1] + _PIECE // 2
        window = blank[start:cuts[-1] + _PIECE]
        cuts.append(start + len(window) - 1 - int(window[::-1].argmin()))
    return (*cuts, length)


def _fold(picture: PILImage.Image, wide: bool, long: int, short: int) -> tuple[PILImage.Image, _Layout]:
    """A strip cut into pieces laid side by side (wide: one under another), a blank between."""
    import numpy as np
    from PIL import Image

    gray = np.asarray(picture.convert("L"), dtype=np.int16)
    ink = np.abs(gray - int(np.median(gray))).sum(axis=0 if wide else 1)
    cuts = _cuts(ink, long, short)
    gap = max(_MIN_TEXT, short // 2)  # so that no text line of one piece runs into the next
    pitch = short + gap
    across = (len(cuts) - 1) * pitch - gap
    along = max(b - a for a, b in itertools.pairwise(cuts))
    canvas = Image.new("RGB", (along, across) if wide else (across, along), _background(picture))
    for n, (a, b) in enumerate(itertools.pairwise(cuts)):
        if wide:
            canvas.paste(picture.crop((a, 0, b, picture.height)), (0, n * pitch))
        else:
            canvas.paste(picture.crop((0, a, picture.width, b)), (n * pitch, 0))
    return canvas, _Layout(wide=wide, cuts=cuts, pitch=pitch)


def _canvas(picture: PILImage.Image) -> tuple[PILImage.Image, _Layout]:
    """What rapidocr is given for ``picture``, and how its boxes map back (module docstring).
    Its pixels stay within a small multiple of the picture's (pieces are at least half of
    ``_PIECE`` long and gaps at most half a piece's width), so the work stays bounded."""
    from PIL import Image

    width, height = picture.size
    wide = width >= height
    long, short = (width, height) if wide else (height, width)
    canvas, layout = picture, _Layout(wide=wide)
    if long > _SIDE and long >= _FOLD_ASPECT * short:
        if short >= _MIN_TEXT:
            canvas, layout = _fold(picture, wide, long, short)
        else:  # too thin to hold legible text: shrunk as rapidocr would, but never to nothing
            shrink = _SIDE / long
            canvas = picture.resize((max(1, round(width * shrink)), max(1, round(height * shrink))))
            layout = _Layout(wide=wide, shrink=shrink)
    if min(canvas.size) < _MIN_SIDE:
        padded = Image.new("RGB", (max(canvas.width, _MIN_SIDE), max(canvas.height, _MIN_SIDE)), _background(canvas))
        pad = ((padded.width - canvas.width) // 2, (padded.height - canvas.height) // 2)
        padded.paste(canvas, pad)
        canvas, layout = padded, replace(layout, pad=pad)
    return canvas, layout


def read_text(image: str | bytes | PILImage.Image, *, min_confidence: float = 0.5) -> dict[str, Any]:
    """Text lines of an image in reading order.

    Returns ``{"text": lines joined by newlines, "lines": [{"text", "confidence",
    "box": [left, top, right, bottom]}], "width", "height"}``; an image with no
    text gives ``text == ""`` and no lines.  Lines below ``min_confidence`` are
    dropped.  An image over ``OCR_MAX_PIXELS`` is read shrunk and the result adds
    ``"scale"`` (below 1); boxes are always in the whole image's pixels."""
    from rapidocr.ch_ppocr_det.utils import ResizeImgError as DetResizeError
    from rapidocr.utils.process_img import ResizeImgError

    loaded = load_image(image, fit_pixels=OCR_MAX_PIXELS)
    picture = loaded.image.convert("RGB")
    canvas, layout = _canvas(picture)
    engine = ocr_engine()
    try:
        with _call_lock:
            # rapidocr's angle classifier is skipped on a cut strip: every piece has the strip's
            # own orientation, and measured on a 40,000 x 30 strip it turned 13 of 28 lines
            # upside down (read as garbage); nothing else changes.
            skip_cls = len(layout.cuts) > 2 and layout.wide
            result = engine(canvas, text_score=min_confidence, use_cls=False if skip_cls else None)
    except (ResizeImgError, DetResizeError):  # _canvas shapes every image to avoid this; kept as a guard
        raise ImageError(f"image {loaded.name!r} ({picture.width} x {picture.height} as read) has a shape the OCR "
                         f"engine cannot resize; pad or crop it nearer to square") from None
    full_width, full_height = loaded.full_size
    scale_x, scale_y = picture.width / full_width, picture.height / full_height
    lines: list[dict[str, Any]] = []
    texts = getattr(result, "txts", None) or ()
    boxes = getattr(result, "boxes", None)
    scores = getattr(result, "scores", None) or ()
    for n, text in enumerate(texts):
        if not text.strip() or float(scores[n]) < min_confidence:
            continue
        left, top, right, bottom = layout.to_picture(_bounding_box(boxes[n]))
        box = [max(0, min(full_width, round(left / scale_x))), max(0, min(full_height, round(top / scale_y))),
               max(0, min(full_width, round(right / scale_x))), max(0, min(full_height, round(bottom / scale_y)))]
        lines.append({"text": text, "confidence": round(float(scores[n]), 4), "box": box})
    found: dict[str, Any] = {"text": _join_rows(lines), "lines": lines, "width": full_width, "height": full_height}
    if loaded.scale < 1:
        found["scale"] = round(loaded.scale, 4)
    return found


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
