"""Drawing helpers shared by the quality sets' render scripts (dev/render.py, heldout/render.py).

Only layout lives here; every word, number and picture a set uses is in its own script. Each
helper returns a Pillow image (or writes a file) deterministically for fixed library versions.

Needs Pillow, numpy, opencv-python-headless (QR codes) and scikit-image (photos), all in
agentkit's dev environment, and reportlab for the PDF documents (generation only:
``.venv/bin/pip install reportlab``; agentkit itself does not depend on it).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))
_FACES = {("sans", False): "DejaVuSans.ttf", ("sans", True): "DejaVuSans-Bold.ttf",
          ("mono", False): "DejaVuSansMono.ttf", ("mono", True): "DejaVuSansMono-Bold.ttf",
          ("serif", False): "DejaVuSerif.ttf", ("serif", True): "DejaVuSerif-Bold.ttf"}


def font(size: int, *, bold: bool = False, kind: str = "sans") -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A DejaVu font when the system has it, else Pillow's bundled default font at ``size``."""
    name = _FACES[(kind, bold)]
    for folder in _FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)


def receipt(header: Sequence[str], rows: Sequence[tuple[str, str]], footer: Sequence[str], *,
            width: int = 620, size: int = 26, paper: tuple[int, int, int] = (252, 251, 246)) -> Image.Image:
    """A till receipt: centred header lines, item rows with right-aligned prices ("" for a rule
    line), then centred footer lines. Rows whose label starts with "*" are drawn bold (the *)
    is dropped)."""
    regular, bold = font(size, kind="mono"), font(size, bold=True, kind="mono")
    step = int(size * 1.6)
    height = 40 + step * (len(header) + len(rows) + len(footer) + 2)
    image = Image.new("RGB", (width, height), paper)
    draw = ImageDraw.Draw(image)
    y = 24
    for line in header:
        w = draw.textlength(line, font=bold)
        draw.text(((width - w) / 2, y), line, fill=(20, 20, 20), font=bold)
        y += step
    y += step // 2
    for label, price in rows:
        if label == "-":
            draw.line((24, y + step // 2, width - 24, y + step // 2), fill=(90, 90, 90), width=2)
            y += step
            continue
        face = bold if label.startswith("*") else regular
        label = label.lstrip("*")
        draw.text((28, y), label, fill=(20, 20, 20), font=face)
        if price:
            draw.text((width - 28 - draw.textlength(price, font=face), y), price, fill=(20, 20, 20), font=face)
        y += step
    y += step // 2
    for line in footer:
        w = draw.textlength(line, font=regular)
        draw.text(((width - w) / 2, y), line, fill=(40, 40, 40), font=regular)
        y += step
    return image


def qr_code(payload: str, *, module: int = 7, border: int = 14) -> Image.Image:
    """A QR code of ``payload`` (OpenCV's encoder), ``module`` pixels per module, white border."""
    import cv2

    code = cv2.QRCodeEncoder.create().encode(payload)
    code = cv2.resize(code, None, fx=module, fy=module, interpolation=cv2.INTER_NEAREST)
    code = cv2.copyMakeBorder(code, border, border, border, border, cv2.BORDER_CONSTANT, value=255)
    return Image.fromarray(code).convert("RGB")


def poster(title: Sequence[str], lines: Sequence[str], qr_payload: str, *, caption: str,
           band: tuple[int, int, int], paper: tuple[int, int, int], size: tuple[int, int] = (760, 1040)
           ) -> Image.Image:
    """An event poster: a coloured title band, text lines, and a QR code with a caption under it."""
    width, height = size
    image = Image.new("RGB", size, paper)
    draw = ImageDraw.Draw(image)
    big, body, small = font(52, bold=True), font(32), font(24)
    band_height = 60 + 66 * len(title)
    draw.rectangle((0, 0, width, band_height), fill=band)
    for n, line in enumerate(title):
        draw.text((40, 36 + n * 66), line, fill="white", font=big)
    y = band_height + 40
    for line in lines:
        draw.text((40, y), line, fill=(30, 30, 30), font=body)
        y += 52
    code = qr_code(qr_payload)
    top = max(y + 20, height - code.height - 70)
    image.paste(code, (40, top))
    draw.text((40, top + code.height + 12), caption, fill=(60, 60, 60), font=small)
    return image


def dialog(window_title: str, heading: str, message: Sequence[str], buttons: Sequence[str], *,
           default: int = 0, size: tuple[int, int] = (900, 480), accent: tuple[int, int, int] = (200, 40, 40)
           ) -> Image.Image:
    """A desktop error dialog: title bar, a round warning icon, a heading, message lines and a
    row of buttons (``default`` is drawn highlighted), on a greyish desktop."""
    width, height = size
    image = Image.new("RGB", (width + 80, height + 80), (58, 84, 110))
    draw = ImageDraw.Draw(image)
    left, top = 40, 40
    draw.rectangle((left, top, left + width, top + height), fill=(246, 246, 246), outline=(120, 120, 120))
    draw.rectangle((left, top, left + width, top + 52), fill=(228, 228, 232))
    draw.text((left + 20, top + 12), window_title, fill=(30, 30, 30), font=font(24))
    draw.text((left + width - 40, top + 10), "x", fill=(60, 60, 60), font=font(26))
    cx, cy = left + 70, top + 130
    draw.ellipse((cx - 34, cy - 34, cx + 34, cy + 34), fill=accent)
    draw.text((cx - 8, cy - 26), "!", fill="white", font=font(44, bold=True))
    draw.text((left + 130, top + 88), heading, fill=(20, 20, 20), font=font(32, bold=True))
    y = top + 150
    for line in message:
        draw.text((left + 130, y), line, fill=(40, 40, 40), font=font(24))
        y += 38
    body = font(24)
    x = left + width - 30
    for n, label in reversed(list(enumerate(buttons))):
        w = int(draw.textlength(label, font=body)) + 56
        box = (x - w, top + height - 80, x, top + height - 30)
        if n == default:
            draw.rounded_rectangle(box, radius=6, fill=(30, 100, 200))
            draw.text((box[0] + 28, box[1] + 11), label, fill="white", font=body)
        else:
            draw.rounded_rectangle(box, radius=6, fill=(255, 255, 255), outline=(140, 140, 140), width=2)
            draw.text((box[0] + 28, box[1] + 11), label, fill=(30, 30, 30), font=body)
        x -= w + 20
    return image


def scanned_page(lines: Sequence[str], *, angle: float, seed: int, size: tuple[int, int] = (1100, 1400),
                 heading_lines: int = 1) -> Image.Image:
    """A page of typed text as a flatbed scan: off-white paper, a slight skew, grain, a soft blur
    and a darker edge. The first ``heading_lines`` lines are bold."""
    width = size[0]
    page = Image.new("L", size, 238)
    draw = ImageDraw.Draw(page)
    y = 110
    for n, line in enumerate(lines):
        face = font(34, bold=True, kind="serif") if n < heading_lines else font(27, kind="serif")
        draw.text((100, y), line, fill=35, font=face)
        y += 56 if n < heading_lines else 44
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=200, expand=False)
    rng = np.random.default_rng(seed)
    pixels = np.asarray(page, dtype=np.float32)
    pixels += rng.normal(0, 9, pixels.shape)
    shade = np.linspace(0, 1, width)[None, :] ** 6 * 45  # a darker right edge, as a lid leaves
    pixels -= shade
    page = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.7))
    return page.convert("RGB")


def save_photo(array: np.ndarray, path: Path, *, size: tuple[int, int] | None = None,
               exif: dict[int, str] | None = None, exif_ifd: dict[int, str] | None = None) -> None:
    """Save an RGB array as a JPEG, optionally resized, with EXIF main tags (0x010F make,
    0x0110 model...) and Exif-IFD tags (0x9003 DateTimeOriginal...)."""
    image = Image.fromarray(array).convert("RGB")
    if size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    data = Image.Exif()
    for tag, value in (exif or {}).items():
        data[tag] = value
    if exif_ifd:
        ifd = data.get_ifd(0x8769)
        for tag, value in exif_ifd.items():
            ifd[tag] = value
    image.save(path, "JPEG", quality=90, exif=data.tobytes())


def pdf(path: Path, title: str, subtitle: str, sections: Sequence[tuple[str, Sequence[str]]]) -> None:
    """A text PDF (reportlab) with a title, a subtitle and sections of plain-text paragraphs (``&`` and
    ``<`` are escaped); a paragraph starting with "- " is a bullet."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    story = [Paragraph(escape(title), styles["Title"]), Paragraph(escape(subtitle), styles["Italic"]),
             Spacer(1, 6 * mm)]
    for heading, paragraphs in sections:
        story.append(Paragraph(escape(heading), styles["Heading2"]))
        for text in paragraphs:
            if text.startswith("- "):
                story.append(Paragraph(escape(text[2:]), styles["BodyText"], bulletText="\u2022"))
            else:
                story.append(Paragraph(escape(text), styles["BodyText"]))
        story.append(Spacer(1, 3 * mm))
    document = SimpleDocTemplate(str(path), pagesize=A4, title=title, author="agentkit quality set",
                                 leftMargin=22 * mm, rightMargin=22 * mm, topMargin=20 * mm, bottomMargin=20 * mm,
                                 invariant=1)
    document.build(story)
