"""Run inputs from outside Python: pictures for a graph's ``image``/``images`` input, audio and
video files for its ``media`` input.

Each file is checked before the run starts (allowed roots, format, size; images decoded,
media files' container headers read), so a bad one fails with a clear message instead of
inside a node.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentkit.errors import InputError
from agentkit.spec import GraphSpec, load_spec

if TYPE_CHECKING:
    from PIL import Image as PILImage

__all__ = ["IMAGE_FIELDS", "MEDIA_FIELD", "image_inputs", "media_inputs"]

IMAGE_FIELDS = ("image", "images")
MEDIA_FIELD = "media"


def image_inputs(spec: GraphSpec | str | Path, images: Sequence[str | Path | bytes | PILImage.Image]) -> dict[str, Any]:
    """Graph input carrying ``images``: ``{"image": value}`` or ``{"images": [values]}``.

    The field is the spec's input field named ``image`` (exactly one image) or
    ``images`` (a list); with no ``input`` list, its state fields are looked at.
    Each image is checked now (roots, format, size, decoding), so a bad one fails
    before the graph runs; paths are passed on as absolute path strings, PIL
    images as PNG bytes."""
    if not images:
        return {}
    from agentkit.vision.images import image_value, load_image

    spec = load_spec(spec)
    candidates = spec.input or list(spec.state)
    fields = [f for f in IMAGE_FIELDS if f in candidates]
    if not fields:
        raise InputError(f"graph {spec.name!r} ({spec.origin.source}) takes no image: declare an input field "
                         f"named 'image' (one image) or 'images' (a list of images)")
    values = []
    for image in images:
        value = image_value(image)  # a PIL image is encoded to PNG once, then checked as such
        load_image(value)
        values.append(str(Path(value).resolve()) if isinstance(value, str) else value)
    if "images" in fields:
        return {"images": values}
    if len(values) > 1:
        raise InputError(f"graph {spec.name!r} takes one image (its input field 'image'); got {len(values)}. "
                         f"A graph that takes several declares an input field 'images' (type list)")
    return {"image": values[0]}


def media_inputs(spec: GraphSpec | str | Path, media: Sequence[str | Path]) -> dict[str, Any]:
    """Graph input carrying one audio or video file: ``{"media": "/absolute/path"}``.

    The field is the spec's input field named ``media`` (with no ``input`` list, its state
    fields are looked at).  The file is checked now -- allowed roots (the image roots), an
    allowed container whose extension matches, size, duration and resolution caps from its
    header -- so a bad one fails before the graph runs."""
    if not media:
        return {}
    from agentkit.media.probe import probe_media

    spec = load_spec(spec)
    candidates = spec.input or list(spec.state)
    if MEDIA_FIELD not in candidates:
        raise InputError(f"graph {spec.name!r} ({spec.origin.source}) takes no audio or video: declare an input "
                         f"field named 'media' (a path to an audio or video file)")
    if len(media) > 1:
        raise InputError(f"graph {spec.name!r} takes one audio or video file (its input field 'media'); "
                         f"got {len(media)}")
    info = probe_media(media[0])
    return {MEDIA_FIELD: info.path}
