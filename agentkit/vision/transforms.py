"""Small image edits a pipeline needs between tools: crop and resize.

Each returns the path of a new PNG under the workspace's ``images/`` folder
(named by its content), so graph state holds a short, serialisable string and
the next vision tool can open it (the workspace is always an allowed root).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentkit.vision.images import MAX_PIXELS, ImageError, load_image, save_derived_image

if TYPE_CHECKING:
    from PIL import Image as PILImage

__all__ = ["crop_image", "resize_image"]


def crop_image(image: str | bytes | PILImage.Image, box: list[int] | tuple[int, int, int, int]) -> str:
    """Cut ``box`` = ``[left, top, right, bottom]`` (pixels, as other vision tools report
    boxes) out of an image; the box is clipped to the image and must keep some area."""
    loaded = load_image(image)
    picture = loaded.image
    if len(box) != 4:
        raise ImageError(f"crop box {list(box)!r}: give four numbers [left, top, right, bottom]")
    left, top, right, bottom = (int(v) for v in box)
    left, top = max(0, left), max(0, top)
    right, bottom = min(picture.width, right), min(picture.height, bottom)
    if right <= left or bottom <= top:
        raise ImageError(f"crop box {list(box)!r} holds no pixels of {loaded.name!r} "
                         f"({picture.width} x {picture.height}); expected left < right and top < bottom inside it")
    return save_derived_image(picture.crop((left, top, right, bottom)), "crop")


def resize_image(image: str | bytes | PILImage.Image, *, width: int | None = None, height: int | None = None,
                 max_side: int | None = None) -> str:
    """Resize to ``width`` x ``height``; give one of them (or ``max_side``, the longer
    side's length) to keep the aspect ratio.  The result may hold at most ``MAX_PIXELS``."""
    from PIL import Image

    given = {"width": width, "height": height, "max_side": max_side}
    bad = {k: v for k, v in given.items() if v is not None and v <= 0}
    if bad:
        raise ImageError(f"resize: sizes must be positive, got {bad}")
    picture = load_image(image).image
    w, h = picture.size
    if max_side is not None:
        if width is not None or height is not None:
            raise ImageError("resize: give max_side alone, or width and/or height")
        scale = max_side / max(w, h)
        width, height = round(w * scale), round(h * scale)
    elif width is None and height is None:
        raise ImageError("resize: give width, height or max_side")
    elif width is None:
        width = round(w * height / h)
    elif height is None:
        height = round(h * width / w)
    width, height = max(1, int(width)), max(1, int(height))
    if width * height > MAX_PIXELS:
        raise ImageError(f"resize to {width} x {height} is more than the {MAX_PIXELS:,} pixels allowed")
    return save_derived_image(picture.resize((width, height), Image.Resampling.LANCZOS), "resize")
