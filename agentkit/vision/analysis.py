"""What is in an image besides text: its properties, QR codes and faces.

Every function takes a path, bytes or a PIL image (checked by ``load_image``)
and returns plain lists and dicts (JSON-serialisable) with boxes as
``[left, top, right, bottom]`` pixels of the upright image.  OpenCV's QR
detector and the Haar face cascade both ship inside opencv-python-headless; the
cascade loads once per process and is shared under a lock.
"""

from __future__ import annotations

import functools
import math
import threading
from typing import TYPE_CHECKING, Any

from agentkit.vision.images import load_image

if TYPE_CHECKING:
    from PIL import Image as PILImage

__all__ = ["detect_faces", "inspect_image", "read_qr"]

# EXIF tags worth telling a reader about (tag id -> key); values are made JSON-safe.
_EXIF_MAIN = {0x010F: "make", 0x0110: "model", 0x0132: "datetime", 0x0112: "orientation", 0x0131: "software",
              0x010E: "description", 0x013B: "artist"}
_EXIF_IFD = {0x9003: "datetime_original", 0x829A: "exposure_time_s", 0x829D: "f_number", 0x8827: "iso",
             0xA434: "lens_model"}
_EXIF_IFD_POINTER, _GPS_IFD_POINTER = 0x8769, 0x8825


def _json_safe(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").strip("\x00 ")
    if isinstance(value, str):
        return value.strip("\x00 ")
    if isinstance(value, (int, bool)):
        return value
    if isinstance(value, (tuple, list)):
        return [_json_safe(v) for v in value]
    try:
        number = float(value)  # IFDRational and friends
    except (TypeError, ValueError, ZeroDivisionError):
        return str(value)
    return round(number, 6) if math.isfinite(number) else None


def _exif_highlights(exif: Any) -> dict[str, Any]:
    found: dict[str, Any] = {key: _json_safe(exif[tag]) for tag, key in _EXIF_MAIN.items() if tag in exif}
    try:
        sub = exif.get_ifd(_EXIF_IFD_POINTER)
    except (KeyError, ValueError, OSError):
        sub = {}
    found.update({key: _json_safe(sub[tag]) for tag, key in _EXIF_IFD.items() if tag in sub})
    try:
        has_gps = bool(exif.get_ifd(_GPS_IFD_POINTER))
    except (KeyError, ValueError, OSError):
        has_gps = False
    if has_gps:
        found["has_gps"] = True
    return found


@functools.cache
def _named_colours() -> tuple[tuple[str, tuple[int, int, int]], ...]:
    from PIL import ImageColor

    return tuple((name, ImageColor.getrgb(name)[:3]) for name in sorted(ImageColor.colormap))


def _colour_name(rgb: tuple[int, int, int]) -> str:
    """The nearest CSS colour name (Pillow's table)."""
    return min(_named_colours(), key=lambda item: sum((a - b) ** 2 for a, b in zip(item[1], rgb, strict=False)))[0]


def _dominant_colours(image: PILImage.Image, count: int) -> list[dict[str, Any]]:
    from PIL import Image

    small = image.convert("RGB")
    small.thumbnail((128, 128))
    quantized = small.quantize(colors=count, method=Image.Quantize.MEDIANCUT)
    palette = quantized.getpalette() or []
    pixels = small.width * small.height
    colours = []
    for n, index in sorted(quantized.getcolors() or [], reverse=True):
        rgb = (palette[index * 3], palette[index * 3 + 1], palette[index * 3 + 2])
        colours.append({"hex": "#{:02x}{:02x}{:02x}".format(*rgb), "name": _colour_name(rgb),
                        "fraction": round(n / pixels, 3)})
    return colours


def inspect_image(image: str | bytes | PILImage.Image, *, colours: int = 5) -> dict[str, Any]:
    """Format, size, mode, frame count, file size, EXIF highlights and dominant colours."""
    from PIL import ImageStat

    loaded = load_image(image)
    picture = loaded.image
    brightness = ImageStat.Stat(picture.convert("L")).mean[0]
    return {"format": loaded.format, "width": picture.width, "height": picture.height, "mode": picture.mode,
            "frames": loaded.frames, "file_bytes": loaded.file_bytes, "exif": _exif_highlights(loaded.exif),
            "dominant_colors": _dominant_colours(picture, max(1, min(colours, 16))),
            "brightness": round(brightness / 255, 3)}


def _to_bgr(picture: PILImage.Image) -> Any:
    import numpy as np

    return np.ascontiguousarray(np.asarray(picture.convert("RGB"))[:, :, ::-1])


def read_qr(image: str | bytes | PILImage.Image) -> dict[str, Any]:
    """Decoded QR codes: ``{"count", "codes": [{"text", "box"}]}`` (none found: count 0)."""
    import cv2

    picture = load_image(image).image
    pixels = _to_bgr(picture)
    codes = []
    # A new detector per call: they are cheap and not documented as thread-safe.
    for detector in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
        found, texts, points, _ = detector.detectAndDecodeMulti(pixels)
        if found and points is not None:
            codes = [{"text": text, "box": _points_box(quad)}
                     for text, quad in zip(texts, points, strict=False) if text]
        if codes:
            break
    return {"count": len(codes), "codes": codes}


def _points_box(points: Any) -> list[int]:
    xs, ys = [float(p[0]) for p in points], [float(p[1]) for p in points]
    return [round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys))]


_cascade: Any = None
_cascade_lock = threading.Lock()
_FACE_WORK_SIDE = 1024  # faces are found on a copy no larger than this, then boxes scale back


def _face_cascade() -> Any:
    global _cascade
    if _cascade is None:
        with _cascade_lock:
            if _cascade is None:
                import cv2

                cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
                if cascade.empty():
                    raise RuntimeError("OpenCV's frontal-face Haar cascade did not load; "
                                       "reinstall opencv-python-headless (a 4.x release)")
                _cascade = cascade
    return _cascade


def detect_faces(image: str | bytes | PILImage.Image, *, min_neighbors: int = 5) -> dict[str, Any]:
    """Frontal faces: ``{"count", "faces": [{"box"}]}``, largest first (Haar cascade)."""
    import cv2
    import numpy as np

    picture = load_image(image).image
    scale = min(1.0, _FACE_WORK_SIDE / max(picture.size))
    work = picture.convert("L")
    if scale < 1.0:
        work = work.resize((max(1, round(picture.width * scale)), max(1, round(picture.height * scale))))
    gray = cv2.equalizeHist(np.asarray(work))
    smallest = max(24, min(gray.shape) // 20)
    cascade = _face_cascade()
    with _cascade_lock:
        found = cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=min_neighbors,
                                         minSize=(smallest, smallest))
    boxes = [[round(x / scale), round(y / scale), round((x + w) / scale), round((y + h) / scale)]
             for x, y, w, h in (found if len(found) else [])]
    boxes.sort(key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True)
    return {"count": len(boxes), "faces": [{"box": box} for box in boxes]}
