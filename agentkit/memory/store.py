"""The memory store: Chroma collections of text chunks with their embeddings.

Embedded by default (``chromadb.PersistentClient`` in ``workspace_path("memory")``),
or a Chroma server by URL (``url=...`` or ``AGENTKIT_CHROMA_URL``) for shared or
large deployments.  Telemetry is off: nothing leaves the machine.

Chroma's embedded store is not safe for two writer processes on one folder, so
the first write takes an exclusive lock file in the store folder and holds it
until ``close()`` (or the process ends); a second writer process gets
``MemoryLockedError`` instead of a corrupt store.  Reads take no lock.

Vectors are always computed here (``MiniLMEmbedder``) and handed to Chroma, so a
server never needs an embedding model of its own.

Search is by meaning; ``query(..., hybrid=True)`` fuses the ranking by meaning (cosine over the
embeddings) with a ranking by words (BM25 over the collection's chunks, ``rank_bm25``) by
reciprocal rank fusion, so a chunk holding the question's rare words ("PVC", "installer code")
comes up even when a sentence-embedding model ranks it lower.  Not the default: on the DEV
quality set it put the answer's passage in the top 3 more often (17 of 28 against 15) but the
words also brought neighbouring passages that the grounded answers then rested on (abstentions
3 of 8 against 4 of 8).  The word index is built on a collection's first hybrid query and kept
per collection until this store adds to, changes or deletes from it (or another process changes
its chunk count).

A damaged embedded store is reported, never touched: before Chroma opens the
folder, its ``chroma.sqlite3`` is checked read-only (SQLite's ``quick_check``),
because Chroma's own open writes to a damaged file (measured: garbage pages inside
it were rewritten, and a Rust panic escaped as ``PanicException``).  A folder that
is a file, a database Chroma cannot read, and any such failure later, raise
``MemoryStoreDamagedError`` naming the store and how to recover.
"""

from __future__ import annotations

import math
import os
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from agentkit.errors import (
    COLLECTION_NAME_RULE,
    CollectionNotFoundError,
    InvalidCollectionNameError,
    MemoryLockedError,
    MemoryServerError,
    MemoryStoreDamagedError,
    UserError,
)
from agentkit.words import words

if TYPE_CHECKING:
    from agentkit.memory.embeddings import MiniLMEmbedder

__all__ = [
    "DEFAULT_COLLECTION",
    "URL_ENV",
    "Hit",
    "MMR",
    "MemoryStore",
    "Record",
    "check_collection_name",
    "close_stores",
    "get_store",
]

URL_ENV = "AGENTKIT_CHROMA_URL"
DEFAULT_COLLECTION = "memory"
_EMBEDDING_KEY = "agentkit_embedding"  # collection metadata: which model made its vectors
_ADD_BATCH = 256
# Reciprocal rank fusion: a chunk's share from a ranking is weight / (_RRF_K + rank).  The usual
# constant (60) is for fusing long lists; for choosing a few chunks from two lists of ten it lets a
# chunk found by both rankings beat any found by one, whatever their ranks.  A small constant with
# words at half the weight of meaning lets words break near-ties of meaning and bring up a chunk
# holding the question's rare words.  Measured (benchmarks/bench_retrieval_hits.py on the DEV quality
# set, bench_memory_recall.py on paraphrased questions): 5 / 0.5 gained on both and lost on neither;
# 60 / 1.0 lost 4 of 53 paraphrased questions.
_RRF_K = 5
_WORDS_WEIGHT = 0.5
_FUSE_DEPTH = 10  # how far down each ranking fusion looks (at least k)
_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9]$")
_IPV4 = re.compile(r"^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$")


def check_collection_name(name: str) -> str:
    """``name`` if Chroma accepts it, else ``InvalidCollectionNameError`` stating the rule."""
    if not (3 <= len(name) <= 63 and _NAME.match(name) and ".." not in name and not _IPV4.match(name)):
        raise InvalidCollectionNameError(f"invalid collection name {name!r}: a name has {COLLECTION_NAME_RULE}")
    return name


@dataclass(frozen=True, kw_only=True)
class Record:
    """One chunk to store: a content-derived id, its text and flat metadata."""

    id: str
    text: str
    metadata: dict[str, str | int | float | bool]


_OWN_METADATA = frozenset({"source", "page", "chunk", "source_sha256", "saved_at"})


@dataclass(frozen=True, kw_only=True)
class Hit:
    """One search result; ``score`` is the cosine similarity to the query (1 is identical)."""

    id: str
    text: str
    score: float
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str | None:
        return self.metadata.get("source")

    def to_dict(self) -> dict[str, Any]:
        """``{text, source, page, chunk, score, metadata}``: what a retrieve node writes into state
        (``metadata``: the keys a ``remember`` node or an application set, not agentkit's own)."""
        return {"text": self.text, "source": self.source, "page": self.metadata.get("page"),
                "chunk": self.metadata.get("chunk"), "score": round(self.score, 4),
                "metadata": {k: v for k, v in self.metadata.items() if k not in _OWN_METADATA}}


@dataclass(frozen=True, kw_only=True)
class MMR:
    """Maximal marginal relevance: fetch ``fetch_k`` candidates, keep ``k`` relevant and varied
    ones (``lambda_mult`` 1 = relevance only, 0 = variety only)."""

    fetch_k: int = 20
    lambda_mult: float = 0.5


def get_embedder() -> MiniLMEmbedder:
    """The process's shared embedder.  Imported here, on first use, so that loading
    agentkit's plug-ins (this module included) does not import chromadb and onnxruntime
    for graphs that use no memory."""
    from agentkit.memory import embeddings

    return embeddings.get_embedder()


def _embedding_name() -> str:
    from agentkit.memory.embeddings import EMBEDDING_MODEL

    return EMBEDDING_MODEL.name


def _server_hint() -> str:
    return (f"start one with `chroma run --path DIR --host 127.0.0.1 --port PORT`, or unset {URL_ENV} / "
            f"drop --url to use the embedded store in the workspace")


class MemoryStore:
    """Chroma collections (embedded at ``path`` or a server at ``url``) with agentkit's embedder."""

    def __init__(self, *, path: str | os.PathLike[str] | None = None, url: str | None = None,
                 embedder: MiniLMEmbedder | None = None) -> None:
        from agentkit.extras import require

        require("memory", what="retrieval memory")
        import chromadb
        from chromadb.config import Settings

        if path is not None and url is not None:
            raise UserError("a memory store is either a folder (path) or a server (url), not both")
        self.embedder = embedder or get_embedder()
        self.url = url
        self.path = None if url else Path(path) if path is not None else _default_path()
        self._lock_file: Any = None
        self._write_guard = threading.Lock()
        self._lexical: dict[str, _LexicalIndex] = {}  # collection name -> its word index
        self._lexical_guard = threading.Lock()
        settings = Settings(anonymized_telemetry=False, allow_reset=False)
        if url:
            parsed = urlparse(url if "://" in url else f"http://{url}")
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                raise UserError(f"Chroma server URL {url!r}: expected http://HOST:PORT")
            port = parsed.port or (443 if parsed.scheme == "https" else 8000)
            with self._guard():
                self._client = chromadb.HttpClient(host=parsed.hostname, port=port, ssl=parsed.scheme == "https",
                                                   settings=settings)
                self._client.heartbeat()
        else:
            assert self.path is not None
            _check_embedded_store(self.path)
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UserError(f"cannot create the memory store folder {self.path} ({exc.strerror or exc}); "
                                f"point AGENTKIT_WORKSPACE at a folder you can write, or use --url") from None
            with self._guard():
                self._client = chromadb.PersistentClient(path=str(self.path), settings=settings)

    @property
    def location(self) -> str:
        return self.url or str(self.path)

    # -- connection and locking ---------------------------------------------------
    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn a server that is down or failing into ``MemoryServerError``, and an embedded
        store Chroma cannot read or write into ``MemoryStoreDamagedError``."""
        if not self.url:
            from chromadb.errors import InternalError

            try:
                yield
            except InternalError as exc:  # what Chroma's Rust core raises for SQLite failures
                raise _damaged(self.path, str(exc)) from None
            except BaseException as exc:
                # A panic in Chroma's Rust core arrives as pyo3's PanicException, which derives
                # from BaseException and is importable only by name.
                if type(exc).__name__ == "PanicException":
                    raise _damaged(self.path, str(exc).splitlines()[0] if str(exc) else "a Chroma panic") from None
                raise
            return
        import httpx

        try:
            yield
        except (httpx.TransportError, ConnectionError) as exc:
            raise MemoryServerError(f"cannot reach the Chroma server at {self.url} ({type(exc).__name__}: {exc}); "
                                    f"{_server_hint()}. Nothing was changed by the failed call.") from None
        except ValueError as exc:
            if "connect" in str(exc).lower():
                raise MemoryServerError(f"cannot reach the Chroma server at {self.url} ({exc}); "
                                        f"{_server_hint()}") from None
            raise

    def _writable(self) -> None:
        """Take this process's writer lock on an embedded store (held until ``close``)."""
        if self.url or self._lock_file is not None:
            return
        from filelock import FileLock, Timeout

        with self._write_guard:
            if self._lock_file is not None:
                return
            assert self.path is not None
            lock = FileLock(str(self.path / "writer.lock"), timeout=0, thread_local=False)
            owner = self.path / "writer.pid"
            try:
                lock.acquire()
            except Timeout:
                pid = owner.read_text().strip() if owner.is_file() else "?"
                raise MemoryLockedError(
                    f"the memory store {self.path} is open for writing by another process (pid {pid}); "
                    f"Chroma's embedded store allows one writer process. Wait for it to finish, or run a "
                    f"Chroma server (`chroma run --path {self.path}`) and point every process at it with "
                    f"--url / {URL_ENV}") from None
            owner.write_text(str(os.getpid()))
            self._lock_file = lock

    def close(self) -> None:
        """Release the writer lock (the data is already on disk)."""
        if self._lock_file is not None:
            assert self.path is not None
            (self.path / "writer.pid").unlink(missing_ok=True)
            self._lock_file.release()
            self._lock_file = None

    # -- collections ------------------------------------------------------------
    def _collection(self, name: str, *, create: bool = False) -> Any:
        check_collection_name(name)
        from chromadb.errors import NotFoundError

        with self._guard():
            if create:
                self._writable()
                collection = self._client.get_or_create_collection(
                    name, embedding_function=self.embedder, configuration={"hnsw": {"space": "cosine"}},
                    metadata={_EMBEDDING_KEY: _embedding_name()})
            else:
                try:
                    collection = self._client.get_collection(name, embedding_function=self.embedder)
                except (NotFoundError, ValueError) as exc:
                    if isinstance(exc, ValueError) and "does not exist" not in str(exc):
                        raise
                    known = ", ".join(self.collection_names()) or "(none yet)"
                    raise CollectionNotFoundError(
                        f"no collection named {name!r} in {self.location}; collections: {known}. "
                        f"Create one with `agentkit memory ingest PATH --collection {name}`") from None
        made_with = (collection.metadata or {}).get(_EMBEDDING_KEY)
        if made_with != _embedding_name():
            raise UserError(f"collection {name!r} in {self.location} holds vectors of "
                            f"{made_with or 'an unknown embedding model'}, not {_embedding_name()}; "
                            f"agentkit cannot search it (ingest into a new collection)")
        return collection

    def collection_names(self) -> list[str]:
        with self._guard():
            return sorted(c.name if hasattr(c, "name") else str(c) for c in self._client.list_collections())

    def count(self, name: str) -> int:
        with self._guard():
            return self._collection(name).count()

    def drop(self, name: str) -> int:
        """Delete a collection; returns how many chunks it held."""
        count = self.count(name)
        self._writable()
        with self._guard():
            self._client.delete_collection(name)
        self._forget_lexical(name)
        return count

    def sources(self, name: str) -> Counter[str]:
        """How many chunks each source has in collection ``name``."""
        collection = self._collection(name)
        counts: Counter[str] = Counter()
        with self._guard():
            offset = 0
            while True:
                page = collection.get(include=["metadatas"], limit=5000, offset=offset)
                for meta in page["metadatas"] or []:
                    counts[str((meta or {}).get("source", "?"))] += 1
                if len(page["ids"]) < 5000:
                    return counts
                offset += 5000

    def records(self, name: str) -> list[Record]:
        """Every chunk of collection ``name`` (for exports and benchmarks)."""
        collection = self._collection(name)
        found: list[Record] = []
        with self._guard():
            while True:
                page = collection.get(include=["documents", "metadatas"], limit=5000, offset=len(found))
                found += [Record(id=i, text=d or "", metadata=dict(m or {}))
                          for i, d, m in zip(page["ids"], page["documents"], page["metadatas"], strict=False)]
                if len(page["ids"]) < 5000:
                    return found

    # -- writing ----------------------------------------------------------------
    def ids_of_source(self, name: str, source: str) -> dict[str, dict[str, Any]]:
        """id -> metadata of every chunk of ``source`` in collection ``name`` (created if missing)."""
        collection = self._collection(name, create=True)
        with self._guard():
            page = collection.get(where={"source": source}, include=["metadatas"])
        return dict(zip(page["ids"], (m or {} for m in page["metadatas"] or []), strict=False))

    def add(self, name: str, records: Sequence[Record], *,
            on_progress: Callable[[int], None] | None = None) -> int:
        """Embed and store ``records`` whose ids are not stored yet; returns how many were added."""
        collection = self._collection(name, create=True)
        unique = list({r.id: r for r in records}.values())
        with self._guard():
            present = set(collection.get(ids=[r.id for r in unique], include=[])["ids"]) if unique else set()
        new = [r for r in unique if r.id not in present]
        if on_progress and len(unique) > len(new):
            on_progress(len(unique) - len(new))
        for start in range(0, len(new), _ADD_BATCH):
            batch = new[start:start + _ADD_BATCH]
            vectors = self.embedder.embed([r.text for r in batch])
            with self._guard():
                collection.add(ids=[r.id for r in batch], documents=[r.text for r in batch],
                               metadatas=[r.metadata for r in batch], embeddings=vectors)
            self._forget_lexical(name)
            if on_progress:
                on_progress(len(batch))
        return len(new)

    def update_metadata(self, name: str, records: Sequence[Record]) -> None:
        """Replace the metadata of stored chunks (their text and vectors stay)."""
        collection = self._collection(name, create=True)
        with self._guard():
            collection.update(ids=[r.id for r in records], metadatas=[r.metadata for r in records])
        self._forget_lexical(name)

    def delete(self, name: str, ids: Sequence[str]) -> int:
        if not ids:
            return 0
        collection = self._collection(name, create=True)
        with self._guard():
            collection.delete(ids=list(ids))
        self._forget_lexical(name)
        return len(ids)

    # -- searching ----------------------------------------------------------------
    def query(self, name: str, text: str, *, k: int = 4, where: dict[str, Any] | None = None,
              mmr: MMR | None = None, hybrid: bool = False) -> list[Hit]:
        """The ``k`` chunks that best match ``text`` (optionally filtered, or diversified by MMR).

        ``hybrid``: the ranking by meaning fused with a BM25 ranking by words (reciprocal rank
        fusion); by default, by meaning alone.  With ``mmr`` the ranking is by meaning alone.  A hit's ``score``
        is always its cosine similarity to ``text``."""
        if k < 1:
            raise UserError(f"k={k}: ask for at least one result")
        collection = self._collection(name)
        vector = self.embedder.embed([text])[0]
        hybrid = hybrid and mmr is None
        fetch = max(k, mmr.fetch_k) if mmr else max(k, _FUSE_DEPTH) if hybrid else k
        include = ["documents", "metadatas", "distances"] + (["embeddings"] if mmr else [])
        from chromadb.errors import InvalidArgumentError

        with self._guard():
            try:
                found = collection.query(query_embeddings=[vector], n_results=fetch, where=where or None,
                                         include=include)
            except (ValueError, TypeError, InvalidArgumentError) as exc:
                reason = str(exc).rstrip(".")
                raise UserError(f"invalid memory filter {where!r}: {reason}. A filter is a Chroma 'where' "
                                f"document, e.g. {{'source': 'handbook.md'}} or "
                                f"{{'page': {{'$gte': 2}}}}") from None
        hits = _hits(found)
        if mmr and hits:
            from langchain_core.vectorstores.utils import maximal_marginal_relevance

            chosen = maximal_marginal_relevance(vector, list(found["embeddings"][0]),
                                                lambda_mult=mmr.lambda_mult, k=k)
            hits = [hits[i] for i in chosen]
        if hybrid:
            hits = self._fuse(name, collection, text, vector, hits, k=k, where=where)
        # An identifier the question names ("E5", "HP-12", "KR-204518") is matched literally too: a
        # sentence-embedding model hardly tells "E5" from "E7", so the chunk that holds the code can
        # rank below its neighbours.  When no chunk found holds a code, the closest chunk that does
        # comes second (the closest in meaning stays first).
        literal: list[Hit] = []
        for code in _codes(text)[:4]:
            if any(code.lower() in hit.text.lower() for hit in hits[:k] + literal):
                continue
            with self._guard():
                try:
                    matched = collection.query(query_embeddings=[vector], n_results=1, where=where or None,
                                               where_document={"$contains": code},
                                               include=["documents", "metadatas", "distances"])
                except (ValueError, TypeError, InvalidArgumentError):
                    continue
            literal += _hits(matched)
        if literal:
            hits = hits[:1] + literal + [hit for hit in hits[1:] if hit.id not in {h.id for h in literal}]
        return hits[:k]

    # -- hybrid search: words as well as meaning ------------------------------------
    def _forget_lexical(self, name: str) -> None:
        with self._lexical_guard:
            self._lexical.pop(name, None)

    def _lexical_index(self, name: str, collection: Any) -> _LexicalIndex:
        """Collection ``name``'s word index, built once and kept until the collection changes
        (here, or in another process: its chunk count is checked on every use)."""
        with self._guard():
            count = collection.count()
        with self._lexical_guard:
            index = self._lexical.get(name)
        if index is not None and index.count == count:
            return index
        index = _LexicalIndex(self.records(name))
        with self._lexical_guard:
            self._lexical[name] = index
        return index

    def _fuse(self, name: str, collection: Any, text: str, vector: Sequence[float], hits: list[Hit], *, k: int,
              where: dict[str, Any] | None) -> list[Hit]:
        """``hits`` (ranked by meaning) fused with the BM25 ranking of the collection's chunks by
        reciprocal rank fusion; chunks only words found get their cosine score computed here."""
        depth = max(k, _FUSE_DEPTH)
        index = self._lexical_index(name, collection)
        ranked = index.rank(text, depth * 3 if where else depth)
        if not ranked:
            return hits
        if where:  # only chunks the filter allows (the word index holds every chunk)
            with self._guard():
                allowed = set(collection.get(ids=ranked, where=where, include=[])["ids"])
            ranked = [i for i in ranked if i in allowed]
        ranked = ranked[:depth]
        fused: dict[str, float] = {}
        for rank, hit in enumerate(hits[:depth], 1):
            fused[hit.id] = fused.get(hit.id, 0.0) + 1.0 / (_RRF_K + rank)
        for rank, chunk_id in enumerate(ranked, 1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + _WORDS_WEIGHT / (_RRF_K + rank)
        by_id = {hit.id: hit for hit in hits}
        missing = [i for i in ranked if i not in by_id]
        if missing:
            with self._guard():
                got = collection.get(ids=missing, include=["documents", "metadatas", "embeddings"])
            for i, doc, meta, emb in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"],
                                         strict=False):
                by_id[i] = Hit(id=i, text=doc or "", score=_cosine(vector, emb), metadata=dict(meta or {}))
        order = {hit.id: n for n, hit in enumerate(hits)}  # ties: the closer in meaning first
        best = sorted((i for i in fused if i in by_id), key=lambda i: (-fused[i], order.get(i, len(order))))
        return [by_id[i] for i in best]


def _cosine(a: Sequence[float], b: Any) -> float:
    dot = sum(float(x) * float(y) for x, y in zip(a, b, strict=False))
    norm = math.sqrt(sum(float(x) ** 2 for x in a)) * math.sqrt(sum(float(y) ** 2 for y in b))
    return dot / norm if norm else 0.0


# Words too common to tell chunks apart (BM25's idf lowers them anyway; dropping them keeps the
# index small and "what is the" from matching every chunk).
_STOP = frozenset("""a about above after again all also am an and any are as at be been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers him his
how i if in into is it its itself just me more most my no nor not of off on once only or other our ours out over own
same she should so some such than that the their theirs them then there these they this those through to too under
until up very was we were what when where which while who whom why will with would you your yours""".split())  # noqa: SIM905


def terms(text: str) -> list[str]:
    """The words of ``text`` a word index ranks by (``agentkit.words.words``: "cats" and "cat",
    "closed" and "close" meet; stop words dropped; codes and numbers such as "e5", "12", "10:30"
    kept as written)."""
    return words(text, _STOP)


class _LexicalIndex:
    """BM25 (``rank_bm25.BM25Okapi``: its idf, k1 and b) over one collection's chunks, scored through
    postings lists: a query costs the chunks that hold its words, not every chunk (rank_bm25's own
    ``get_scores`` loops over every chunk for every word: 44 ms a query at 10,000 chunks, measured)."""

    def __init__(self, records: Sequence[Record]) -> None:
        import numpy as np

        self.count = len(records)
        self.ids = [r.id for r in records]
        tokenized = [terms(r.text) for r in records]
        self._bm25: Any = None
        self._postings: dict[str, tuple[Any, Any]] = {}
        if not any(tokenized):
            return
        from rank_bm25 import BM25Okapi

        self._bm25 = bm25 = BM25Okapi(tokenized)
        rows: dict[str, tuple[list[int], list[int]]] = {}
        for n, frequencies in enumerate(bm25.doc_freqs):
            for word, tf in frequencies.items():
                docs, tfs = rows.setdefault(word, ([], []))
                docs.append(n)
                tfs.append(tf)
        self._postings = {w: (np.array(d), np.array(t, dtype=float)) for w, (d, t) in rows.items()}
        self._norm = bm25.k1 * (1 - bm25.b + bm25.b * np.array(bm25.doc_len, dtype=float) / bm25.avgdl)

    def scores(self, words: Sequence[str]) -> Any:
        """BM25 scores of every chunk for ``words`` (as ``BM25Okapi.get_scores``)."""
        import numpy as np

        out = np.zeros(self.count)
        for word in words:
            if word in self._postings:
                docs, tf = self._postings[word]
                out[docs] += self._bm25.idf.get(word, 0.0) * tf * (self._bm25.k1 + 1) / (tf + self._norm[docs])
        return out

    def rank(self, text: str, n: int) -> list[str]:
        """The ids of the ``n`` chunks sharing the most (rarity-weighted) words with ``text``; only
        chunks that share a word."""
        query = list(dict.fromkeys(terms(text)))
        if self._bm25 is None or not query:
            return []
        scores = self.scores(query)
        best = (-scores).argsort(kind="stable")[:n]
        return [self.ids[i] for i in best if scores[i] > 0]


_CODE = re.compile(r"(?<![\w-])(?=[A-Za-z-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?![\w-])")


def _codes(text: str) -> list[str]:
    """The identifiers in ``text``: words mixing letters and digits ("E5", "HP-12", "K200"; not
    "3rd" or "8mm"), as written and in capitals, each once."""
    out: list[str] = []
    for word in _CODE.findall(text):
        if word[0].isdigit() and word.islower() and "-" not in word:
            continue  # "3rd", "10am", "8mm": a number and its unit or suffix, not a code
        for form in (word, word.upper()):
            if form not in out:
                out.append(form)
    return out


def _hits(found: dict[str, Any]) -> list[Hit]:
    return [Hit(id=i, text=doc or "", score=1.0 - float(dist), metadata=dict(meta or {}))
            for i, doc, meta, dist in zip(found["ids"][0], found["documents"][0], found["metadatas"][0],
                                          found["distances"][0], strict=False)]


def _default_path() -> Path:
    from agentkit.workspace import ENV_VAR, workspace_path

    try:
        return workspace_path("memory")
    except OSError as exc:
        where = os.environ.get(ENV_VAR) or "./.agentkit"
        raise UserError(f"the workspace {where} cannot hold a memory store ({exc.strerror or exc}: "
                        f"{exc.filename}); point {ENV_VAR} at a folder you can write") from None


_SQLITE_FILE = "chroma.sqlite3"


def _damaged(path: Path | None, detail: str) -> MemoryStoreDamagedError:
    return MemoryStoreDamagedError(
        f"the memory store {path} cannot be read: {detail}. agentkit changed nothing in it. To recover, "
        f"restore the folder from a backup, or move it aside (mv {path} {path}.damaged) and ingest your "
        f"documents again into a fresh store")


def _check_embedded_store(path: Path) -> None:
    """Refuse a store folder that is not a folder, or whose SQLite file is damaged, before
    Chroma opens it (its open writes to a damaged file).  Read-only: nothing is changed."""
    if path.is_symlink() and not path.exists():
        raise _damaged(path, "it is a broken symbolic link")
    if path.exists() and not path.is_dir():
        raise MemoryStoreDamagedError(
            f"the memory store {path} is a file, not a folder; agentkit left it as it is. Move it aside "
            f"(mv {path} {path}.moved) so a new store can be made there, or use another workspace "
            f"(AGENTKIT_WORKSPACE) or a Chroma server (--url)")
    database = path / _SQLITE_FILE
    if not database.exists() and not database.is_symlink():
        return  # a new store
    if not database.is_file():
        raise _damaged(path, f"{_SQLITE_FILE} is not a regular file")
    try:
        # mode=ro: SQLite itself refuses to write; quick_check reads every page (measured:
        # 0.03 s for a 10,000-chunk store of 30 MB) and runs once per store per process.
        with sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True) as connection:
            verdict = [row[0] for row in connection.execute("PRAGMA quick_check").fetchall()]
        connection.close()
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, f"{_SQLITE_FILE} is not a readable SQLite database ({exc})") from None
    if verdict != ["ok"]:
        raise _damaged(path, f"{_SQLITE_FILE} is damaged (SQLite: {'; '.join(verdict[:3])})")


_stores: dict[str, MemoryStore] = {}
_stores_lock = threading.Lock()


def get_store(*, path: str | os.PathLike[str] | None = None, url: str | None = None) -> MemoryStore:
    """The process's store for ``url`` (default ``AGENTKIT_CHROMA_URL``) or ``path`` (default the
    workspace's ``memory`` folder), opened once and shared by nodes, tools and the CLI."""
    url = url or (os.environ.get(URL_ENV) or None if path is None else None)
    key = f"url:{url}" if url else f"path:{os.path.realpath(path) if path else _default_path()}"
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = MemoryStore(path=path, url=url)
            _stores[key] = store
        return store


def close_stores() -> None:
    """Release every shared store's writer lock (tests, and long-lived apps between jobs)."""
    with _stores_lock:
        for store in _stores.values():
            store.close()
        _stores.clear()
