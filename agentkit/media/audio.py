"""The sound of an audio or video file as 16 kHz mono samples, decoded with PyAV (no system ffmpeg).

``load_audio`` opens the file through ``open_media`` (roots, format, caps from the header),
decodes its first audio track, and stops with a ``MediaError`` when the decoded sound runs
past the duration cap (a header that under-states its length) or when it is much shorter
than the header says (a truncated file).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from agentkit.errors import MediaError
from agentkit.files import shown
from agentkit.media.probe import MAX_DURATION_S, MediaInfo, decode_error, format_time, open_media

__all__ = ["SAMPLE_RATE", "load_audio"]

SAMPLE_RATE = 16_000  # what Whisper listens at
_TRUNCATED_SLACK_S = 1.0


def load_audio(source: str | os.PathLike[str], *, sample_rate: int = SAMPLE_RATE,
               max_duration: float = MAX_DURATION_S, silent_video_ok: bool = False) -> tuple[np.ndarray, MediaInfo]:
    """``(samples, info)``: the first audio track as float32 mono in [-1, 1] at ``sample_rate``.

    A file with no audio track is a ``MediaError``, except a video with ``silent_video_ok``
    (no samples: a silent film has a story too)."""
    import av

    with open_media(source, max_duration=max_duration) as (info, container):
        if not container.streams.audio and silent_video_ok and info.kind == "video":
            return np.zeros(0, dtype=np.float32), info
        if not container.streams.audio:
            raise MediaError(f"media file {shown(info.name)} has no audio track ({info.format} {info.kind}); "
                             f"there is nothing to transcribe")
        stream = container.streams.audio[0]
        stream.thread_type = "AUTO"
        expected = _stream_seconds(stream)
        resampler = av.AudioResampler(format="s16", layout="mono", rate=sample_rate)
        limit = int((max_duration + 1.0) * sample_rate)
        chunks: list[np.ndarray] = []
        total = 0
        at: float | None = None
        try:
            for frame in container.decode(stream):
                at = frame.time
                for out in resampler.resample(frame):
                    total += _append(chunks, out)
                if total > limit:
                    raise MediaError(f"media file {shown(info.name)} has more than {format_time(max_duration)} of "
                                     f"sound (more than its header said); the longest allowed is "
                                     f"{format_time(max_duration)}")
            for out in resampler.resample(None):
                total += _append(chunks, out)
        except (av.error.FFmpegError, OSError, ValueError) as exc:
            raise decode_error(info, exc, at) from None
    decoded = total / sample_rate
    if expected and decoded + _TRUNCATED_SLACK_S < 0.9 * expected:
        raise MediaError(f"media file {shown(info.name)} is truncated: its header says {expected:.1f} s of sound, "
                         f"only {decoded:.1f} s could be decoded; re-save or re-export it")
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    return samples, info


def _append(chunks: list[np.ndarray], frame: Any) -> int:
    data = frame.to_ndarray().reshape(-1).astype(np.float32) / 32768.0
    chunks.append(data)
    return int(data.shape[0])


def _stream_seconds(stream: Any) -> float | None:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return None
