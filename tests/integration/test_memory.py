"""Memory on real parts: the int8 MiniLM embeddings, embedded Chroma, and a real Chroma
server (``chroma run`` on loopback, started here) running the same tests.

Also: data survives a restart (read back in a new process), a second writer process
on one embedded store is refused, and a server that is down gives a clear error and
loses nothing.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest

import agentkit
from agentkit.memory import MemoryStore, get_embedder, ingest
from agentkit.memory.store import close_stores
from agentkit.spec import parse_spec
from tests.pdf_files import make_pdf

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "examples" / "data" / "docs"
CHROMA = Path(sys.executable).parent / "chroma"


class ChromaServer:
    """``chroma run --path PATH --host 127.0.0.1 --port PORT``, ready when its heartbeat answers."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ChromaServer:
        self.process = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"chroma run exited with status {self.process.returncode}")
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("chroma run did not answer its heartbeat within 30 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    running = ChromaServer(tmp_path_factory.mktemp("chroma-server")).start()
    yield running
    running.stop()


@pytest.fixture()
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("AGENTKIT_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.delenv("AGENTKIT_CHROMA_URL", raising=False)
    close_stores()
    yield tmp_path / "ws"
    close_stores()


@pytest.fixture(params=["embedded", "server"])
def store(request: pytest.FixtureRequest, workspace: Path, monkeypatch: pytest.MonkeyPatch) -> MemoryStore:
    """The same tests on the embedded store and on a real Chroma server (the process's shared store)."""
    if request.param == "server":
        monkeypatch.setenv("AGENTKIT_CHROMA_URL", request.getfixturevalue("server").url)
    return agentkit.memory.get_store()


def _unique(name: str) -> str:
    return f"{name}-{os.getpid()}-{time.monotonic_ns() % 10**9}"


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agentkit.cli", "memory", *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


def test_embeddings_place_paraphrases_close_and_unrelated_text_far() -> None:
    vectors = get_embedder().embed(["How do I reset the router to factory settings?",
                                    "Hold the recessed button on the back for ten seconds to erase all settings.",
                                    "The town was twinned with a French village in 1963."])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > 0.35 and similarity[0, 1] > similarity[0, 2] + 0.25


def test_sample_corpus_answers_paraphrased_questions(store: MemoryStore) -> None:
    collection = _unique("corpus")
    report = ingest([CORPUS], collection, store=store)
    assert report.counts() == {"added": 5} and report.chunks_added == store.count(collection)
    for question, source in [("My company notebook computer got stolen on the bus, what do I do?",
                              "docs/northwind-handbook.md"),
                             ("How do I get rid of chalky deposits caused by hard water?",
                              "docs/kettle-k200-manual.md"),
                             ("Which royal anniversary was the square's timepiece built to celebrate?",
                              "docs/harrowgate-history.md"),
                             ("What kind of earth do these shrubs grow best in?", "docs/greenhouse-care.html")]:
        assert source in [h.source for h in store.query(collection, question, k=3)], question
    again = ingest([CORPUS], collection, store=store)
    assert again.chunks_added == 0 and again.counts() == {"unchanged": 5}
    store.drop(collection)


def test_pdf_pages_and_a_changed_source(store: MemoryStore, tmp_path: Path) -> None:
    collection = _unique("pdf")
    pdf = tmp_path / "manual.pdf"
    pdf.write_bytes(make_pdf(["The warranty lasts two years from purchase",
                              "Spare filters are sold in packs of three"]))
    ingest([pdf], collection, store=store)
    hit = store.query(collection, "how long is the guarantee?", k=1)[0]
    assert (hit.source, hit.metadata["page"]) == ("manual.pdf", 1)
    pdf.write_bytes(make_pdf(["The warranty lasts five years from purchase"]))
    changed = ingest([pdf], collection, store=store)
    assert changed.files[0].status == "updated" and changed.chunks_removed == 2 and changed.chunks_added == 1
    found = [h.text for h in store.query(collection, "guarantee", k=5)]
    assert found == ["The warranty lasts five years from purchase"]


def test_retrieve_and_remember_nodes_on_real_embeddings(store: MemoryStore) -> None:
    collection = _unique("notes")
    spec = parse_spec(f"""
name: notes
entry: save
state: {{note: {{type: str}}, question: {{type: str}}, found: {{type: list}}}}
input: [note, question]
output: [found]
nodes:
  save: {{kind: remember, text: "{{note}}", metadata: {{kind: fact}}, collection: {collection}}}
  find: {{kind: retrieve, query: "{{question}}", collection: {collection}, k: 1, mmr: true, output: found}}
edges: [{{from: save, to: find}}]
""")
    graph = agentkit.load(spec)
    graph.invoke({"note": "The spare key is under the blue flower pot.", "question": "x"})
    graph.invoke({"note": "Bin collection is on Tuesday mornings.", "question": "x"})
    found = graph.invoke({"note": "The boiler was serviced in May.", "question": "Where can I find a key to get in?"})
    assert found["found"][0]["text"] == "The spare key is under the blue flower pot."
    assert store.count(collection) == 3


def test_embedded_data_survives_a_restart_and_a_second_writer_is_refused(workspace: Path) -> None:
    ingest([CORPUS / "kettle-k200-manual.md"], "kettle")
    # A new process reads what this one wrote, while this process still holds the writer lock.
    read = _cli("query", "what does E1 on the display mean", "-c", "kettle", "-k", "1", "--json")
    assert read.returncode == 0, read.stderr
    assert "switched on empty" in json.loads(read.stdout)["hits"][0]["text"]
    refused = _cli("ingest", str(CORPUS / "ferncloud-router-guide.md"), "-c", "kettle")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr  # transient: the writer may finish
    assert f"open for writing by another process (pid {os.getpid()})" in " ".join(refused.stderr.split())
    count = agentkit.memory.get_store().count("kettle")
    close_stores()  # this process stops writing: now the other one may
    allowed = _cli("ingest", str(CORPUS / "ferncloud-router-guide.md"), "-c", "kettle", "--json")
    assert allowed.returncode == 0, allowed.stderr
    added = json.loads(allowed.stdout)["chunks_added"]
    assert agentkit.memory.get_store().count("kettle") == count + added


def test_server_data_survives_a_restart_and_a_server_that_is_down_loses_nothing(tmp_path: Path) -> None:
    chroma = ChromaServer(tmp_path / "server").start()
    env = {"AGENTKIT_CHROMA_URL": chroma.url, "AGENTKIT_WORKSPACE": str(tmp_path / "ws")}
    try:
        first = _cli("ingest", str(CORPUS / "harrowgate-history.md"), "-c", "town", "--json", env=env)
        assert first.returncode == 0, first.stderr
        stored = json.loads(first.stdout)["chunks_added"]
        chroma.stop()
        down = _cli("ingest", str(CORPUS / "northwind-handbook.md"), "-c", "town", env=env)
        assert down.returncode == 1 and "Traceback" not in down.stderr  # transient: the server may come back
        assert f"cannot reach the Chroma server at {chroma.url}" in " ".join(down.stderr.split())
        chroma.start()
        listed = _cli("list", "--json", env=env)
        assert json.loads(listed.stdout)["collections"] == [{"name": "town", "chunks": stored}]
        hit = _cli("query", "When did trains first arrive?", "-c", "town", "-k", "1", "--json", env=env)
        assert "1847" in json.loads(hit.stdout)["hits"][0]["text"]
    finally:
        chroma.stop()
