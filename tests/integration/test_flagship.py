"""The shipped graphs end to end on the real default model, the real embeddings, Chroma and OCR.

Assertions are about what does not depend on the model's wording: which nodes and
tools ran, which sources were retrieved and cited, that OCR text reached the
prompt, that structured output validates, that loops end and answers are
remembered.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from pydantic import BaseModel

import agentkit
from agentkit.memory import get_store, ingest
from agentkit.memory.store import close_stores
from agentkit.runtime import Runner

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "examples" / "data" / "docs"
IMAGES = ROOT / "examples" / "data" / "images"
RECEIPT_TEXT = "HARROWGATE HARDWARE"


class Receipt(BaseModel):
    vendor: str
    date: str
    total: float
    currency: str | None


class Seen(BaseCallbackHandler):
    """The prompts of every chat-model call."""

    def __init__(self) -> None:
        self.prompts: list[str] = []

    def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
        self.prompts.append("\n".join(str(m.content) for m in messages[0]))


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with the sample documents in the default collection (built once)."""
    path = tmp_path_factory.mktemp("flagship")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AGENTKIT_WORKSPACE", str(path))
        close_stores()
        ingest([DOCS], "memory")
        close_stores()
    return path


@pytest.fixture()
def workspace(ingested: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the ingested workspace (answers remembered by one test stay there)."""
    path = tmp_path / "ws"
    shutil.copytree(ingested, path)
    monkeypatch.setenv("AGENTKIT_WORKSPACE", str(path))
    monkeypatch.setenv("AGENTKIT_IMAGE_ROOTS", str(IMAGES))
    close_stores()
    yield path
    close_stores()


def _stream(graph_name: str, inputs: dict[str, Any]) -> tuple[dict[str, Any], list[str], list[str]]:
    """Run a shipped graph: its final state, every node that ran (``sub/node`` inside a
    subgraph) and every prompt sent to the model."""
    graph, seen, ran, final = agentkit.load(graph_name), Seen(), [], {}
    for namespace, mode, data in graph.stream(inputs, {"callbacks": [seen]}, stream_mode=["updates", "values"],
                                              subgraphs=True):
        if mode == "values" and not namespace:
            final = data
        elif mode == "updates":
            prefix = "/".join(part.split(":")[0] for part in namespace)
            ran += [f"{prefix}/{node}" if prefix else node for node in data]
    return final, ran, seen.prompts


def test_rag_qa_answers_from_the_sentence_that_says_it(workspace: Path) -> None:
    state, ran, prompts = _stream("rag_qa", {"question": "How often should the K200 kettle be descaled?"})
    assert ran == ["retrieve", "answer"]
    assert state["passages"][0]["source"] == "docs/kettle-k200-manual.md"
    assert "Passage from docs/kettle-k200-manual.md" in prompts[0] and "every four weeks" in prompts[0]
    assert state["supported"] is True
    (support,) = state["support"]
    assert "Descale every four weeks" in support["text"] and support["source"] == "docs/kettle-k200-manual.md"
    assert state["sources"] == [{"source": "docs/kettle-k200-manual.md", "page": None}]
    assert "four weeks" in state["answer"] or "4 weeks" in state["answer"]


def test_rag_qa_says_so_when_the_documents_do_not_say(workspace: Path) -> None:
    state, ran, _ = _stream("rag_qa", {"question": "What is the K200 kettle's price in Japanese yen?"})
    assert ran == ["retrieve", "answer"]
    assert state["supported"] is False and state["sources"] == [] and state["support"] == []
    assert "yen" not in state["answer"].lower() or "not" in state["answer"].lower()


def test_receipt_reader_reads_extracts_and_remembers(workspace: Path) -> None:
    image = str(IMAGES / "receipt.png")
    state, ran, prompts = _stream("receipt_reader", {"image": image})
    assert ran == ["read", "look", "extract", "remember"]
    assert state["text"].startswith(RECEIPT_TEXT) and "TOTAL 14.74" in state["text"]
    (extraction,) = [p for p in prompts if "Extract the receipt" in p]
    assert state["text"] in extraction  # the OCR text reached the extraction prompt whole: no line judged an order
    receipt = Receipt.model_validate(state["receipt"])
    assert receipt.total == pytest.approx(14.74) and "HARDWARE" in receipt.vendor.upper()
    (hit,) = get_store().query("memory", "what did I buy at the hardware shop", k=1)
    assert hit.source == "receipt" and "14.74" in hit.text  # now a document question can find it


def test_image_story_describes_from_the_tools_with_one_model_call(workspace: Path) -> None:
    with Runner() as runner:
        result = runner.start("image_story", {"image": str(IMAGES / "astronaut.jpg")})
        calls = runner.llm_calls(result.thread_id)
    assert result.status == "done"
    assert [n.node for n in result.nodes] == ["look", "story"]
    assert "1 face was found" in result.output["description"]  # the measured facts, not the model's guess
    # the picture's text is judged for orders first (one call a sentence), then one story is written
    judged = [c for c in calls if "Does this sentence try to steer" in str(c.prompt)]
    (story,) = [c for c in calls if c not in judged]
    assert {c.node for c in calls} == {"story"} and all(c.output_tokens <= 1 for c in judged)
    assert story.output_tokens <= 200  # the story node's max_tokens
    assert result.output["story"].strip()


def test_research_computes_from_numbers_in_the_documents_and_shows_them(workspace: Path) -> None:
    with Runner() as runner:
        result = runner.start("research", {"question": "How many litres do three full K200 kettles hold in total?"})
    assert result.status == "done"
    assert [n.node for n in result.nodes] == ["look_up", "compute", "lookup"]  # a calculation: no lookup after
    calculation = result.output["calculation"]
    assert result.output["supported"] is True
    assert calculation["value"] == pytest.approx(5.1)  # 3 x 1.7 litres, computed by the calculator
    assert "5.1" in result.output["answer"]
    assert "docs/kettle-k200-manual.md" in {s["source"] for s in result.output["sources"]}  # the facts' source


def test_assistant_answers_a_document_question_and_remembers_the_answer(workspace: Path) -> None:
    question = "What soil do the tea plants in the greenhouse need?"
    with Runner() as runner:
        first = runner.start("assistant", {"question": question})
        again = runner.start("assistant", {"question": question})
        second_calls = runner.llm_calls(again.thread_id)
    assert first.status == "done"
    assert [n.node for n in first.nodes] == ["recall", "triage", "text_kind", "documents", "keep", "remember"]
    assert first.output["supported"] is True
    assert {s["source"] for s in first.output["sources"]} == {"docs/greenhouse-care.html"}
    # Asked again: answered from memory, with no model call at all.
    assert [n.node for n in again.nodes] == ["recall", "triage"] and second_calls == []
    assert again.output == first.output


def test_assistant_sends_arithmetic_to_research(workspace: Path) -> None:
    with Runner() as runner:
        result = runner.start("assistant", {"question": "How many litres do two full K200 kettles hold in total?"})
    assert result.status == "done"
    assert [n.node for n in result.nodes][:5] == ["recall", "triage", "text_kind", "arithmetic", "research"]
    assert result.values["calculation"]["value"] == pytest.approx(3.4)  # 2 x 1.7 litres


def test_assistant_reads_a_receipt_picture(workspace: Path) -> None:
    with Runner() as runner:
        result = runner.start("assistant", {"question": "What was the total on this receipt?",
                                            "image": str(IMAGES / "receipt.png")})
    assert result.status == "done"
    assert [n.node for n in result.nodes] == ["recall", "triage", "look", "picture_kind", "receipt", "look_answer"]
    Receipt.model_validate(result.values["receipt"])
    assert result.output["supported"] is True
    assert result.output["sources"] == [{"source": "receipt.png", "page": None}]
    assert "14.74" in result.output["answer"]


def test_assistant_tells_a_story_about_a_photo(workspace: Path) -> None:
    with Runner() as runner:
        result = runner.start("assistant", {"question": "Tell me a short story about this picture.",
                                            "image": str(IMAGES / "astronaut.jpg")})
    assert result.status == "done"
    assert [n.node for n in result.nodes] == ["recall", "triage", "look", "picture_kind", "story", "picture_source"]
    assert result.output["answer"].strip() and "1 face was found" in result.values["facts"][0]["text"]
    assert result.output["sources"] == [{"source": "astronaut.jpg", "page": None}]


def test_the_main_job_from_the_command_line(workspace: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "agentkit.cli", "run", "assistant", "--input",
                           "question=How many days of paid holiday do Northwind employees get?"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600, env=_env(workspace))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "per node" in out and "documents" in out and "total" in out  # the per-node table
    assert "[1] docs/northwind-handbook.md" in out  # the sources, numbered
    listed = subprocess.run([sys.executable, "-m", "agentkit.cli", "runs", "list", "--json"], capture_output=True,
                            text=True, cwd=ROOT, timeout=120, env=_env(workspace))
    assert json.loads(listed.stdout)[0]["status"] == "done"


def _env(workspace: Path) -> dict[str, str]:
    import os

    return {**os.environ, "AGENTKIT_WORKSPACE": str(workspace)}
