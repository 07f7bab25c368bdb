"""Vision: safe image loading, OCR, inspection, QR codes, faces, crops and resizes.

The langchain-core tools are in ``agentkit.tools.vision``; the image -> text -> LLM
graphs (``ask_image``, ``extract_from_image``) in ``agentkit.recipes``."""

from agentkit.vision.analysis import detect_faces, inspect_image, read_qr
from agentkit.vision.images import (
    ImageAccessError,
    ImageError,
    LoadedImage,
    image_roots,
    image_value,
    load_image,
    set_image_roots,
)
from agentkit.vision.ocr import read_text
from agentkit.vision.transforms import crop_image, resize_image

__all__ = [
    # loading
    "ImageAccessError",
    "ImageError",
    "LoadedImage",
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
]
