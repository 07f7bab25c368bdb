"""Unit-tier fixtures: small GGUF files written with llama.cpp's gguf package."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest


@pytest.fixture()
def tiny_gguf(tmp_path: Path) -> Path:
    """A well-formed GGUF file (not a usable model) with llama-style metadata."""
    import gguf

    path = tmp_path / "tiny.gguf"
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_context_length(2048)
    writer.add_block_count(2)
    writer.add_embedding_length(64)
    writer.add_head_count(4)
    writer.add_head_count_kv(2)
    writer.add_chat_template("{% for m in messages %}{{ m['content'] }}{% endfor %}")
    writer.add_token_list(["<s>", "</s>", "a", "b"])
    writer.add_tensor("weight", np.ones((16, 64), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


@pytest.fixture()
def isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point agentkit's cache at an empty folder for the test."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("AGENTKIT_CACHE_DIR", str(cache))
    return cache
