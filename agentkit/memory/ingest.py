"""Ingestion: files and folders -> text chunks with metadata -> a memory collection.

Reads txt, md, html and pdf (pypdf); splits with langchain-text-splitters;
each chunk carries ``source`` (the file's name, or ``FOLDER/relative/path`` when a
folder was ingested), ``page`` (pdf pages, from 1), ``chunk`` (its index within
the source) and ``source_sha256``.  A chunk's id derives from its source and
content, so ingesting the same source again adds nothing, and a changed source
gets its new chunks added and its old ones removed (new ones first: a failure
half-way leaves extra chunks, never missing ones; running again repairs it).
Binary, unreadable, unsupported and over-size files are skipped and reported.
With ``prune``, a folder's sources whose files are gone lose their chunks.

Every file is opened through ``agentkit.files`` (open first, then check what was
opened): devices, fifos, sockets, symbolic-link loops and broken links are never
read, a file inside an ingested folder must really lie inside it (links followed),
and no more than ``max_file_bytes`` is read.  In a folder they are skipped and listed
with the reason; given directly, anything but a regular file or a folder is a
``UserFileError`` before the store is touched.  Folders are walked without following
links to folders (a link loop cannot make the walk go round).  Paths and source
names are reported, and sources stored, with control characters escaped.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from agentkit.errors import FileTooLargeError, UserError, UserFileError
from agentkit.files import file_kind, open_user_file, printable, read_user_file, refusal
from agentkit.memory.store import MemoryStore, Record, check_collection_name, get_store

__all__ = [
    "DEFAULT_CHUNK_OVERLAP",
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_MAX_FILE_BYTES",
    "FileResult",
    "IngestReport",
    "SUPPORTED_SUFFIXES",
    "UnreadableFile",
    "chunk_records",
    "ingest",
    "read_pages",
    "split_text",
]

# About 200 word pieces: below the embedding model's 256-token window, so no chunk is cut off.
DEFAULT_CHUNK_SIZE = 800
DEFAULT_CHUNK_OVERLAP = 100
DEFAULT_MAX_FILE_BYTES = 100 * 2**20
SUPPORTED_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                      ".html": "html", ".htm": "html", ".pdf": "pdf"}


class UnreadableFile(Exception):
    """A file that cannot be turned into text; the message says why."""


@dataclass(frozen=True, kw_only=True)
class Page:
    text: str
    page: int | None = None  # 1-based, for paged formats


@dataclass(kw_only=True)
class FileResult:
    """What happened to one file: added, updated, unchanged, empty or skipped (with why)."""

    path: str
    source: str
    status: str
    chunks_added: int = 0
    chunks_removed: int = 0
    reason: str = ""


@dataclass(kw_only=True)
class IngestReport:
    collection: str
    location: str
    files: list[FileResult] = field(default_factory=list)
    pruned: dict[str, int] = field(default_factory=dict)  # source -> chunks removed (its file is gone)

    @property
    def skipped(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "skipped"]

    @property
    def chunks_added(self) -> int:
        return sum(f.chunks_added for f in self.files)

    @property
    def chunks_removed(self) -> int:
        return sum(f.chunks_removed for f in self.files) + sum(self.pruned.values())

    def counts(self) -> dict[str, int]:
        return dict(Counter(f.status for f in self.files))

    def to_dict(self) -> dict[str, object]:
        return {"collection": self.collection, "store": self.location, "counts": self.counts(),
                "chunks_added": self.chunks_added, "chunks_removed": self.chunks_removed,
                "files": [vars(f) for f in self.files], "pruned": self.pruned}


# -- reading ---------------------------------------------------------------------
def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise UnreadableFile("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"not UTF-8 text (byte {exc.start}); convert it to UTF-8 first") from None


# Elements that start a new line of text; everything else (strong, a, em, span, code...) is inline,
# and its words stay in their sentence ("Quiet hours are <b>22:00 to 07:00</b>." is one line).
_HTML_BLOCKS = ("address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl", "dt",
                "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
                "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr",
                "ul")


def _html_text(html: str) -> str:
    """The visible text of an HTML page: a line per block element (paragraph, heading, list item,
    table row -- its cells joined by " | "), inline elements kept inside their line."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    title = " ".join(soup.title.get_text().split()) if soup.title else ""  # before <head> goes
    for tag in soup(["script", "style", "noscript", "template", "head", "title"]):
        tag.decompose()
    for tag in soup.find_all("br"):
        tag.replace_with("\n")
    for tag in soup.find_all(["td", "th"]):
        if tag.find_next_sibling(["td", "th"]) is not None:
            tag.insert_after(" | ")
    for tag in soup.find_all(_HTML_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = [" ".join(line.split()) for line in soup.get_text().splitlines()]
    body = "\n".join(line for line in lines if line)
    return f"{title}\n\n{body}" if title and not body.startswith(title) else body


def _pdf_pages(data: bytes) -> list[Page]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile("encrypted PDF (needs a password)")
        pages = [Page(text=(p.extract_text() or "").strip(), page=n) for n, p in enumerate(reader.pages, 1)]
    except UnreadableFile:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableFile(f"unreadable PDF ({type(exc).__name__}: {exc})") from None
    if pages and not any(p.text for p in pages):
        raise UnreadableFile("PDF without extractable text (a scan? run OCR on it first)")
    return pages


def _kind(path: Path) -> str:
    kind = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise UnreadableFile(f"unsupported file type {printable(path.suffix) or '(no suffix)'!r}; supported: "
                             f"{', '.join(sorted(SUPPORTED_SUFFIXES))}")
    return kind


def read_pages(path: Path, data: bytes | None = None, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> list[Page]:
    """The text of a supported file (one ``Page`` per pdf page); ``UnreadableFile`` says why not.
    ``data``: the file's content, already read; otherwise it is read through ``agentkit.files``
    (at most ``max_bytes``; a file that is not a regular file raises ``UserFileError``)."""
    kind = _kind(path)
    if data is None:
        data = read_user_file(path, max_bytes=max_bytes, what="document")
    if kind == "pdf":
        return _pdf_pages(data)
    text = _decode(data)
    return [Page(text=_html_text(text) if kind == "html" else text)]


# -- chunking ----------------------------------------------------------------------
def split_text(text: str, *, chunk_size: int = DEFAULT_CHUNK_SIZE, chunk_overlap: int = DEFAULT_CHUNK_OVERLAP,
               markdown: bool = False) -> list[str]:
    """``text`` cut into overlapping chunks of at most ``chunk_size`` characters, at paragraph,
    sentence and word boundaries where possible (headings first for markdown)."""
    from langchain_text_splitters import Language, RecursiveCharacterTextSplitter

    if markdown:
        splitter = RecursiveCharacterTextSplitter.from_language(Language.MARKDOWN, chunk_size=chunk_size,
                                                                chunk_overlap=chunk_overlap)
    else:
        splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap)
    return [c for c in splitter.split_text(text) if c.strip()]


def chunk_id(source: str, page: int | None, text: str, occurrence: int) -> str:
    """A chunk's id: from its source, page and text (and which repeat of that text it is)."""
    key = f"{source}\x00{page or 0}\x00{occurrence}\x00{text}".encode()
    return hashlib.sha256(key).hexdigest()[:40]


# How files are read into text: raised when that changes (2: HTML keeps inline elements in their line), so
# ingesting again re-reads files stored by an older reader even though their bytes did not change.
READER_VERSION = 2


def chunk_records(source: str, pages: Sequence[Page], *, source_sha256: str = "",
                  chunk_size: int = DEFAULT_CHUNK_SIZE, chunk_overlap: int = DEFAULT_CHUNK_OVERLAP,
                  markdown: bool = False, extra: dict[str, str | int | float | bool] | None = None) -> list[Record]:
    """The records of one source: chunks with ids and ``source/page/chunk`` metadata."""
    records: list[Record] = []
    seen: Counter[tuple[int | None, str]] = Counter()
    for page in pages:
        for text in split_text(page.text, chunk_size=chunk_size, chunk_overlap=chunk_overlap, markdown=markdown):
            seen[(page.page, text)] += 1
            metadata: dict[str, str | int | float | bool] = {**(extra or {}), "source": source,
                                                             "chunk": len(records)}
            if page.page is not None:
                metadata["page"] = page.page
            if source_sha256:
                metadata["source_sha256"] = source_sha256
                metadata["reader"] = READER_VERSION
            records.append(Record(id=chunk_id(source, page.page, text, seen[(page.page, text)]), text=text,
                                  metadata=metadata))
    return records


# -- finding files -------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class _Found:
    path: Path
    source: str
    root: Path | None  # the ingested folder it must really lie in (None: given directly)
    skip: str = ""  # why it is skipped without being opened


def _check_root(path: Path) -> bool:
    """Whether ``path`` (given directly) is a folder; a regular file gives False, anything else
    (a device, fifo, socket, link loop, broken link) raises ``UserFileError``.  This only
    picks "walk it" or "read it": a file is judged again by what its open returns."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError) as exc:
        raise refusal(path, exc, what="path") from None
    if stat.S_ISDIR(mode):
        return True
    kind = file_kind(mode)
    if kind is not None:
        raise refusal(path, kind, what="path")
    return False


def _walk(root: Path) -> Iterable[_Found]:
    """What to read for ``root``: itself (a file) or every file under it, hidden ones left
    out.  Links to folders are not followed (reported as skipped), so a link loop cannot
    make the walk go round; links to files are opened, and read if they lead inside ``root``."""
    if not _check_root(root):
        yield _Found(path=root, source=printable(root.name), root=None)
        return
    base = root.resolve()

    def found(path: Path, skip: str = "") -> _Found:
        return _Found(path=path, source=f"{printable(base.name)}/{printable(path.relative_to(root).as_posix())}",
                      root=base, skip=skip)

    unlisted: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unlisted.append):
        here = Path(dirpath)
        visible = sorted(d for d in dirnames if not d.startswith("."))
        dirnames[:] = [d for d in visible if not (here / d).is_symlink()]
        for name in sorted(set(visible) - set(dirnames)):
            yield found(here / name, "a symbolic link to a folder: links to folders are not followed "
                                     "(ingest the folder itself)")
        for name in sorted(filenames):
            if not name.startswith("."):
                yield found(here / name)
    for exc in unlisted:
        yield found(Path(exc.filename) if exc.filename else root,
                    f"the folder cannot be listed ({exc.strerror or exc})")


@dataclass(kw_only=True)
class _Plan:
    result: FileResult
    records: list[Record]
    stale: list[str]


def ingest(paths: Sequence[str | os.PathLike[str]], collection: str, *, store: MemoryStore | None = None,
           chunk_size: int = DEFAULT_CHUNK_SIZE, chunk_overlap: int = DEFAULT_CHUNK_OVERLAP,
           max_file_bytes: int = DEFAULT_MAX_FILE_BYTES, prune: bool = False,
           progress: Callable[[int, int], None] | None = None) -> IngestReport:
    """Add files and folders to ``collection``; ``progress(done, total)`` is told about chunks
    as they are embedded.  Unchanged sources cost one lookup; nothing is embedded twice.
    ``prune``: for each folder given, remove the chunks of its sources (``FOLDER/...``)
    whose files no longer exist; sources from elsewhere are never touched."""
    check_collection_name(collection)
    if chunk_overlap >= chunk_size:
        raise UserError(f"chunk overlap ({chunk_overlap}) must be smaller than the chunk size ({chunk_size})")
    missing = [repr(os.fspath(p)) for p in paths if not os.path.lexists(p)]
    if missing:
        raise UserError(f"no such file or folder: {', '.join(missing)}")
    found = [item for root in paths for item in _walk(Path(root))]  # refuses bad paths before the store opens
    store = store or get_store()
    report = IngestReport(collection=collection, location=store.location)
    plans = [_plan(item, collection, store, chunk_size, chunk_overlap, max_file_bytes) for item in found]
    report.files = [p.result for p in plans]
    total = sum(len(p.records) for p in plans)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    for plan in plans:
        if plan.records:
            plan.result.chunks_added = store.add(collection, plan.records, on_progress=advance)
        plan.result.chunks_removed = store.delete(collection, plan.stale)
    if prune:
        seen = {p.result.source for p in plans}
        prefixes = tuple(f"{printable(Path(root).resolve().name)}/" for root in paths if Path(root).is_dir())
        for source in sorted(store.sources(collection)) if prefixes else []:
            if source.startswith(prefixes) and source not in seen:
                report.pruned[source] = store.delete(collection, list(store.ids_of_source(collection, source)))
    return report


def _plan(item: _Found, collection: str, store: MemoryStore, chunk_size: int, chunk_overlap: int,
          max_file_bytes: int) -> _Plan:
    source = item.source
    result = FileResult(path=printable(item.path), source=source, status="skipped", reason=item.skip)
    if item.skip:
        return _Plan(result=result, records=[], stale=[])
    try:
        kind = _kind(item.path)  # an unsupported name is never opened
        with open_user_file(item.path, max_bytes=max_file_bytes, roots=[item.root] if item.root else None,
                            what="document") as opened:
            data = opened.read()
        digest = hashlib.sha256(data).hexdigest()
        existing = store.ids_of_source(collection, source)
        if existing and all(m.get("source_sha256") == digest and m.get("reader") == READER_VERSION
                            for m in existing.values()):
            result.status = "unchanged"
            return _Plan(result=result, records=[], stale=[])
        pages = read_pages(item.path, data)
    except FileTooLargeError as exc:
        result.reason = f"{exc.reason} (raise it with --max-file-mb)"
        return _Plan(result=result, records=[], stale=[])
    except UserFileError as exc:
        result.reason = exc.reason
        return _Plan(result=result, records=[], stale=[])
    except UnreadableFile as exc:
        result.reason = str(exc)
        return _Plan(result=result, records=[], stale=[])
    except OSError as exc:
        result.reason = f"cannot read ({exc.strerror or exc})"
        return _Plan(result=result, records=[], stale=[])
    records = chunk_records(source, pages, source_sha256=digest, chunk_size=chunk_size,
                            chunk_overlap=chunk_overlap, markdown=kind == "markdown")
    new_ids = {r.id for r in records}
    stale = [i for i in existing if i not in new_ids]
    if not records:
        result.status, result.reason = "empty", "no text"
    else:
        result.status = "updated" if existing else "added"
    # Chunks kept from the old version may have moved: store their new index and digest too.
    kept = [r for r in records if r.id in existing and existing[r.id] != r.metadata]
    if kept:
        store.update_metadata(collection, kept)
    return _Plan(result=result, records=[r for r in records if r.id not in existing], stale=stale)
