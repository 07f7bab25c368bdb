"""Vision tools: OCR, image inspection, QR codes, faces, crop and resize.

langchain-core tools with typed argument schemas, registered by name through the
``agentkit.tools`` entry points, so ``agentkit.get_tool("ocr")`` returns them and
specs use them as ``tool`` nodes or in an ``agent`` node's ``tools``.  Each takes
``image``: a path (what an LLM passes), or bytes / a PIL image from Python.  Every
result is plain JSON data (dicts, lists, strings).  The work is done in
``agentkit.vision``; this module only declares the tools.
"""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from pydantic import BaseModel, Field

from agentkit.extras import require

require("vision", what="the vision tools (ocr, inspect_image, read_qr, detect_faces, crop, resize)")

from agentkit.vision import analysis, transforms  # noqa: E402  (after the check that names the extra)
from agentkit.vision.images import ImageSource  # noqa: E402
from agentkit.vision.ocr import read_text  # noqa: E402
from agentkit.vision.readings import read_image as _read_image  # noqa: E402

__all__ = ["crop", "detect_faces", "inspect_image", "ocr", "read_image", "read_qr", "resize"]


class ImageArgs(BaseModel):
    image: ImageSource = Field(description="Path of the image file (Python callers may pass bytes or a PIL image).")


class OcrArgs(ImageArgs):
    min_confidence: float = Field(default=0.5, ge=0.0, le=1.0, description="Drop lines read with less confidence.")
    text_only: bool = Field(default=False, description="Return only the text (lines joined by newlines).")


class InspectArgs(ImageArgs):
    colors: int = Field(default=5, ge=1, le=16, description="How many dominant colours to report.")


class FacesArgs(ImageArgs):
    min_neighbors: int = Field(default=5, ge=1, le=20,
                               description="Detector strictness: higher finds fewer, surer faces.")


class CropArgs(ImageArgs):
    box: list[int] = Field(min_length=4, max_length=4,
                           description="[left, top, right, bottom] in pixels, as the other vision tools report boxes.")


class ResizeArgs(ImageArgs):
    width: int | None = Field(default=None, gt=0, le=20_000, description="New width in pixels.")
    height: int | None = Field(default=None, gt=0, le=20_000, description="New height in pixels.")
    max_side: int | None = Field(default=None, gt=0, le=20_000,
                                 description="Scale so the longer side has this length (keeps the aspect ratio).")


@tool(args_schema=OcrArgs)
def ocr(image: ImageSource, min_confidence: float = 0.5, text_only: bool = False) -> Any:
    """Read the text in an image. Returns {"text", "lines": [{"text", "confidence", "box"}], "width",
    "height"}, or only the text with text_only. An image without text gives empty text."""
    result = read_text(image, min_confidence=min_confidence)
    return result["text"] if text_only else result


class ReadImageArgs(ImageArgs):
    as_text: bool = Field(default=False, description="Return the facts as text instead of a passage list.")


@tool("read_image", args_schema=ReadImageArgs)
def read_image(image: ImageSource, as_text: bool = False) -> Any:
    """Read everything the vision tools can find in a picture -- its text (OCR), QR codes, faces,
    colours, size and EXIF -- as one passage of plain facts, one a line (what was not found is said
    too). Returns [{"text", "source", "page"}], the shape a retrieve node writes (or the text)."""
    passage = _read_image(image)["passage"]
    return passage["text"] if as_text else [passage]


@tool("inspect_image", args_schema=InspectArgs)
def inspect_image(image: ImageSource, colors: int = 5) -> dict[str, Any]:
    """Describe an image file: format, width, height, colour mode, frames, file size, EXIF highlights
    (camera, date, orientation, whether it has GPS) and its dominant colours."""
    return analysis.inspect_image(image, colours=colors)


@tool("read_qr", args_schema=ImageArgs)
def read_qr(image: ImageSource) -> dict[str, Any]:
    """Decode the QR codes in an image. Returns {"count", "codes": [{"text", "box"}]}."""
    return analysis.read_qr(image)


@tool("detect_faces", args_schema=FacesArgs)
def detect_faces(image: ImageSource, min_neighbors: int = 5) -> dict[str, Any]:
    """Find frontal faces in an image. Returns {"count", "faces": [{"box": [left, top, right, bottom]}]}."""
    return analysis.detect_faces(image, min_neighbors=min_neighbors)


@tool("crop", args_schema=CropArgs)
def crop(image: ImageSource, box: list[int]) -> str:
    """Cut a box out of an image; returns the path of the new PNG image."""
    return transforms.crop_image(image, box)


@tool("resize", args_schema=ResizeArgs)
def resize(image: ImageSource, width: int | None = None, height: int | None = None,
           max_side: int | None = None) -> str:
    """Resize an image (give width and/or height, or max_side); returns the path of the new PNG image."""
    return transforms.resize_image(image, width=width, height=height, max_side=max_side)
