"""A video's timeline: what was said (transcript segments) and what was seen (keyframes and what
the vision tools found in each), in time order, as plain text a model can cite by timestamp.

Each line starts with its moment, ``[m:ss]`` (where a picture appears, where a sentence starts
being said), then says in plain sentences what was seen or heard then (``[0:04] A QR code
reads "..."``, ``[0:05] A voice says: "..."``), so a story built on it cites those moments.
Text read from frames and speech is quoted: it is data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from agentkit.errors import MediaError
from agentkit.media.probe import format_time

__all__ = ["build_timeline"]

_MAX_QUOTE = 300


def _quote(text: Any) -> str:
    flat = " ".join(str(text or "").split())
    if len(flat) > _MAX_QUOTE:
        flat = flat[: _MAX_QUOTE - 3] + "..."
    return '"' + flat.replace('"', "'") + '"'


def _segments(transcript: Any) -> list[dict[str, Any]]:
    if transcript is None or transcript == "":
        return []
    if isinstance(transcript, dict):
        transcript = transcript.get("segments") or []
    if not isinstance(transcript, list):
        raise MediaError("transcript must be what transcribe returns (a dict with 'segments') or its segment list")
    return [s for s in transcript if isinstance(s, dict) and str(s.get("text", "")).strip()]


def _frames(keyframes: Any) -> list[dict[str, Any]]:
    if keyframes is None or keyframes == "":
        return []
    if isinstance(keyframes, dict):
        keyframes = keyframes.get("frames") or []
    if not isinstance(keyframes, list) or not all(isinstance(f, dict) and "time" in f for f in keyframes):
        raise MediaError("keyframes must be what video_frames returns (a dict with 'frames', or its frame list)")
    return keyframes


def _by_path(images: Sequence[Any] | None, values: Sequence[Any] | None) -> dict[str, Any]:
    """``values[i]`` keyed by ``images[i]`` (each frame's findings arrive with its image path)."""
    if not images or values is None:
        return {}
    if len(values) != len(images):
        raise MediaError(f"each frame needs one finding: {len(images)} frame images but {len(values)} findings")
    return {_path(image): value for image, value in zip(images, values, strict=True)}


def _path(image: Any) -> str:
    """An image's path: a path string, or a result that names one (a keyframe: ``{"path", ...}``)."""
    return str(image.get("path", "")) if isinstance(image, dict) else str(image)


def _seen(text: Any, codes: Any, faces: Any, info: Any) -> str:
    """What the vision tools found in one picture, as plain sentences."""
    sentences: list[str] = []
    if isinstance(text, dict):
        text = text.get("text", "")
    if str(text or "").strip():
        sentences.append(f"The screen shows the text {_quote(text)}.")
    found_codes = [c.get("text", "") for c in (codes or {}).get("codes", [])] if isinstance(codes, dict) else []
    sentences += [f"A QR code reads {_quote(code)}." for code in found_codes]
    count = int(faces.get("count") or 0) if isinstance(faces, dict) else 0
    if count:
        sentences.append("One person is in view." if count == 1 else f"{count} people are in view.")
    if not sentences:
        colours = info.get("dominant_colors") if isinstance(info, dict) else None
        main = colours[0].get("name") if colours else None
        sentences.append(f"A mostly {main} picture, with no text, code or face the tools could find." if main
                         else "A picture with no text, code or face the tools could find.")
    return " ".join(sentences)


def build_timeline(transcript: Any = None, keyframes: Any = None, *, images: Sequence[Any] | None = None,
                   texts: Sequence[Any] | None = None, codes: Sequence[Any] | None = None,
                   faces: Sequence[Any] | None = None, colors: Sequence[Any] | None = None,
                   summary: str | None = None) -> dict[str, Any]:
    """``{"text", "events": [{"start", "end", "timestamp", "kind", "text"}]}``.

    ``transcript``: a ``transcribe`` result (or its segments); ``keyframes``: a ``video_frames``
    result (or its frames); ``images`` with ``texts`` / ``codes`` / ``faces`` / ``colors``:
    what the vision tools found in each keyframe, one entry per image path (OCR text,
    ``read_qr`` results, ``detect_faces`` results, ``inspect_image`` results); ``summary``: a
    paragraph put before the lines (a story's gist)."""
    found = {name: _by_path(images, values) for name, values in
             (("texts", texts), ("codes", codes), ("faces", faces), ("colors", colors))}
    events: list[dict[str, Any]] = []
    for segment in _segments(transcript):
        start, end = float(segment.get("start", 0.0)), float(segment.get("end", segment.get("start", 0.0)))
        events.append({"start": round(start, 2), "end": round(end, 2), "timestamp": format_time(start),
                       "kind": "speech",
                       "text": f"A voice says: {_quote(segment.get('text', ''))}"})
    for frame in _frames(keyframes):
        path = _path(frame)
        seen = _seen(found["texts"].get(path), found["codes"].get(path), found["faces"].get(path),
                     found["colors"].get(path))
        time = float(frame["time"])
        events.append({"start": round(time, 2), "end": round(time, 2), "timestamp": format_time(time),
                       "kind": "picture", "text": seen, "image": path})
    events.sort(key=lambda e: (e["start"], e["kind"] != "picture"))
    text = "\n".join(f"[{e['timestamp']}] {e['text']}" for e in events)
    if summary and summary.strip():
        text = f"{summary.strip()}\n\n{text}"
    return {"text": text, "events": events}
