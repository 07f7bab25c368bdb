"""Run inputs from outside Python: ``key=value`` pairs (a value may come from a file or
standard input), pictures for a graph's ``image``/``images`` input, and audio and video files
for its ``media`` input.

Each is checked before the run starts (a file through ``agentkit.files``; an image for
its roots, format, size and decoding; a media file for its roots, format and its header's
size, duration and resolution), so a bad one fails with a clear message instead of inside
a node.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from agentkit.errors import InputError, UserFileError
from agentkit.files import read_user_file, shown
from agentkit.spec import GraphSpec, load_spec

if TYPE_CHECKING:
    from PIL import Image as PILImage

__all__ = ["IMAGE_FIELDS", "MAX_INPUT_BYTES", "MEDIA_FIELD", "image_inputs", "media_inputs", "parse_input_pairs"]

IMAGE_FIELDS = ("image", "images")
MEDIA_FIELD = "media"
MAX_INPUT_BYTES = 10 * 2**20  # one input read from a file or standard input


def _text_from(source: str, stdin: IO[bytes] | None) -> str:
    """The text of ``@path`` (a UTF-8 file) or ``@-`` (standard input), at most MAX_INPUT_BYTES."""
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise InputError(f"standard input is over the {MAX_INPUT_BYTES // 2**20} MiB limit for one input")
        where = "standard input"
    else:
        try:
            data = read_user_file(source, max_bytes=MAX_INPUT_BYTES, what="input file")
        except UserFileError as exc:
            raise InputError(str(exc)) from None
        where = shown(source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{where} is not UTF-8 text; an input read from a file must be text") from None


def parse_input_pairs(pairs: Sequence[str], *, stdin: IO[bytes] | None = None) -> dict[str, Any]:
    """``key=value`` pairs -> run inputs.  A value is JSON when it parses as JSON, else text;
    ``key=@path`` reads the value from a text file, ``key=@-`` from standard input (once), and
    ``key=@@text`` is the text ``@text``."""
    values: dict[str, Any] = {}
    used_stdin = False
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"input {pair!r}: write key=value (a JSON value or plain text), key=@FILE "
                             f"or key=@- (standard input)")
        if raw.startswith("@@"):
            values[key] = raw[1:]
            continue
        if raw.startswith("@"):
            if raw == "@-":
                if used_stdin:
                    raise InputError("only one input can be read from standard input (key=@-)")
                used_stdin = True
            values[key] = _text_from(raw[1:], stdin)
            continue
        try:
            values[key] = json.loads(raw)
        except ValueError:
            values[key] = raw
    return values


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
