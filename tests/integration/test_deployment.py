"""The README's deployment on this machine: 2 worker processes + one PostgreSQL + one Chroma server
(`chroma run`), all on loopback, driven by the CLI as a user would (`agentkit batch --workers 2` with
AGENTKIT_DATABASE_URL and AGENTKIT_CHROMA_URL), on the real default model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import agentkit
from agentkit.memory import MemoryStore
from tests._databases import NO_SERVER, postgres_dsn, postgres_schema
from tests._needs import missing
from tests.integration.test_memory import ChromaServer

pytestmark = [pytest.mark.integration, pytest.mark.slow]

AGENTKIT = Path(sys.executable).parent / "agentkit"
WORDS = ["amber", "cobalt", "saffron", "juniper", "obsidian", "tangerine"]

SPEC = """
name: lockers
description: remember a locker's code word in the shared memory, find it again, and answer from it
entry: note
state:
  locker: {type: int}
  word: {type: str}
  passages: {type: list}
  answer: {type: str}
input: [locker, word]
output: [answer]
nodes:
  note:
    kind: remember
    collection: lockers
    text: "The code word of locker {locker} is {word}."
    source: "locker-{locker}"
  find:
    kind: retrieve
    collection: lockers
    query: "{word}"
    k: 1
    output: passages
  answer:
    kind: llm
    prompt: |-
      {passages}
      What is the code word of locker {locker}? Answer with the word only.
    max_tokens: 8
    output: answer
edges: [{from: note, to: find}, {from: find, to: answer}]
"""


@pytest.fixture()
def deployment(tmp_path: Path) -> Iterator[tuple[str, str]]:
    if postgres_dsn() is None:
        missing(NO_SERVER)
    chroma = ChromaServer(tmp_path / "chroma").start()
    try:
        with postgres_schema() as database:
            yield database, chroma.url
    finally:
        chroma.stop()


def test_two_workers_share_one_postgresql_and_one_chroma_server(deployment: tuple[str, str], tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    database, chroma_url = deployment
    (tmp_path / "lockers.yaml").write_text(SPEC)
    inputs = tmp_path / "lockers.jsonl"
    inputs.write_text("".join(json.dumps({"locker": i + 1, "word": w}) + "\n" for i, w in enumerate(WORDS)))
    out = tmp_path / "results.jsonl"
    env = {**os.environ, "AGENTKIT_DATABASE_URL": database, "AGENTKIT_CHROMA_URL": chroma_url,
           "AGENTKIT_WORKSPACE": str(tmp_path / "workspace"), "AGENTKIT_N_THREADS": "1"}
    command = [str(AGENTKIT), "batch", str(tmp_path / "lockers.yaml"), str(inputs), "-o", str(out), "--workers", "2"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["line"] for r in lines) == list(range(1, len(WORDS) + 1))  # each input once
    assert all(r["status"] == "done" for r in lines), [r.get("error") for r in lines]
    for r in lines:  # the answer came from the note the same run stored on the Chroma server
        assert WORDS[r["line"] - 1] in r["output"]["answer"].lower()
    assert len({r["worker"] for r in lines}) == 2  # both workers took inputs

    # the shared state is on the servers, not in the workspace: any process (or machine) sees it
    assert not (tmp_path / "workspace" / "runs.sqlite").exists()
    assert not (tmp_path / "workspace" / "memory").exists()
    with agentkit.Runner(database) as runner:
        runs = {r.thread_id: r for r in runner.runs(limit=100)}
    assert {r["thread_id"] for r in lines} <= set(runs)
    assert all(runs[r["thread_id"]].status == "done" for r in lines)
    store = MemoryStore(url=chroma_url)
    assert store.count("lockers") == len(WORDS)

    # the same command again, from a second "machine" (another workspace): nothing runs twice
    env["AGENTKIT_WORKSPACE"] = str(tmp_path / "elsewhere")
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    assert len(out.read_text().splitlines()) == len(WORDS)
