"""Images the vision tests make themselves: rendered text, QR codes, a bundled photo, bad files."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont


def render_lines(lines: list[str], *, size: int = 36, width: int = 640) -> Image.Image:
    """Black text on white, one line per entry, in Pillow's bundled scalable font."""
    font = ImageFont.load_default(size=size)
    image = Image.new("RGB", (width, 40 + len(lines) * (size + 24)), "white")
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((24, 20 + n * (size + 24)), line, fill="black", font=font)
    return image


def render_receipt() -> Image.Image:
    """A shop receipt: vendor, date, items with prices on the right, a total."""
    font = ImageFont.load_default(size=30)
    rows = [("GREEN LEAF GROCERY", None), ("12 Market Street", None), ("Date: 2024-03-15", None),
            ("Bread", "2.50"), ("Milk", "1.25"), ("Apples", "3.40"), ("TOTAL", "7.15"), ("Thank you!", None)]
    image = Image.new("RGB", (520, 40 + len(rows) * 52), "white")
    draw = ImageDraw.Draw(image)
    for n, (left, right) in enumerate(rows):
        y = 20 + n * 52
        draw.text((24, y), left, fill="black", font=font)
        if right:
            draw.text((400, y), right, fill="black", font=font)
    return image


def qr_image(payload: str, *, module_px: int = 8, border: int = 40) -> Image.Image:
    """A QR code made with OpenCV's encoder, scaled up, with a white quiet zone."""
    import cv2

    code = cv2.QRCodeEncoder.create().encode(payload)
    code = cv2.resize(code, None, fx=module_px, fy=module_px, interpolation=cv2.INTER_NEAREST)
    code = cv2.copyMakeBorder(code, border, border, border, border, cv2.BORDER_CONSTANT, value=255)
    return Image.fromarray(code)


def astronaut() -> Image.Image:
    """A real photograph with one face (Eileen Collins), shipped inside scikit-image's wheel."""
    from skimage import data

    return Image.fromarray(data.astronaut())


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels (valid signature, IHDR and CRCs) with
    almost no pixel data: enough to test the size guard without allocating the image."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


def encoded(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def solid(colour: str, size: tuple[int, int] = (64, 48)) -> Image.Image:
    return Image.new("RGB", size, colour)


def noise(size: tuple[int, int] = (200, 150), seed: int = 0) -> Image.Image:
    return Image.fromarray(np.random.default_rng(seed).integers(0, 255, (size[1], size[0], 3), dtype=np.uint8))


def text_strip(width: int, height: int, text: str, *, size: int = 14) -> Image.Image:
    """One line of black text on a white strip ``width`` x ``height`` (e.g. 4,000 x 20)."""
    image = Image.new("RGB", (width, height), "white")
    font = ImageFont.load_default(size=size)
    ImageDraw.Draw(image).text((4, (height - size) // 2 - 2), text, fill="black", font=font)
    return image
