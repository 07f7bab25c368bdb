"""Make the sample images in examples/data/images (they are committed; re-run to rebuild).

    python examples/data/make_images.py

- ``receipt.png``: a shop receipt rendered with Pillow's bundled font (the shop and
  items belong to the sample documents' invented town).
- ``poster.png``: an event poster with a QR code (OpenCV's encoder).
- ``astronaut.jpg``: a real photograph with one face (Eileen Collins, NASA, public
  domain), downscaled from the copy in scikit-image's wheel (a dev dependency).

Nothing is downloaded; the output is deterministic for fixed library versions.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent / "images"

RECEIPT_ROWS = [("HARROWGATE HARDWARE", None), ("4 Mill Lane, Harrowgate", None), ("Date: 2026-10-03", None),
                ("Kettle descaler", "4.99"), ("Potting compost", "6.50"), ("Garden gloves", "3.25"),
                ("TOTAL", "14.74"), ("Paid by card. Thank you!", None)]


def receipt() -> Image.Image:
    font = ImageFont.load_default(size=28)
    image = Image.new("RGB", (560, 40 + len(RECEIPT_ROWS) * 50), "white")
    draw = ImageDraw.Draw(image)
    for n, (left, right) in enumerate(RECEIPT_ROWS):
        y = 20 + n * 50
        draw.text((24, y), left, fill="black", font=font)
        if right:
            draw.text((440, y), right, fill="black", font=font)
    return image


def poster() -> Image.Image:
    import cv2

    big, small = ImageFont.load_default(size=44), ImageFont.load_default(size=28)
    image = Image.new("RGB", (640, 760), (255, 244, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 640, 110), fill=(34, 102, 68))
    draw.text((32, 30), "HARROWGATE SPRING FAIR", fill="white", font=big)
    for n, line in enumerate(["Saturday 14 May 2027", "Market Square, 10:00 to 16:00",
                              "Plant stalls, bakery, brass band", "Entry free"]):
        draw.text((32, 150 + n * 52), line, fill=(30, 30, 30), font=small)
    code = cv2.QRCodeEncoder.create().encode("https://harrowgate.example/spring-fair")
    code = cv2.resize(code, None, fx=7, fy=7, interpolation=cv2.INTER_NEAREST)
    qr = Image.fromarray(cv2.copyMakeBorder(code, 14, 14, 14, 14, cv2.BORDER_CONSTANT, value=255)).convert("RGB")
    image.paste(qr, (32, 380))
    return image


def astronaut() -> Image.Image:
    from skimage import data

    return Image.fromarray(data.astronaut()).resize((320, 320), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    receipt().save(OUT / "receipt.png", optimize=True)
    poster().save(OUT / "poster.png", optimize=True)
    astronaut().save(OUT / "astronaut.jpg", quality=85, optimize=True)
    for path in sorted(OUT.iterdir()):
        print(f"{path.relative_to(OUT.parent.parent.parent)}  {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
