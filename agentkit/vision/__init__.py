"""Vision: safe image loading, OCR, inspection, QR codes, faces, and the
image -> text -> LLM pattern.  The langchain-core tools are in ``agentkit.tools.vision``."""

from agentkit.vision.analysis import detect_faces, inspect_image, read_qr
from agentkit.vision.images import (
    ImageAccessError,
    ImageError,
    LoadedImage,
    image_inputs,
    image_roots,
    image_value,
    load_image,
    set_image_roots,
)
from agentkit.vision.ocr import read_text
from agentkit.vision.patterns import ask_image, extract_from_image, image_extraction_spec, image_question_spec
from agentkit.vision.transforms import crop_image, resize_image

__all__ = [
    # loading and inputs
    "ImageAccessError",
    "ImageError",
    "LoadedImage",
    "image_inputs",
    "image_roots",
    "image_value",
    "load_image",
    "set_image_roots",
    # reading images
    "detect_faces",
    "inspect_image",
    "read_qr",
    "read_text",
    # edits
    "crop_image",
    "resize_image",
    # vision + language
    "ask_image",
    "extract_from_image",
    "image_extraction_spec",
    "image_question_spec",
]
