"""Context-size checks, the model pool's sharing, and the CLI's error handling."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentkit.cli import app
from agentkit.errors import ContextSizeError
from agentkit.llm import pool as pool_module
from agentkit.llm.gguf_file import read_gguf_info
from agentkit.llm.pool import LlamaSettings, ModelPool, check_context_size


def test_context_beyond_training_length_is_refused(tiny_gguf: Path) -> None:
    info = read_gguf_info(tiny_gguf)
    with pytest.raises(ContextSizeError, match="use n_ctx <= 2,048"):
        check_context_size(info, 4096)
    with pytest.raises(ContextSizeError, match="too small"):
        check_context_size(info, 16)


def test_context_the_machine_cannot_hold_is_refused(tiny_gguf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    info = read_gguf_info(tiny_gguf)
    monkeypatch.setattr(pool_module, "_available_memory_bytes", lambda: info.size_bytes + info.kv_cache_bytes(512))
    check_context_size(info, 512)
    with pytest.raises(ContextSizeError, match=r"GiB available; use n_ctx <= 512"):
        check_context_size(info, 2048)


def test_pool_shares_one_entry_per_settings_without_loading(tiny_gguf: Path) -> None:
    pool = ModelPool()
    a = pool.get(LlamaSettings(model_path=tiny_gguf, n_ctx=1024))
    b = pool.get(LlamaSettings(model_path=tiny_gguf, n_ctx=1024))
    c = pool.get(LlamaSettings(model_path=tiny_gguf, n_ctx=512))
    assert a is b and a is not c and len(pool) == 2
    assert not a.loaded


runner = CliRunner()


class _FakeLlama:
    """What ``PrefixStateCache.save`` reads of a llama.cpp instance: the live tokens and a context."""

    def __init__(self, tokens: list[int]) -> None:
        import numpy as np

        self.input_ids = np.array(tokens)
        self.n_tokens = len(tokens)
        self.ctx = None


def test_prefix_cache_evicts_by_bytes_as_well_as_by_count(monkeypatch: pytest.MonkeyPatch) -> None:
    import llama_cpp

    # a state's size follows its tokens, as llama.cpp's does (only the cells in use are written)
    sizes: list[int] = []
    monkeypatch.setattr(llama_cpp, "llama_state_get_size", lambda ctx: sizes[-1])
    monkeypatch.setattr(llama_cpp, "llama_state_get_data", lambda ctx, buf, size: size)
    cache = pool_module.PrefixStateCache(max_entries=4, max_bytes=1000, min_gain=2)

    def save(first: int, n: int) -> None:
        sizes.append(10 * n)
        cache.save(_FakeLlama(list(range(first, first + n))))

    for first in range(5):  # five small states: the count bound keeps the newest four
        save(first * 100, 10)
    assert len(cache) == 4 and cache.bytes == 400
    save(1000, 80)  # 800 bytes: the oldest states go until the total fits
    assert len(cache) == 3 and cache.bytes == 1000
    save(2000, 200)  # a state larger than the whole budget is not kept, and evicts nothing
    assert len(cache) == 3 and cache.bytes == 1000
    save(1000, 90)  # extending a saved prompt replaces its state (then the oldest goes to fit)
    assert len(cache) == 2 and cache.bytes == 1000
    cache.clear()
    assert len(cache) == 0 and cache.bytes == 0


def test_models_list_json_reports_install_state() -> None:
    result = runner.invoke(app, ["models", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.output)}
    assert rows["qwen2.5-coder-0.5b"]["default"] is True
    assert rows["qwen2.5-coder-0.5b"]["size_bytes"] == 491_400_064
    assert rows["qwen2.5-coder-1.5b"]["default"] is False
    assert rows["qwen2.5-coder-1.5b"]["size_bytes"] == 1_117_320_768
    # the default's auto tool decisions are taken by the 1.5B's gate; the 1.5B routes itself
    assert rows["qwen2.5-coder-0.5b"]["tool_router"] == "qwen2.5-coder-1.5b"
    assert rows["qwen2.5-coder-1.5b"]["tool_router"] is None
    for row in rows.values():
        assert row["installed"] == (row["path"] is not None)
        assert row["installed"] or row["install"].startswith("pip install")


def test_cli_user_errors_are_messages_not_tracebacks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from agentkit.cli import main

    bad = tmp_path / "notes.gguf"
    bad.write_text("just text")
    for args, expected in [(["--model", "qwen-9000"], "unknown model 'qwen-9000'"),
                           (["--model", str(bad)], "is not a GGUF model file"),
                           (["--max-tokens", "-5"], "Invalid value for '--max-tokens'"),
                           (["--max-tokens", "0"], "Invalid value for '--max-tokens'")]:
        assert main(["chat", "hi", *args]) == 2, args
        err = " ".join(capsys.readouterr().err.split())
        assert expected in err and "Traceback" not in err


def test_default_threads_leave_room_and_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from agentkit.errors import UserError
    from agentkit.llm.pool import available_cores, default_threads

    monkeypatch.delenv("AGENTKIT_N_THREADS", raising=False)
    assert default_threads() == max(1, available_cores() // 2)
    monkeypatch.setenv("AGENTKIT_N_THREADS", "3")
    assert default_threads() == 3
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("AGENTKIT_N_THREADS", bad)
        with pytest.raises(UserError, match="AGENTKIT_N_THREADS"):
            default_threads()
