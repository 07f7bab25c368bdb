"""Safe opening of audio and video files: every media file agentkit reads goes through ``open_media``.

Contract (the image rules of ``agentkit.vision.images``, extended to sound and video):
- a path is opened once through ``agentkit.files.open_user_file`` and the allowed roots are
  checked on where that open really landed: the image roots (the current folder, or what
  ``agentkit.vision.set_image_roots`` set; ``AGENTKIT_IMAGE_ROOTS``; the workspace);
  devices, fifos, sockets and link loops are refused;
- the container is recognised from its first bytes, never from its name, and only the
  demuxer of an allowed container runs (``ALLOWED_FORMATS``: MP4/MOV/M4A, Matroska/WebM,
  AVI, WAV, MP3, Ogg, FLAC); FFmpeg never probes the file with its other demuxers
  (playlists, ``concat`` and friends would open other files);
- a name's extension must match the container inside (a missing extension is fine);
- file size, duration and video resolution are checked from the container header before
  anything is decoded (``MAX_FILE_BYTES``, ``MAX_DURATION_S``, ``MAX_PIXELS``); decoders
  check the duration again as they go, so a header that lies cannot make them run longer;
- empty, unrecognised, truncated and corrupt files are refused at once.
Every refusal is a ``MediaError`` (a ``UserError``) naming the file and what is allowed.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentkit.errors import FileOutsideRootsError, FileTooLargeError, MediaAccessError, MediaError, UserFileError
from agentkit.extras import require
from agentkit.files import open_user_file, shown

__all__ = [
    "ALLOWED_FORMATS",
    "AUDIO_EXTENSIONS",
    "MAX_DURATION_S",
    "MAX_FILE_BYTES",
    "MAX_PIXELS",
    "VIDEO_EXTENSIONS",
    "MediaInfo",
    "allowed_list",
    "decode_error",
    "format_time",
    "media_type",
    "open_media",
    "probe_media",
]

MAX_FILE_BYTES = 512 * 2**20
MAX_DURATION_S = 2 * 3600.0  # two hours: about six minutes of tiny.en transcription on two cores
MAX_PIXELS = 3840 * 2160  # 4K UHD


@dataclass(frozen=True, kw_only=True)
class _Container:
    label: str  # what messages call it
    demuxer: str  # the one FFmpeg demuxer that may read it
    extensions: tuple[str, ...]


# Recognised from the first bytes (see ``_sniff``), each with its one demuxer and the
# extensions a file holding it may have.
ALLOWED_FORMATS: dict[str, _Container] = {c.label: c for c in (
    _Container(label="MP4", demuxer="mov", extensions=(".mp4", ".m4v", ".m4a", ".mov", ".3gp")),
    _Container(label="Matroska", demuxer="matroska", extensions=(".mkv", ".webm", ".mka")),
    _Container(label="AVI", demuxer="avi", extensions=(".avi",)),
    _Container(label="WAV", demuxer="wav", extensions=(".wav", ".wave")),
    _Container(label="MP3", demuxer="mp3", extensions=(".mp3",)),
    _Container(label="Ogg", demuxer="ogg", extensions=(".ogg", ".oga", ".ogv", ".opus")),
    _Container(label="FLAC", demuxer="flac", extensions=(".flac",)),
)}
VIDEO_EXTENSIONS = (".mp4", ".m4v", ".mov", ".3gp", ".mkv", ".webm", ".avi", ".ogv")
AUDIO_EXTENSIONS = (".wav", ".wave", ".mp3", ".m4a", ".mka", ".ogg", ".oga", ".opus", ".flac")
_MP4_ATOMS = (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip")


def allowed_list() -> str:
    return ", ".join(f"{c.label} ({'/'.join(c.extensions)})" for c in ALLOWED_FORMATS.values())


def media_type(path: Any) -> str:
    """``"video"``, ``"audio"`` or ``""`` from a file name's extension alone (for routing a
    run by the kind of file it was given; opening the file checks what it really holds)."""
    suffix = Path(str(path or "")).suffix.lower()
    if suffix in VIDEO_EXTENSIONS:
        return "video"
    if suffix in AUDIO_EXTENSIONS:
        return "audio"
    return ""


def format_time(seconds: float) -> str:
    """``m:ss`` (``h:mm:ss`` from an hour on): how a timeline and a story cite a moment."""
    whole = int(max(0.0, seconds) + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _sniff(head: bytes) -> _Container | None:
    """The allowed container these first bytes start, or ``None``."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return ALLOWED_FORMATS["WAV"]
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return ALLOWED_FORMATS["AVI"]
    if head[4:8] in _MP4_ATOMS:
        return ALLOWED_FORMATS["MP4"]
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return ALLOWED_FORMATS["Matroska"]
    if head[:4] == b"OggS":
        return ALLOWED_FORMATS["Ogg"]
    if head[:4] == b"fLaC":
        return ALLOWED_FORMATS["FLAC"]
    if head[:3] == b"ID3" or _mp3_frames(head):
        return ALLOWED_FORMATS["MP3"]
    return None


_MP3_KBPS = {1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),  # MPEG-1 layer III
             2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)}  # MPEG-2 and 2.5


def _mp3_frame_length(head: bytes, at: int) -> int:
    """The length of the MPEG layer III frame whose header starts at ``at`` (0: no such header)."""
    if len(head) < at + 4 or head[at] != 0xFF or head[at + 1] & 0xE0 != 0xE0:
        return 0
    version, layer = (head[at + 1] >> 3) & 3, (head[at + 1] >> 1) & 3
    rate_index, sample_index, padding = head[at + 2] >> 4, (head[at + 2] >> 2) & 3, (head[at + 2] >> 1) & 1
    if version == 1 or layer != 1 or rate_index in (0, 15) or sample_index == 3:
        return 0
    mpeg1 = version == 3
    sample_rate = (44_100, 48_000, 32_000)[sample_index] // (1 if mpeg1 else 2 if version == 2 else 4)
    kbps = _MP3_KBPS[1 if mpeg1 else 2][rate_index]
    return (144 if mpeg1 else 72) * kbps * 1000 // sample_rate + padding


def _mp3_frames(head: bytes) -> bool:
    """An MP3 without an ID3 tag: two layer III frame headers in a row, the second where the
    first one's length says (random bytes that start like one almost never do this)."""
    length = _mp3_frame_length(head, 0)
    return bool(length) and bool(_mp3_frame_length(head, length))


def _check_wav_length(head: bytes, size: int, name: str) -> None:
    """A WAV file whose ``data`` chunk claims more bytes than the file holds is truncated (FFmpeg
    quietly takes the file's length instead).  Streamed WAVs that leave the size 0 or 0xFFFFFFFF
    (unknown) pass."""
    at, byte_rate = 12, 0
    while at + 8 <= len(head):
        chunk, length = head[at:at + 4], struct.unpack_from("<I", head, at + 4)[0]
        if chunk == b"fmt " and at + 16 <= len(head):
            byte_rate = struct.unpack_from("<I", head, at + 16)[0]
        if chunk == b"data":
            held = size - (at + 8)
            if byte_rate and length not in (0, 0xFFFFFFFF) and length > held + byte_rate // 10:
                raise MediaError(f"media file {shown(name)} is truncated: its header says {length / byte_rate:.1f} s "
                                 f"of sound, the file holds {max(held, 0) / byte_rate:.1f} s; re-save or re-export it")
            return
        at += 8 + length + (length & 1)


@dataclass(frozen=True, kw_only=True)
class MediaInfo:
    """What the container header says about a media file (nothing decoded yet)."""

    name: str  # as given, for messages
    path: str  # where it really is (links followed)
    format: str  # the container, e.g. "MP4"
    kind: str  # "video" (it has a picture track) or "audio"
    duration: float | None  # seconds, when the header says
    file_bytes: int
    width: int = 0
    height: int = 0
    fps: float | None = None
    video_codec: str = ""
    audio_codec: str = ""
    sample_rate: int = 0
    channels: int = 0

    @property
    def has_audio(self) -> bool:
        return bool(self.audio_codec)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON data (for tool results)."""
        data: dict[str, Any] = {"format": self.format, "kind": self.kind, "duration": _round(self.duration),
                                "file_bytes": self.file_bytes}
        if self.kind == "video":
            data.update(width=self.width, height=self.height, fps=_round(self.fps), video_codec=self.video_codec)
        if self.audio_codec:
            data.update(audio_codec=self.audio_codec, sample_rate=self.sample_rate, channels=self.channels)
        return data


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _av() -> Any:
    require("media", "av", what="reading audio and video")
    import av

    return av


def _refuse_user_file(name: str, exc: UserFileError) -> MediaError:
    from agentkit.vision.images import ENV_ROOTS

    if isinstance(exc, FileOutsideRootsError):
        return MediaAccessError(
            f"media file {shown(name)} (resolved to {shown(exc.real_path)}) is outside the allowed folders: "
            f"{', '.join(exc.roots)}; add its folder to {ENV_ROOTS} (separated by {os.pathsep!r}) or call "
            f"agentkit.vision.set_image_roots([...]) (media files share the image folders)")
    if isinstance(exc, FileTooLargeError):
        return MediaError(f"media file {shown(name)} {exc.reason} (the largest media file allowed)")
    return MediaError(f"media file {shown(name)} {exc.reason}")


def _header(container: Any, fmt: _Container, name: str, real: str, size: int) -> MediaInfo:
    video = next((s for s in container.streams.video if not _attached_picture(s)), None)
    audio = next(iter(container.streams.audio), None)
    if video is None and audio is None:
        raise MediaError(f"media file {shown(name)} is a {fmt.label} container with no audio or video track")
    duration = container.duration / 1_000_000 if container.duration and container.duration > 0 else None
    if duration is None:
        lengths = [s.duration * s.time_base for s in (video, audio) if s is not None and s.duration and s.time_base]
        duration = float(max(lengths)) if lengths else None
    fields: dict[str, Any] = {}
    if video is not None:
        ctx = video.codec_context
        rate = video.average_rate or video.guessed_rate
        fields.update(width=int(ctx.width or 0), height=int(ctx.height or 0), fps=float(rate) if rate else None,
                      video_codec=ctx.name or "")
    if audio is not None:
        ctx = audio.codec_context
        fields.update(audio_codec=ctx.name or "unknown", sample_rate=int(ctx.sample_rate or 0),
                      channels=int(getattr(ctx, "channels", 0) or 0))
    return MediaInfo(name=name, path=real, format=fmt.label, kind="video" if video is not None else "audio",
                     duration=duration, file_bytes=size, **fields)


def _attached_picture(stream: Any) -> bool:
    """A cover image inside an audio file (an MP3's album art) is not a video track."""
    try:
        import av

        return bool(stream.disposition & av.stream.Disposition.attached_pic)
    except (AttributeError, TypeError, ImportError):
        return False


def _check_caps(info: MediaInfo, *, max_duration: float, max_pixels: int) -> None:
    if info.duration is not None and info.duration > max_duration:
        raise MediaError(f"media file {shown(info.name)} lasts {format_time(info.duration)} "
                         f"({info.duration:,.0f} s); the longest allowed is {format_time(max_duration)}")
    if info.kind == "video":
        if info.width <= 0 or info.height <= 0:
            raise MediaError(f"video {shown(info.name)} has no picture size in its header "
                             f"({info.width} x {info.height}); it is corrupt")
        if info.width * info.height > max_pixels:
            raise MediaError(f"video {shown(info.name)} is {info.width} x {info.height} = "
                             f"{info.width * info.height:,} pixels a frame; the most allowed is {max_pixels:,} (4K)")


@contextmanager
def open_media(source: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES,
               max_duration: float = MAX_DURATION_S, max_pixels: int = MAX_PIXELS) -> Iterator[tuple[MediaInfo, Any]]:
    """Open and check a media file (see the module's contract); yields ``(info, container)``,
    the container an open PyAV input ready to decode.  Every refusal is a ``MediaError``."""
    av = _av()
    name = os.fspath(source) if isinstance(source, (str, os.PathLike)) else str(source)
    if not isinstance(source, (str, os.PathLike)):
        raise MediaError(f"a media file is given by its path, not {type(source).__name__}")
    try:
        opened = open_user_file(Path(name).expanduser(), max_bytes=max_bytes, roots=_roots(), what="media file")
    except UserFileError as exc:
        raise _refuse_user_file(name, exc) from None
    with opened:
        if opened.size == 0:
            raise MediaError(f"media file {shown(name)} is an empty file; expected one of: {allowed_list()}")
        raw = io.FileIO(opened.fd, "rb", closefd=False)
        stream = io.BufferedReader(raw, buffer_size=1 << 16)
        fmt = _sniff(stream.peek(4096)[:4096])
        if fmt is None:
            raise MediaError(f"{shown(name)} is not an audio or video file agentkit reads (its first bytes match "
                             f"no allowed container); allowed: {allowed_list()}")
        if fmt.label == "WAV":
            _check_wav_length(stream.peek(4096)[:4096], opened.size, name)
        suffix = opened.real_path.suffix.lower()
        if suffix and suffix not in fmt.extensions:
            raise MediaError(f"media file {shown(name)} is named {suffix} but holds {fmt.label} data; rename it to "
                             f"{fmt.extensions[0]} (a name's extension must match its format)")
        try:
            container = av.open(stream, mode="r", format=fmt.demuxer, metadata_errors="ignore",
                                options={"probesize": "5000000", "analyzeduration": "5000000"})
        except (av.error.FFmpegError, OSError, ValueError, UnicodeDecodeError) as exc:
            raise MediaError(f"media file {shown(name)} is truncated or corrupt: it does not read as {fmt.label} "
                             f"({_reason(exc)})") from None
        try:
            info = _header(container, fmt, name, str(opened.real_path), opened.size)
            _check_caps(info, max_duration=max_duration, max_pixels=max_pixels)
            yield info, container
        finally:
            container.close()


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return " ".join(str(text).split())[:200]


def decode_error(info: MediaInfo, exc: BaseException, at: float | None) -> MediaError:
    """The error for a file that failed while it was being decoded."""
    where = f" at {format_time(at)}" if at is not None else ""
    return MediaError(f"media file {shown(info.name)} is truncated or corrupt{where} ({_reason(exc)}); "
                      f"re-save or re-export it")


def _roots() -> list[Path]:
    from agentkit.vision.images import image_roots

    return image_roots()


def probe_media(source: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES,
                max_duration: float = MAX_DURATION_S, max_pixels: int = MAX_PIXELS) -> MediaInfo:
    """Check a media file from its container header alone (see the module's contract)."""
    with open_media(source, max_bytes=max_bytes, max_duration=max_duration, max_pixels=max_pixels) as (info, _):
        return info
