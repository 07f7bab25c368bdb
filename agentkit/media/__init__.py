"""Media: audio and video files opened safely, speech to text, keyframes, timelines, charts.

A service like ``agentkit.vision``: it knows nothing of the engine.  The langchain-core
tools are in ``agentkit.tools.media``; the video -> story and audio -> notes graphs are
``graphs/video_story.yaml`` and ``graphs/audio_notes.yaml``; the ``chart`` node kind is
``agentkit.nodes.chart``.  Decoding and transcription need ``pip install 'agentkit[media]'``
(PyAV, faster-whisper, Whisper tiny.en); charts need ``agentkit[chart]`` (matplotlib).
"""

from agentkit.errors import ChartError, MediaAccessError, MediaError
from agentkit.media.audio import load_audio
from agentkit.media.chart import CHART_SCHEMA, CHART_TYPES, check_chart_spec, render_chart, ungrounded_values
from agentkit.media.frames import keyframes
from agentkit.media.probe import (
    ALLOWED_FORMATS,
    MAX_DURATION_S,
    MAX_FILE_BYTES,
    MAX_PIXELS,
    MediaInfo,
    format_time,
    media_type,
    open_media,
    probe_media,
)
from agentkit.media.timeline import build_timeline
from agentkit.media.whisper import DEFAULT_WHISPER, WHISPER_MODELS, resolve_whisper, transcribe

__all__ = [
    # opening files safely
    "ALLOWED_FORMATS",
    "MAX_DURATION_S",
    "MAX_FILE_BYTES",
    "MAX_PIXELS",
    "MediaAccessError",
    "MediaError",
    "MediaInfo",
    "media_type",
    "open_media",
    "probe_media",
    # sound and pictures over time
    "build_timeline",
    "format_time",
    "keyframes",
    "load_audio",
    "transcribe",
    # speech models
    "DEFAULT_WHISPER",
    "WHISPER_MODELS",
    "resolve_whisper",
    # charts
    "CHART_SCHEMA",
    "CHART_TYPES",
    "ChartError",
    "check_chart_spec",
    "render_chart",
    "ungrounded_values",
]

