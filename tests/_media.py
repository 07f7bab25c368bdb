"""Media the tests make themselves: speech spoken by espeak-ng, videos encoded with PyAV from rendered
frames (text, a QR code, a face from scikit-image's astronaut), with that speech as their sound."""

from __future__ import annotations

import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests._images import astronaut, qr_image, render_lines

SPEECH = ("Welcome to the quarterly report. Sales grew by twelve percent this quarter. "
          "Scan the code on the screen for the details.")
TITLE_LINES = ["QUARTERLY REPORT", "Sales up 12%"]
QR_PAYLOAD = "agentkit video demo"
SIZE = (640, 360)


def espeak() -> str:
    """The espeak-ng program (installed by .ci/run); a test that needs speech fails without it."""
    found = shutil.which("espeak-ng")
    if found is None:
        pytest.fail("espeak-ng is not installed: apt-get install -y espeak-ng (.ci/run does this)")
    return found


def speak(text: str, path: Path, *, voice: str = "en-us", words_per_minute: int = 150) -> Path:
    """``text`` spoken by espeak-ng into the WAV file ``path`` (22,050 Hz mono)."""
    subprocess.run([espeak(), "-v", voice, "-s", str(words_per_minute), "-w", str(path), text], check=True,
                   capture_output=True, timeout=60)
    return path


def on_canvas(image: Image.Image, size: tuple[int, int] = SIZE, background: str = "white") -> Image.Image:
    """``image`` scaled to fit ``size`` and centred on a plain canvas."""
    picture = image.convert("RGB")
    picture.thumbnail(size)
    canvas = Image.new("RGB", size, background)
    canvas.paste(picture, ((size[0] - picture.width) // 2, (size[1] - picture.height) // 2))
    return canvas


def title_card() -> Image.Image:
    return on_canvas(render_lines(TITLE_LINES, size=44, width=600))


def qr_card() -> Image.Image:
    return on_canvas(qr_image(QR_PAYLOAD, module_px=8, border=24))


def face_card() -> Image.Image:
    return on_canvas(astronaut(), background="black")


def default_scenes(seconds: float = 4.0) -> list[tuple[Image.Image, float]]:
    """Three scenes, ``seconds`` each: the title card, the QR code, the astronaut."""
    return [(title_card(), seconds), (qr_card(), seconds), (face_card(), seconds)]


def make_video(path: Path, scenes: list[tuple[Image.Image, float]], *, audio: Path | None = None,
               fps: int = 10, codec: str = "libx264", audio_codec: str = "aac") -> Path:
    """Encode ``scenes`` (image, seconds) into ``path`` (the container from its extension), with the
    sound of the WAV file ``audio`` when given.  A little noise on each frame keeps it a real video."""
    import av

    rng = np.random.default_rng(0)
    with av.open(str(path), mode="w") as out:
        video = out.add_stream(codec, rate=fps)
        video.width, video.height = scenes[0][0].size
        video.pix_fmt = "yuv420p"
        sound = None
        if audio is not None:
            with av.open(str(audio)) as source:
                rate = source.streams.audio[0].rate
            sound = out.add_stream(audio_codec, rate=rate)
            sound.layout = "mono"
        for image, seconds in scenes:
            base = np.asarray(image.convert("RGB"), dtype=np.int16)
            for _ in range(round(seconds * fps)):
                noisy = np.clip(base + rng.integers(-3, 4, base.shape), 0, 255).astype(np.uint8)
                for packet in video.encode(av.VideoFrame.from_ndarray(noisy, format="rgb24")):
                    out.mux(packet)
        for packet in video.encode(None):
            out.mux(packet)
        if sound is not None and audio is not None:
            with av.open(str(audio)) as source:
                resampler = av.AudioResampler(format=sound.codec_context.format.name, layout="mono", rate=sound.rate)
                pts = 0
                for frame in source.decode(audio=0):
                    for converted in resampler.resample(frame):
                        converted.pts = pts
                        converted.time_base = Fraction(1, sound.rate)
                        pts += converted.samples
                        for packet in sound.encode(converted):
                            out.mux(packet)
            for packet in sound.encode(None):
                out.mux(packet)
    return path


def make_clip(folder: Path, *, name: str = "clip.mp4", seconds_per_scene: float = 4.0, text: str = SPEECH) -> Path:
    """The standard test clip: three scenes with ``text`` spoken over them."""
    wav = speak(text, folder / (Path(name).stem + "-speech.wav"))
    return make_video(folder / name, default_scenes(seconds_per_scene), audio=wav)


LONG_SPEECH = ("Welcome to the quarterly report of the Northwind company. This quarter our sales grew by twelve "
               "percent, and the new kettle was the best selling product in every region. Scan the code on the "
               "screen to read the full report. Our team leader will now present the results for each region. "
               "In the north, revenue reached four point two million. In the south, we opened three new shops. "
               "Next quarter we will hire ten engineers and launch the new website. Thank you for watching, and "
               "see you at the next meeting.")
LONG_CARDS = [["QUARTERLY REPORT", "Northwind"], ["NORTH", "Revenue 4.2 million"], ["SOUTH", "3 new shops"],
              ["NEXT QUARTER", "Hire 10 engineers"], ["THANK YOU"]]


def long_clip(folder: Path, *, name: str = "long.mp4") -> Path:
    """A 30-60 s clip (seven scenes: text cards, the QR code, the astronaut) with LONG_SPEECH over it."""
    wav = speak(LONG_SPEECH, folder / (Path(name).stem + "-speech.wav"))
    import av

    with av.open(str(wav)) as source:
        stream = source.streams.audio[0]
        seconds = float(stream.duration * stream.time_base)
    cards = [on_canvas(render_lines(lines, size=44, width=600)) for lines in LONG_CARDS]
    pictures = [cards[0], qr_card(), cards[1], face_card(), cards[2], cards[3], cards[4]]
    each = (seconds + 1.0) / len(pictures)
    return make_video(folder / name, [(picture, each) for picture in pictures], audio=wav)
