"""Media tools: speech to text, video keyframes, a video's timeline, and charts.

langchain-core tools registered by name through the ``agentkit.tools`` entry points, usable as
``tool`` nodes and in an ``agent`` node's ``tools``.  Each returns plain JSON data.  The work
is done in ``agentkit.media``; each tool checks its own extra when it is called (decoding and
transcription: ``agentkit[media]``; keyframes also need Pillow from ``agentkit[vision]``;
charts: ``agentkit[chart]``), so the chart tool works without the media packages and the
other way round.
"""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.tools import tool
from pydantic import BaseModel, Field

from agentkit.media import chart as charts
from agentkit.media import frames, timeline, whisper
from agentkit.media.frames import MAX_KEYFRAMES

__all__ = ["chart", "media_timeline", "transcribe", "video_frames"]


class TranscribeArgs(BaseModel):
    media: str = Field(description="Path of the audio or video file (WAV, MP3, M4A, OGG, FLAC, MP4, MKV, WebM...).")
    model: Literal["tiny.en", "base"] = Field(default="tiny.en",
                                              description="tiny.en: fast, English; base: slower, multilingual.")
    language: str | None = Field(default=None, max_length=8,
                                 description="ISO code of the spoken language, e.g. 'en' (none: detected).")
    text_only: bool = Field(default=False, description="Return only the text.")


class FramesArgs(BaseModel):
    video: str = Field(description="Path of the video file.")
    max_frames: int = Field(default=8, ge=1, le=MAX_KEYFRAMES, description="Most keyframes to return.")
    threshold: float = Field(default=0.03, gt=0.0, le=1.0,
                             description="Share of the picture that must change for a new keyframe.")
    frames_only: bool = Field(default=False, description="Return only the list of frames.")


class TimelineArgs(BaseModel):
    transcript: Any = Field(default=None, description="What transcribe returned (or its segments).")
    keyframes: Any = Field(default=None, description="What video_frames returned (or its frames).")
    images: list[Any] | None = Field(default=None, description="Each examined keyframe (or its image path).")
    texts: list[Any] | None = Field(default=None, description="OCR text of each image, in the same order.")
    codes: list[Any] | None = Field(default=None, description="read_qr result of each image, in the same order.")
    faces: list[Any] | None = Field(default=None, description="detect_faces result of each image, same order.")
    colors: list[Any] | None = Field(default=None, description="inspect_image result of each image, same order.")
    summary: str | None = Field(default=None, max_length=4000,
                                description="A paragraph to put before the timeline's lines (a story's gist).")
    text_only: bool = Field(default=False, description="Return only the timeline's text.")


class ChartArgs(BaseModel):
    type: Literal["bar", "line", "pie", "table"] = Field(description="The kind of chart.")
    title: str = Field(max_length=80, description="The chart's title.")
    labels: list[str] = Field(min_length=1, max_length=24, description="One name per value (the x axis, the slices).")
    values: list[float] = Field(min_length=1, max_length=24, description="One number per label.")
    x_label: str | None = Field(default=None, max_length=40, description="Name of the x axis.")
    y_label: str | None = Field(default=None, max_length=40, description="Name of the y axis (the values).")
    width: int = Field(default=800, ge=200, le=4000, description="Width in pixels.")
    height: int = Field(default=500, ge=150, le=4000, description="Height in pixels.")


@tool("transcribe", args_schema=TranscribeArgs)
def transcribe(media: str, model: str = "tiny.en", language: str | None = None, text_only: bool = False) -> Any:
    """Turn the speech in an audio or video file into text. Returns {"text", "segments": [{"start", "end",
    "text"}], "language", "duration"} with times in seconds; silence gives empty text."""
    result = whisper.transcribe(media, model=model, language=language)
    return result["text"] if text_only else result


@tool("video_frames", args_schema=FramesArgs)
def video_frames(video: str, max_frames: int = 8, threshold: float = 0.03, frames_only: bool = False) -> Any:
    """Pick a video's keyframes (where the picture changes) and save them as PNG images the vision tools read.
    Returns {"frames": [{"time", "timestamp", "path", "width", "height", "change"}], "duration", ...}."""
    result = frames.keyframes(video, max_frames=max_frames, threshold=threshold)
    return result["frames"] if frames_only else result


@tool("media_timeline", args_schema=TimelineArgs)
def media_timeline(transcript: Any = None, keyframes: Any = None, images: list[Any] | None = None,
                   texts: list[Any] | None = None, codes: list[Any] | None = None, faces: list[Any] | None = None,
                   colors: list[Any] | None = None, summary: str | None = None, text_only: bool = False) -> Any:
    """Merge a transcript and what was seen in a video's keyframes into one timeline, each line starting with
    its [m:ss] moment. Returns {"text", "events"}."""
    result = timeline.build_timeline(transcript, keyframes, images=images, texts=texts, codes=codes, faces=faces,
                                     colors=colors, summary=summary)
    return result["text"] if text_only else result


@tool("chart", args_schema=ChartArgs)
def chart(type: str, title: str, labels: list[str], values: list[float], x_label: str | None = None,
          y_label: str | None = None, width: int = 800, height: int = 500) -> dict[str, Any]:
    """Draw a bar, line or pie chart or a table of labelled numbers as a PNG image. Returns {"path", "width",
    "height", "spec"}."""
    spec: dict[str, Any] = {"type": type, "title": title, "labels": labels, "values": values}
    spec.update({k: v for k, v in (("x_label", x_label), ("y_label", y_label)) if v})
    return charts.render_chart(spec, width=width, height=height)
