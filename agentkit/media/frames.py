"""Keyframes of a video: the frames where the picture changes, saved as PNGs in the workspace.

The video is decoded once with PyAV.  Every ``1 / sample_fps`` seconds a frame is reduced to
a 64 x 36 grey thumbnail and compared with the last keyframe's: the share of thumbnail
pixels whose brightness moved by more than an eighth of the range is the *change* (0..1).
Measured on rendered slides: one white text card to another changes 3-11 % of the thumbnail,
a cut to a photo 90 % or more, and video noise between two moments of one scene under 0.5 %;
the default ``threshold`` is 3 %.
The first frame is always a keyframe; a later frame becomes one when its change reaches
``threshold`` and at least ``min_gap`` seconds have passed since the last.  When a video has
more such frames than ``max_frames``, the ones with the biggest change are kept (the first
frame always), so the work and the memory held are bounded whatever the video's length.
A video whose pictures stop decoding well before the end its header gives (an error, or a cut-off
file that just ends: under 90 % of it) is refused as truncated or corrupt rather than told in part.

Each keyframe is written under the workspace's ``frames/`` folder, inside the image roots,
so every vision tool (``ocr``, ``read_qr``, ``detect_faces``, ``inspect_image``) reads it; a
frame larger than 1920 pixels on its longer side is saved shrunk to that.
"""

from __future__ import annotations

import hashlib
import heapq
import io
import os
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from agentkit.errors import MediaError
from agentkit.extras import require
from agentkit.files import shown
from agentkit.media.probe import MAX_DURATION_S, decode_error, format_time, open_media

__all__ = ["MAX_KEYFRAMES", "keyframes"]

MAX_KEYFRAMES = 32
_THUMB = (64, 36)
_PIXEL_MOVED = 32  # of 255: a pixel counts as changed past this
_KEEP_SIDE = 1920
_TRUNCATED_SLACK_S = 1.0


@dataclass(order=True)
class _Candidate:
    change: float
    time: float = field(compare=False)
    image: Any = field(compare=False)  # PIL image


def _picture(frame: Any) -> Any:
    """The frame as a PIL image, at most ``_KEEP_SIDE`` pixels on its longer side (what OCR reads
    at full resolution anyway), so holding ``MAX_KEYFRAMES`` of a 4K video stays near 200 MB."""
    width, height = frame.width, frame.height
    scale = min(1.0, _KEEP_SIDE / max(width, height))
    if scale < 1.0:
        return frame.to_image(width=max(1, round(width * scale)), height=max(1, round(height * scale)))
    return frame.to_image()


def _thumb(frame: Any) -> np.ndarray:
    return frame.reformat(width=_THUMB[0], height=_THUMB[1], format="gray").to_ndarray().astype(np.int16)


def keyframes(source: str | os.PathLike[str], *, max_frames: int = 8, threshold: float = 0.03,
              min_gap: float = 1.0, sample_fps: float = 2.0, max_duration: float = MAX_DURATION_S) -> dict[str, Any]:
    """``{"frames": [{"time", "timestamp", "path", "width", "height", "change"}], "duration",
    "width", "height", "fps", "sampled"}``: the video's keyframes in time order (see the module)."""
    require("vision", "PIL", what="saving video keyframes")
    import av

    if not 1 <= max_frames <= MAX_KEYFRAMES:
        raise MediaError(f"max_frames must be 1..{MAX_KEYFRAMES}, not {max_frames}")
    if not 0.0 < threshold <= 1.0:
        raise MediaError(f"threshold is a share of changed pixels, 0 < threshold <= 1, not {threshold}")
    if not 0.05 <= sample_fps <= 30:
        raise MediaError(f"sample_fps must be 0.05..30, not {sample_fps}")
    with open_media(source, max_duration=max_duration) as (info, container):
        if info.kind != "video":
            raise MediaError(f"media file {shown(info.name)} is {info.format} audio with no picture; keyframes need "
                             f"a video (for its speech use transcribe)")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        # how long the picture should last: the stream's header, else (no sound to last longer) the container's
        expected = (float(stream.duration * stream.time_base) if stream.duration and stream.time_base
                    else None if container.streams.audio else info.duration)
        kept: list[_Candidate] = []  # a min-heap on change, at most max_frames - 1 long
        first: _Candidate | None = None
        last_thumb: np.ndarray | None = None
        last_time = -1e9
        next_sample = 0.0
        sampled = 0
        at: float | None = None
        reached = 0.0
        try:
            for frame in container.decode(stream):
                at = frame.time if frame.time is not None else at
                if at is None:
                    continue
                # where the picture decoded so far ends (a last frame may be shown for long)
                shown_for = float(frame.duration * frame.time_base) if frame.duration and frame.time_base else 0.0
                reached = at + shown_for
                if at > max_duration + 1.0:
                    raise MediaError(f"video {shown(info.name)} runs past {format_time(max_duration)} (longer than "
                                     f"its header said); the longest allowed is {format_time(max_duration)}")
                if at + 1e-6 < next_sample:
                    continue
                next_sample = at + 1.0 / sample_fps
                sampled += 1
                thumb = _thumb(frame)
                if last_thumb is None:
                    first = _Candidate(1.0, at, _picture(frame))
                    last_thumb, last_time = thumb, at
                    continue
                change = float(np.mean(np.abs(thumb - last_thumb) > _PIXEL_MOVED))
                if change >= threshold and at - last_time >= min_gap:
                    last_thumb, last_time = thumb, at
                    if max_frames == 1:
                        continue
                    if len(kept) < max_frames - 1:
                        heapq.heappush(kept, _Candidate(change, at, _picture(frame)))
                    elif change > kept[0].change:  # converted only when it is kept
                        heapq.heapreplace(kept, _Candidate(change, at, _picture(frame)))
        except (av.error.FFmpegError, OSError, ValueError) as exc:
            # a damaged last second or so: keep what was decoded before it (as load_audio does)
            if first is None or _cut_short(expected, reached):
                raise decode_error(info, exc, at) from None
        if first is None:
            raise MediaError(f"video {shown(info.name)} has no decodable frame; it is truncated or corrupt")
        if _cut_short(expected, reached):
            raise MediaError(f"video {shown(info.name)} is truncated: its header says {expected:.1f} s of picture, "
                             f"only {reached:.1f} s could be decoded; re-save or re-export it")
    chosen = sorted([first, *kept], key=lambda c: c.time)
    digest = hashlib.sha256(f"{info.path}:{info.file_bytes}".encode()).hexdigest()[:10]
    frames = [{"time": round(c.time, 2), "timestamp": format_time(c.time), "path": _save(c.image, digest, c.time),
               "width": c.image.width, "height": c.image.height, "change": round(c.change, 3)} for c in chosen]
    return {"frames": frames, "duration": None if info.duration is None else round(info.duration, 2),
            "width": info.width, "height": info.height, "fps": None if info.fps is None else round(info.fps, 3),
            "sampled": sampled}


def _cut_short(expected: float | None, reached: float) -> bool:
    """Whether decoding stopped well before the end the header promised (the rule load_audio uses:
    under 90 % of it, give or take a second)."""
    return expected is not None and reached + _TRUNCATED_SLACK_S < 0.9 * expected


def _save(image: Any, video_key: str, time: float) -> str:
    from agentkit.workspace import workspace_path

    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    data = buffer.getvalue()
    path = workspace_path("frames", f"{video_key}-{round(time * 1000):08d}ms-"
                                    f"{hashlib.sha256(data).hexdigest()[:8]}.png")
    if not path.exists():
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return str(path)
