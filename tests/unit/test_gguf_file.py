"""GGUF files are checked before llama.cpp sees them."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentkit.errors import ModelFileError
from agentkit.llm.gguf_file import read_gguf_info


def test_reads_metadata_of_a_complete_file(tiny_gguf: Path) -> None:
    info = read_gguf_info(tiny_gguf)
    assert info.architecture == "llama"
    assert info.context_length == 2048
    assert (info.block_count, info.embedding_length, info.head_count, info.head_count_kv) == (2, 64, 4, 2)
    assert info.chat_template is not None and "messages" in info.chat_template
    # f16 K and V: 2 tensors x 2 bytes x tokens x layers x kv heads x head dim (64 / 4)
    assert info.kv_cache_bytes(100) == 2 * 2 * 100 * 2 * 2 * 16


def test_truncated_tensor_data_is_reported_with_sizes(tiny_gguf: Path, tmp_path: Path) -> None:
    data = tiny_gguf.read_bytes()
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(data[:-100])
    with pytest.raises(ModelFileError, match=r"truncated: its tensors need [\d,]+ bytes but the file has"):
        read_gguf_info(cut)


def test_file_cut_inside_the_header(tiny_gguf: Path, tmp_path: Path) -> None:
    cut = tmp_path / "header.gguf"
    cut.write_bytes(tiny_gguf.read_bytes()[:40])
    with pytest.raises(ModelFileError, match="truncated inside its header"):
        read_gguf_info(cut)


@pytest.mark.parametrize("content", [b"", b"hello world, not a model", b"\x89PNG\r\n\x1a\n" + b"\0" * 64])
def test_non_gguf_files_are_named_as_such(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "model.gguf"
    path.write_bytes(content)
    with pytest.raises(ModelFileError, match="is not a GGUF model file"):
        read_gguf_info(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="model file not found"):
        read_gguf_info(tmp_path / "absent.gguf")


def test_corrupt_counts_are_rejected_without_reading_gigabytes(tmp_path: Path) -> None:
    path = tmp_path / "huge.gguf"
    path.write_bytes(b"GGUF" + (3).to_bytes(4, "little") + (2**62).to_bytes(8, "little") + (1).to_bytes(8, "little"))
    with pytest.raises(ModelFileError, match="corrupt header"):
        read_gguf_info(path)
