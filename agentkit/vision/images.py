"""Safe image loading: every image agentkit reads goes through ``load_image``.

Contract:
- a path is opened through ``agentkit.files`` (open first, then check what was
  opened): only a regular file is read (never a device, fifo or socket; link loops
  and broken links are refused), and where the open really landed, every link
  followed, must lie inside the allowed roots: the current directory by default
  (``set_image_roots`` replaces that list), plus the folders in
  ``AGENTKIT_IMAGE_ROOTS`` (``os.pathsep``-separated), plus the workspace, where
  ``crop``/``resize`` write the images they make;
- only PNG, JPEG, WebP, GIF, BMP and TIFF are decoded (Pillow is told to try no
  other decoder, so e.g. EPS never reaches Ghostscript);
- an image name's extension must match its real format (a missing extension is
  fine); files over ``MAX_FILE_BYTES`` and images over ``MAX_PIXELS`` pixels are
  refused from the header, before any pixel is decoded;
- empty, non-image, truncated and corrupt files are refused.
Every refusal is an ``ImageError`` (a ``UserError``) naming the image and what
is allowed.  Bytes (and PIL images, turned into PNG bytes) skip the root check
only: the caller already holds their content.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import struct
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from agentkit.errors import FileOutsideRootsError, FileTooLargeError, UserError, UserFileError
from agentkit.files import open_user_file, shown

if TYPE_CHECKING:
    from PIL import Image as PILImage


__all__ = [
    "ALLOWED_FORMATS",
    "ENV_ROOTS",
    "ImageAccessError",
    "ImageError",
    "ImageSource",
    "LoadedImage",
    "MAX_FILE_BYTES",
    "MAX_PIXELS",
    "image_roots",
    "image_value",
    "load_image",
    "save_derived_image",
    "set_image_roots",
]

ENV_ROOTS = "AGENTKIT_IMAGE_ROOTS"
# Pillow format name -> the file extensions that may carry it.
ALLOWED_FORMATS: dict[str, tuple[str, ...]] = {
    "PNG": (".png",),
    "JPEG": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "WEBP": (".webp",),
    "GIF": (".gif",),
    "BMP": (".bmp", ".dib"),
    "TIFF": (".tif", ".tiff"),
}
MAX_FILE_BYTES = 64 * 2**20
MAX_PIXELS = 50_000_000  # about 8,660 x 5,770; a 48 MP phone photo fits, a bomb does not
_ORIENTATION = 0x0112  # the EXIF tag


class ImageError(UserError, ValueError):
    """An image that cannot be used: missing, empty, not an allowed format, too big, truncated."""


class ImageAccessError(ImageError, PermissionError):
    """An image path outside the allowed roots."""


_roots_lock = threading.Lock()
_configured_roots: list[Path] | None = None


def _real(folder: str | Path) -> Path:
    """``folder`` with links resolved; os.path.realpath never raises (a link loop stays as named,
    and matches nothing), where Path.resolve raises RuntimeError on a loop before Python 3.13."""
    return Path(os.path.realpath(Path(folder).expanduser()))


def set_image_roots(roots: Sequence[str | Path] | None) -> None:
    """Replace the folders images may be read from (``None``: back to the current directory).

    ``AGENTKIT_IMAGE_ROOTS`` and the workspace are added to these either way."""
    global _configured_roots
    with _roots_lock:
        _configured_roots = None if roots is None else [_real(r) for r in roots]


def image_roots() -> list[Path]:
    """The folders (resolved) that image paths must lie inside, right now."""
    from agentkit.workspace import workspace_dir

    with _roots_lock:
        roots = list(_configured_roots) if _configured_roots is not None else [_real(Path.cwd())]
    roots += [_real(p) for p in os.environ.get(ENV_ROOTS, "").split(os.pathsep) if p]
    roots.append(_real(workspace_dir(create=False)))
    return list(dict.fromkeys(roots))


def _allowed_list() -> str:
    return ", ".join(f"{name} ({'/'.join(exts)})" for name, exts in ALLOWED_FORMATS.items())


@dataclass(frozen=True, kw_only=True)
class LoadedImage:
    """A checked, decoded image: ``image`` is its first frame, upright (EXIF orientation applied)."""

    image: PILImage.Image
    format: str
    name: str
    file_bytes: int
    frames: int
    exif: Any  # PIL.Image.Exif of the original file (empty when it has none)
    full_size: tuple[int, int] = (0, 0)  # the whole upright image's (width, height); ``image`` may be shrunk

    @property
    def scale(self) -> float:
        """``image``'s width over the whole image's (below 1 when shrunk by ``fit_pixels``)."""
        return self.image.width / self.full_size[0] if self.full_size[0] else 1.0


def _read(source: str | Path | bytes) -> tuple[bytes, str, str]:
    """(content, a name for messages, the real file's extension) of a path or bytes.

    A path is opened once by ``agentkit.files.open_user_file``, and the allowed roots are
    checked on where that open really landed (never on a name resolved beforehand: a
    folder swapped for a link between the check and the open would be read otherwise)."""
    if isinstance(source, bytes):
        return source, "<image bytes>", ""
    path = Path(source).expanduser()
    name = str(source)
    try:
        with open_user_file(path, max_bytes=MAX_FILE_BYTES, roots=image_roots(), what="image") as opened:
            return opened.read(), name, opened.real_path.suffix.lower()
    except FileOutsideRootsError as exc:
        raise ImageAccessError(
            f"image {shown(name)} (resolved to {shown(exc.real_path)}) is outside the allowed image folders: "
            f"{', '.join(exc.roots)}; add its folder to {ENV_ROOTS} (separated by {os.pathsep!r}) or call "
            f"agentkit.vision.set_image_roots([...])") from None
    except FileTooLargeError as exc:
        raise ImageError(f"image {shown(name)} {exc.reason} (the largest image file allowed)") from None
    except UserFileError as exc:
        raise ImageError(f"image {shown(name)} {exc.reason}") from None


def load_image(source: str | Path | bytes | PILImage.Image, *, max_pixels: int = MAX_PIXELS,
               fit_pixels: int | None = None) -> LoadedImage:
    """Check and decode an image given as a path, bytes or PIL image (see the module's contract).

    ``fit_pixels``: an image with more pixels is decoded smaller (JPEG: at a reduced DCT
    scale, so the full size is never in memory) and shrunk to about that many pixels,
    aspect kept; ``LoadedImage.full_size`` keeps the whole image's size."""
    from agentkit.extras import require

    require("vision", "PIL", what="reading images")
    from PIL import Image, ImageOps, UnidentifiedImageError

    if isinstance(source, Image.Image):
        source = image_value(source)
    elif isinstance(source, (bytearray, memoryview)):
        source = bytes(source)
    elif not isinstance(source, (str, Path, bytes)):
        raise ImageError(f"an image must be a path, bytes or a PIL image, not {type(source).__name__}")
    data, name, suffix = _read(source)
    if not data:
        raise ImageError(f"image {name!r} is an empty file; expected one of: {_allowed_list()}")
    if len(data) > MAX_FILE_BYTES:
        raise ImageError(f"image {name!r} is larger than {MAX_FILE_BYTES / 2**20:.0f} MiB")
    try:
        # Pillow reads only the header here; formats= keeps every other decoder out.  Its
        # size warning is silenced because the stricter check below refuses those images.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
    except Image.DecompressionBombError as exc:
        raise ImageError(f"image {name!r} is too large to decode ({exc}); the most allowed is "
                         f"{max_pixels:,} pixels") from None
    except UnidentifiedImageError:
        raise ImageError(f"{name!r} is not an image agentkit reads; allowed formats: {_allowed_list()}") from None
    except (OSError, ValueError, SyntaxError, struct.error, EOFError) as exc:
        raise ImageError(f"image {name!r} is corrupt ({exc})") from None
    with opened:
        real_format = (opened.format or "").upper()
        if real_format not in ALLOWED_FORMATS:  # formats= already ensures this; kept as a guard
            raise ImageError(f"image {name!r} is {real_format or 'of unknown format'}; allowed: {_allowed_list()}")
        if suffix and suffix not in ALLOWED_FORMATS[real_format]:
            raise ImageError(f"image {name!r} is named {suffix} but holds {real_format} data; rename it to "
                             f"{ALLOWED_FORMATS[real_format][0]} (a name's extension must match its format)")
        width, height = opened.size
        if width * height > max_pixels:
            raise ImageError(f"image {name!r} is {width} x {height} = {width * height:,} pixels; the most "
                             f"allowed is {max_pixels:,} (a decompression-bomb guard)")
        if width == 0 or height == 0:
            raise ImageError(f"image {name!r} has no pixels ({width} x {height})")
        target = None
        if fit_pixels is not None and width * height > fit_pixels:
            shrink = math.sqrt(fit_pixels / (width * height))
            target = (max(1, int(width * shrink)), max(1, int(height * shrink)))
        try:
            frames = getattr(opened, "n_frames", 1)
            opened.seek(0)
            if target is not None and real_format == "JPEG":
                opened.draft(None, target)  # JPEG's DCT scaling: decoded at 1/2..1/8 size, never below target
            opened.load()
            exif = opened.getexif()
            # Shrink before turning upright, so no full-size copy is made; the resized image
            # keeps the EXIF orientation that exif_transpose reads.
            picture = opened.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0) \
                if target is not None and opened.size != target else opened
            upright = ImageOps.exif_transpose(picture)
        except (OSError, ValueError, SyntaxError, struct.error, EOFError) as exc:
            raise ImageError(f"image {name!r} is truncated or corrupt ({exc}); re-save or re-export it") from None
    turned = exif.get(_ORIENTATION) in (5, 6, 7, 8)  # the upright image has width and height swapped
    return LoadedImage(image=upright, format=real_format, name=name, file_bytes=len(data), frames=frames,
                       exif=exif, full_size=(height, width) if turned else (width, height))


def image_value(value: Any) -> str | bytes:
    """A graph-state value for an image: a path stays a ``str``, bytes stay bytes, a PIL
    image becomes PNG bytes (so run state stays serialisable), and a result that names an
    image file -- a dict with a ``path``, as ``video_frames`` gives for each keyframe and
    ``chart`` for its picture -- stands for that path."""
    if isinstance(value, dict) and isinstance(value.get("path"), str):
        return value["path"]
    from PIL import Image

    if isinstance(value, Image.Image):
        buffer = io.BytesIO()
        image = value if value.mode in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16") else value.convert("RGB")
        image.save(buffer, format="PNG")
        return buffer.getvalue()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, (str, bytes)):
        return value
    raise ValueError(f"an image must be a path, bytes, a PIL image or a result with a 'path', "
                     f"not {type(value).__name__}")


# The image argument of every vision tool.  An LLM sees it as a path string;
# Python callers may also pass bytes or a PIL image.
ImageSource = Annotated[
    str | bytes,
    BeforeValidator(image_value),
    WithJsonSchema({"type": "string", "description": "path of the image file"}),
]


def save_derived_image(image: PILImage.Image, kind: str) -> str:
    """Save an image agentkit made (a crop, a resize) as PNG under the workspace's
    ``images/`` folder, named by its content; returns the path as a string."""
    from agentkit.workspace import workspace_path

    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    data = buffer.getvalue()
    path = workspace_path("images", f"{kind}-{hashlib.sha256(data).hexdigest()[:16]}.png")
    if not path.exists():
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return str(path)


