"""One llama.cpp instance per (model file, context settings) per process.

Every chat model that names the same file and settings shares one ``PooledModel``:
the weights load once, on first use, and a lock serialises calls (a llama.cpp
context is not thread-safe).  Each pooled model also keeps a few saved KV-cache
states keyed by their tokens, so a call whose prompt starts like an earlier
one's (system prompt, tool schemas, retrieved context) skips that prefix even
when calls from other nodes came in between.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from agentkit.errors import ContextSizeError, UserError
from agentkit.llm.gguf_file import GGUFInfo, read_gguf_info

if TYPE_CHECKING:
    from llama_cpp import Llama

__all__ = [
    "LlamaSettings",
    "ModelPool",
    "PooledModel",
    "PrefixStateCache",
    "available_cores",
    "default_pool",
    "default_threads",
    "model_loading_refused",
]

_MIN_CTX = 256
THREADS_ENV = "AGENTKIT_N_THREADS"
_refusal: list[str] = []  # while not empty, loading weights is refused with its last reason


@contextmanager
def model_loading_refused(reason: str) -> Iterator[None]:
    """Inside the block, loading any model's weights raises ``RuntimeError(reason)`` (tests that
    must not reach a real model use this through ``agentkit.testing``)."""
    _refusal.append(reason)
    try:
        yield
    finally:
        _refusal.remove(reason)


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_threads() -> int:
    """llama.cpp threads (decode and prompt batches) when a chat model sets none:
    ``AGENTKIT_N_THREADS``, else half the cores this process may use (at least 1).

    llama.cpp's threads wait for each other at every layer, so one that the OS
    preempts stalls them all: with as many threads as cores and any other process
    running, decoding collapsed (benchmarks/bench_threads.py, 2 cores, other work
    running: 1 thread 13.7 tokens/s, 2 threads 2.8).  Half the cores leaves room
    for the rest of the machine; on an idle machine every core is faster, so set
    ``AGENTKIT_N_THREADS`` (or ``n_threads``) where agentkit has the machine to itself."""
    return threads_from_env(THREADS_ENV) or max(1, available_cores() // 2)


def threads_from_env(name: str) -> int | None:
    """The thread count the environment variable ``name`` sets, or None when it is unset.
    Raises ``UserError`` naming the variable for anything but a whole number >= 1."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise UserError(f"{name}={raw!r} is not a thread count; set a whole number >= 1 "
                        f"(this machine has {available_cores()} cores) or unset it")
    return value


@dataclass(frozen=True, kw_only=True)
class LlamaSettings:
    """What identifies one llama.cpp instance: the file and the context settings."""

    model_path: Path
    n_ctx: int = 8192
    n_threads: int | None = None  # None: default_threads()
    n_batch: int = 512


def _available_memory_bytes() -> int | None:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return None


def check_context_size(info: GGUFInfo, n_ctx: int) -> None:
    """Raise ``ContextSizeError`` if the model or this machine cannot hold ``n_ctx`` tokens."""
    if n_ctx < _MIN_CTX:
        raise ContextSizeError(f"n_ctx={n_ctx} is too small; use at least {_MIN_CTX}")
    if n_ctx > info.context_length:
        raise ContextSizeError(
            f"n_ctx={n_ctx:,} exceeds what {info.path.name} was trained for "
            f"({info.context_length:,} tokens); use n_ctx <= {info.context_length:,}"
        )
    need = info.kv_cache_bytes(n_ctx) + info.size_bytes
    available = _available_memory_bytes()
    if available is not None and need > available:
        fits = max(_MIN_CTX, (available - info.size_bytes) // max(info.kv_cache_bytes(1), 1))
        raise ContextSizeError(
            f"n_ctx={n_ctx:,} needs about {need / 2**30:.1f} GiB (weights + KV cache) but this "
            f"machine has {available / 2**30:.1f} GiB available; use n_ctx <= {min(fits, info.context_length):,}"
        )


def _longest_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


@dataclass
class _SavedState:
    tokens: tuple[int, ...]
    data: bytes


class PrefixStateCache:
    """An LRU of llama.cpp KV states, restored when they cover more of a prompt.

    Written here rather than using llama-cpp-python's ``LlamaRAMCache`` because its
    ``save_state`` also copies the logits buffer (n_batch x n_vocab floats, about
    300 MB for a 150k vocabulary) on every call.

    Bounded by count and by bytes (a state holds only the tokens in use: about 29 KB a token
    for the 1.5B model, 12 KB for the 0.5B).  Every call saves its state, and one question of the
    flagship makes up to seven calls on one model, so six entries evicted the routers' and the
    judge's fixed prompts between two questions and they were read again (7-9 s each on the
    1.5B model; ``benchmarks/bench_flagship_versions.py``)."""

    def __init__(self, *, max_entries: int = 48, max_bytes: int = 768 * 2**20, min_gain: int = 32) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.min_gain = min_gain
        self._entries: OrderedDict[tuple[int, ...], _SavedState] = OrderedDict()
        self._bytes = 0
        self.restores = 0

    def __len__(self) -> int:
        return len(self._entries)

    def restore_best(self, llama: Llama, prompt_tokens: Sequence[int]) -> int:
        """Load the saved state sharing the longest prefix with ``prompt_tokens`` if it
        beats what the live context already shares; return the usable prefix length."""
        live = _longest_prefix(llama.input_ids[: llama.n_tokens].tolist(), prompt_tokens)
        best, best_len = None, live
        for saved in self._entries.values():
            shared = _longest_prefix(saved.tokens, prompt_tokens)
            if shared > best_len:
                best, best_len = saved, shared
        if best is None or best_len - live < self.min_gain:
            return live
        import llama_cpp

        buf = (ctypes.c_uint8 * len(best.data)).from_buffer_copy(best.data)
        if llama_cpp.llama_state_set_data(llama.ctx, buf, len(best.data)) != len(best.data):
            llama.reset()
            return 0
        n = len(best.tokens)
        llama.input_ids[:n] = best.tokens
        llama.n_tokens = n
        llama._requires_eval = True  # logits are stale: generate() re-evaluates the last token
        self._entries.move_to_end(best.tokens)
        self.restores += 1
        return best_len

    def save(self, llama: Llama) -> None:
        """Remember the live context's state (dropping entries it extends)."""
        import llama_cpp

        tokens = tuple(llama.input_ids[: llama.n_tokens].tolist())
        if len(tokens) < self.min_gain:
            return
        for key in [k for k in self._entries if tokens[: len(k)] == k]:
            self._bytes -= len(self._entries.pop(key).data)
        size = llama_cpp.llama_state_get_size(llama.ctx)
        buf = (ctypes.c_uint8 * size)()
        written = llama_cpp.llama_state_get_data(llama.ctx, buf, size)
        if written > self.max_bytes:
            return
        self._entries[tokens] = _SavedState(tokens=tokens, data=bytes(buf)[:written])
        self._bytes += written
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            self._bytes -= len(self._entries.popitem(last=False)[1].data)

    @property
    def bytes(self) -> int:
        """The bytes the saved states hold."""
        return self._bytes

    def clear(self) -> None:
        """Forget every saved state."""
        self._entries.clear()
        self._bytes = 0


@dataclass(kw_only=True)
class PooledModel:
    """A shared llama.cpp instance, its lock, and its prefix cache.

    ``lock`` is a plain ``Lock``, not an ``RLock``: a streaming call holds it across
    yields, and LangChain's async streaming resumes a generator on whichever
    executor thread is free, so the lock must be releasable from another thread.
    """

    settings: LlamaSettings
    info: GGUFInfo
    lock: threading.Lock = field(default_factory=threading.Lock)
    _load_lock: threading.Lock = field(default_factory=threading.Lock)
    prefix_cache: PrefixStateCache = field(default_factory=PrefixStateCache)
    _llama: Llama | None = None

    @property
    def loaded(self) -> bool:
        return self._llama is not None

    @property
    def llama(self) -> Llama:
        """The llama.cpp instance, loaded on first access."""
        if self._llama is None:
            with self._load_lock:
                if self._llama is None:
                    self._llama = self._load()
        return self._llama

    def close(self) -> None:
        """Free the llama.cpp instance now (it is loaded again on next use)."""
        with self._load_lock:
            if self._llama is not None:
                self._llama.close()
                self._llama = None

    def _load(self) -> Llama:
        if _refusal:
            raise RuntimeError(f"{_refusal[-1]} (tried to load {self.settings.model_path.name})")
        from llama_cpp import Llama

        threads = self.settings.n_threads or default_threads()
        return Llama(
            model_path=str(self.settings.model_path),
            n_ctx=self.settings.n_ctx,
            n_batch=self.settings.n_batch,
            n_threads=threads,
            n_threads_batch=threads,
            verbose=False,
        )


class ModelPool:
    """Hands out one ``PooledModel`` per ``LlamaSettings``; safe to call from any thread.

    Loaded instances are closed at interpreter exit, while llama_cpp's module
    globals still exist (freed later, its finalizers raise ``TypeError``).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._models: dict[LlamaSettings, PooledModel] = {}
        atexit.register(self.close_all)

    def close_all(self) -> None:
        """Free every loaded instance."""
        with self._lock:
            for pooled in self._models.values():
                pooled.close()

    def get(self, settings: LlamaSettings) -> PooledModel:
        """The pooled model for ``settings`` (cheap: weights load on first use).

        Raises ``ContextSizeError`` here, before anything loads, when the model or
        this machine cannot hold ``settings.n_ctx`` tokens."""
        with self._lock:
            pooled = self._models.get(settings)
            if pooled is None:
                info = read_gguf_info(settings.model_path)
                check_context_size(info, settings.n_ctx)
                pooled = self._models[settings] = PooledModel(settings=settings, info=info)
            return pooled

    def __len__(self) -> int:
        return len(self._models)

    def forget_prefixes(self) -> None:
        """Forget every model's saved prompt states (a benchmark's repeated question must not
        reuse the prompt its earlier round read)."""
        with self._lock:
            for pooled in self._models.values():
                with pooled.lock:
                    pooled.prefix_cache.clear()

    def clear(self) -> None:
        """Drop every instance (their memory is freed when no chat model holds them)."""
        with self._lock:
            self._models.clear()


_DEFAULT_POOL = ModelPool()


def default_pool() -> ModelPool:
    """The process-wide pool used by ``get_chat_model``."""
    return _DEFAULT_POOL
