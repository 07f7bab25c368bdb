"""Checks and metadata of GGUF model files, read before llama.cpp sees them.

llama.cpp aborts or prints cryptic errors on a file that is not GGUF or is cut
short; agentkit reads the header with the ``gguf`` package (llama.cpp's own
reader) and checks that every tensor's bytes are inside the file first.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from agentkit.errors import ModelFileError, UserFileError
from agentkit.files import open_user_file, shown

__all__ = ["GGUFInfo", "read_gguf_info"]

_MAGIC = b"GGUF"


@dataclass(frozen=True, kw_only=True)
class GGUFInfo:
    """What agentkit needs to know about a model before loading it."""

    path: Path
    size_bytes: int
    architecture: str
    context_length: int
    block_count: int
    embedding_length: int
    head_count: int
    head_count_kv: int
    chat_template: str | None
    special_tokens: dict[str, str]

    def kv_cache_bytes(self, n_ctx: int) -> int:
        """Bytes of an f16 KV cache holding ``n_ctx`` tokens."""
        head_dim = self.embedding_length // max(self.head_count, 1)
        return 2 * 2 * n_ctx * self.block_count * self.head_count_kv * head_dim


_MAX_MODEL_BYTES = 1 << 40  # the header is what is read here; the weights are mapped by llama.cpp


def read_gguf_info(path: str | Path) -> GGUFInfo:
    """Validate ``path`` as a complete GGUF file and return its metadata.

    Raises ``ModelFileError`` naming the file and the problem (missing, not GGUF,
    truncated) instead of letting llama.cpp fail on it.
    """
    name = Path(path).expanduser()
    try:  # a fifo, a device, a link loop or a folder named as a model is refused, never read
        with open_user_file(name, max_bytes=_MAX_MODEL_BYTES, what="model file") as opened:
            real, size, mtime_ns = opened.real_path, opened.size, os.fstat(opened.fileno()).st_mtime_ns
    except UserFileError as exc:
        if not name.exists() and not name.is_symlink():
            raise ModelFileError(f"model file not found: {shown(name)}") from None
        raise ModelFileError(f"model path {shown(name)} {exc.reason}") from None
    return _read_gguf_info(real, size, mtime_ns)


@lru_cache(maxsize=32)
def _read_gguf_info(path: Path, size: int, mtime_ns: int) -> GGUFInfo:
    try:
        with path.open("rb") as f:
            fields, tensors_end = _parse(f, size)
    except _Damaged as exc:
        raise ModelFileError(f"{path} {exc}") from None
    if tensors_end > size:
        raise ModelFileError(
            f"{path} is truncated: its tensors need {tensors_end:,} bytes but the file has {size:,}; "
            f"re-download or re-assemble it"
        )
    arch = str(fields.get("general.architecture", "unknown"))

    def arch_int(key: str, default: int) -> int:
        value = fields.get(f"{arch}.{key}", default)
        return int(max(value) if isinstance(value, list) else value)

    head_count = arch_int("attention.head_count", 1)
    template = fields.get("tokenizer.chat_template")
    return GGUFInfo(
        path=path,
        size_bytes=size,
        architecture=arch,
        context_length=arch_int("context_length", 2048),
        block_count=arch_int("block_count", 1),
        embedding_length=arch_int("embedding_length", 1),
        head_count=head_count,
        head_count_kv=arch_int("attention.head_count_kv", head_count),
        chat_template=template if isinstance(template, str) else None,
        special_tokens={k: v for k, v in fields.items()
                        if k.startswith("tokenizer.ggml.") and k.endswith("_token_id")},
    )


class _Damaged(Exception):
    pass


# A minimal reader of the GGUF header, written here because gguf.GGUFReader builds
# a numpy view per array element: about 6 s for a 150k-token vocabulary.
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
_MAX_COUNT = 1 << 32


def _parse(f: BinaryIO, size: int) -> tuple[dict[str, Any], int]:
    """Return (metadata without big arrays, end offset of the last tensor's data)."""

    def read(n: int) -> bytes:
        data = f.read(n)
        if len(data) != n:
            raise _Damaged(f"is truncated inside its header (at byte {f.tell():,} of {size:,})")
        return data

    def unpack(fmt: str) -> Any:
        return struct.unpack(fmt, read(struct.calcsize(fmt)))[0]

    def string() -> str:
        n = unpack("<Q")
        if n > size:
            raise _Damaged("has a corrupt header (a string longer than the file)")
        return read(n).decode("utf-8", errors="replace")

    def value(kind: int, keep: bool) -> Any:
        if kind in _SCALARS:
            return unpack(_SCALARS[kind])
        if kind == _STRING:
            return string()
        if kind == _ARRAY:
            item_kind, count = unpack("<I"), unpack("<Q")
            if count > _MAX_COUNT:
                raise _Damaged("has a corrupt header (an impossible array length)")
            if item_kind in _SCALARS and not keep:
                f.seek(struct.calcsize(_SCALARS[item_kind]) * count, 1)
                return None
            items = [value(item_kind, keep) for _ in range(count)]
            return items if keep else None
        raise _Damaged(f"has a corrupt header (unknown value type {kind})")

    if f.read(4) != _MAGIC:
        raise _Damaged("is not a GGUF model file (a GGUF file starts with b'GGUF'); convert the "
                       "model with llama.cpp's convert_hf_to_gguf.py")
    version = unpack("<I")
    if version not in (2, 3):
        raise _Damaged(f"has GGUF version {version}; llama.cpp reads versions 2 and 3")
    n_tensors, n_kv = unpack("<Q"), unpack("<Q")
    if n_tensors > _MAX_COUNT or n_kv > _MAX_COUNT:
        raise _Damaged("has a corrupt header (impossible counts)")
    fields: dict[str, Any] = {}
    for _ in range(n_kv):
        key = string()
        kind = unpack("<I")
        keep = not key.startswith("tokenizer.ggml.") or key.endswith("_token_id") or kind != _ARRAY
        fields[key] = value(kind, keep)
    from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType

    ends = []
    for _ in range(n_tensors):
        string()
        n_dims = unpack("<I")
        if n_dims > 8:
            raise _Damaged("has a corrupt tensor table")
        n_elems = 1
        for _ in range(n_dims):
            n_elems *= unpack("<Q")
        ggml_type, offset = unpack("<I"), unpack("<Q")
        try:
            block, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(ggml_type)]
        except (ValueError, KeyError):
            raise _Damaged(f"has a tensor of unknown type {ggml_type}") from None
        ends.append(offset + n_elems * type_size // block)
    alignment = int(fields.get("general.alignment", 32) or 32)
    data_start = -(-f.tell() // alignment) * alignment
    return fields, data_start + max(ends, default=0)
