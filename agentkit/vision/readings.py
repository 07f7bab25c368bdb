"""Everything the vision tools read off one picture, as facts a language model can answer from.

No vision-language model runs offline here, so a question about a picture is answered from what
the tools measured: the text (OCR), QR codes, faces, colours, size and EXIF.  ``read_image``
runs them all once and writes each finding as a plain sentence -- including what was *not*
found ("No faces were found."), so an answer never has to guess -- ready to be used as a
retrieved passage (``{"text", "source"}``) by the grounded node kinds.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from agentkit.vision.analysis import detect_faces, inspect_image, read_qr
from agentkit.vision.ocr import read_text

if TYPE_CHECKING:
    from PIL import Image as PILImage

__all__ = ["image_facts", "read_image"]

_EXIF_WORDS = {"make": "camera make", "model": "camera model", "datetime": "date taken",
               "datetime_original": "date taken", "software": "software", "orientation": "orientation"}


def _named(image: Any) -> str:
    if isinstance(image, (bytes, bytearray)):
        return "the picture"
    if isinstance(image, str | PurePath):
        return PurePath(str(image)).name
    return "the picture"


def image_facts(readings: dict[str, Any]) -> list[str]:
    """The findings of ``read_image`` as sentences, one fact each."""
    facts: list[str] = []
    info = readings["info"]
    facts.append(f"The picture is a {info['format']} image of {info['width']} x {info['height']} pixels.")
    colours = [c["name"] for c in info.get("dominant_colors", [])[:3]]
    if colours:
        facts.append("Its main colours are " + (", ".join(colours[:-1]) + " and " + colours[-1]
                                                 if len(colours) > 1 else colours[0]) + ".")
    brightness = info.get("brightness")
    if isinstance(brightness, (int, float)):
        facts.append("It is a dark picture." if brightness < 0.3 else
                     "It is a bright picture." if brightness > 0.7 else "It is neither dark nor bright.")
    faces = readings["faces"]["count"]
    facts.append("No faces were found in the picture." if faces == 0 else
                 f"{faces} face{'s were' if faces != 1 else ' was'} found in the picture "
                 f"({faces} {'people' if faces != 1 else 'person'}).")
    codes = readings["codes"]["codes"]
    if not codes:
        facts.append("No QR code was found in the picture.")
    for code in codes:
        facts.append(f"A QR code in the picture links to: {code['text']}")
    exif = info.get("exif") or {}
    for key, label in _EXIF_WORDS.items():
        if exif.get(key) not in (None, ""):
            facts.append(f"EXIF {label}: {exif[key]}.")
    if exif.get("has_gps"):
        facts.append("The picture's EXIF data includes a GPS location.")
    lines = [line["text"].strip() for line in readings["text"].get("lines", []) if line.get("text", "").strip()]
    facts.append("Text read from the picture (OCR), line by line:" if lines else "No text was found in the picture.")
    facts += lines
    return facts


def read_image(image: str | bytes | PILImage.Image, *, min_confidence: float = 0.5) -> dict[str, Any]:
    """All the readings of one picture: ``{"info", "faces", "codes", "text", "facts", "passage"}``;
    ``passage`` is ``{"text": the facts, one a line, "source": the file's name}``."""
    readings = {"info": inspect_image(image, colours=3), "faces": detect_faces(image), "codes": read_qr(image),
                "text": read_text(image, min_confidence=min_confidence)}
    facts = image_facts(readings)
    return {**readings, "facts": facts, "passage": {"text": "\n".join(facts), "source": _named(image), "page": None}}
