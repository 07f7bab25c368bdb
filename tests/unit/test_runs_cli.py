"""The run commands: run (live / JSON lines), resume, fork, replay, runs list|show, and their errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agentkit.cli.app import app
from tests.unit.test_runtime import APPROVAL, LLM_CHAIN, RAN, register_marks, scripted, write

cli = CliRunner()


@pytest.fixture(autouse=True)
def _workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, agentkit_registry: None,
               run_database: str | Path) -> None:
    """Every command runs on the workspace's SQLite file, then on PostgreSQL through
    AGENTKIT_DATABASE_URL (as a deployment would set it)."""
    register_marks()
    RAN.clear()
    monkeypatch.setenv("AGENTKIT_WORKSPACE", str(tmp_path / "ws"))
    if isinstance(run_database, str):
        monkeypatch.setenv("AGENTKIT_DATABASE_URL", run_database)
    else:
        monkeypatch.delenv("AGENTKIT_DATABASE_URL", raising=False)
    monkeypatch.setattr("agentkit.llm.get_chat_model", scripted(*[f"reply {i}" for i in range(20)]))


def lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_run_streams_json_lines_and_ends_with_the_result(tmp_path: Path) -> None:
    result = cli.invoke(app, ["run", str(write(tmp_path, LLM_CHAIN)), "-i", "q=hi", "--json"])
    assert result.exit_code == 0, result.output
    events = lines(result.stdout)
    assert events[0]["event"] == "run_start" and events[0]["thread_id"]
    assert {"node_start", "token", "llm_call", "node_end", "run_end"} <= {e["event"] for e in events}
    final = events[-1]
    assert final["event"] == "result" and final["status"] == "done" and final["values"]["three"] == "reply 2"
    assert [n["node"] for n in final["nodes"]] == ["first", "second", "mark", "third"]
    assert final["usage"]["llm_calls"] == 3


def test_run_prints_the_thread_and_a_per_node_table(tmp_path: Path) -> None:
    result = cli.invoke(app, ["run", str(write(tmp_path, LLM_CHAIN)), "-i", "q=hi"])
    assert result.exit_code == 0, result.output
    assert "thread " in result.stderr and "done" in result.stderr
    assert "per node" in result.stdout and "LLM calls" in result.stdout and "third" in result.stdout


def test_budget_stop_exits_3_and_resume_with_a_raised_limit_finishes(tmp_path: Path) -> None:
    spec = write(tmp_path, LLM_CHAIN)
    stopped = cli.invoke(app, ["run", str(spec), "-i", "q=hi", "--budget", "llm_calls=1", "--json"])
    assert stopped.exit_code == 3
    final = lines(stopped.stdout)[-1]
    assert final["status"] == "budget_exceeded" and "llm_calls limit is 1" in final["message"]
    done = cli.invoke(app, ["resume", final["thread_id"], "--budget", "llm_calls=3", "--json"])
    assert done.exit_code == 0, done.output
    assert lines(done.stdout)[-1]["status"] == "done"


def test_approve_and_reject_from_the_command_line(tmp_path: Path) -> None:
    spec = str(write(tmp_path, APPROVAL))
    paused = lines(cli.invoke(app, ["run", spec, "--json"]).stdout)[-1]  # stdin is not a terminal: no prompt
    assert paused["status"] == "awaiting_approval" and paused["approvals"][0]["node"] == "b"
    approved = lines(cli.invoke(app, ["resume", paused["thread_id"], "--approve", "--json"]).stdout)[-1]
    assert approved["status"] == "done" and approved["values"]["trace"] == ["a", "b", "c"]
    rejected = lines(cli.invoke(app, ["run", spec, "--reject", "--json"]).stdout)[-1]
    assert rejected["status"] == "rejected" and rejected["values"]["trace"] == ["a"]
    auto = lines(cli.invoke(app, ["run", spec, "--approve", "--json"]).stdout)[-1]
    assert auto["status"] == "done"
    asked = cli.invoke(app, ["run", spec], input="y\n")
    assert "needs approval" in asked.stdout


def test_runs_list_show_fork_and_replay(tmp_path: Path) -> None:
    spec = str(write(tmp_path, LLM_CHAIN))
    thread = lines(cli.invoke(app, ["run", spec, "-i", "q=hi", "--json"]).stdout)[-1]["thread_id"]
    listed = json.loads(cli.invoke(app, ["runs", "list", "--json"]).stdout)
    assert listed[0]["thread_id"] == thread and listed[0]["llm_calls"] == 3
    shown = json.loads(cli.invoke(app, ["runs", "show", thread, "--json"]).stdout)
    assert [n["node"] for n in shown["nodes"]] == ["first", "second", "mark", "third"]
    assert shown["nodes"][0]["tokens"] == 12
    table = cli.invoke(app, ["runs", "show", thread])
    assert "history" in table.stdout and "second" in table.stdout
    RAN.clear()
    forked = lines(cli.invoke(app, ["fork", thread, "--from", "mark", "--json"]).stdout)
    assert forked[-1]["status"] == "done" and RAN == []  # only 'third' re-ran
    assert [e["node"] for e in forked if e["event"] == "node_start"] == ["third"]
    replayed = cli.invoke(app, ["replay", thread, "--json"])
    assert replayed.exit_code == 0 and lines(replayed.stdout)[-1]["matches"] is True


def test_bad_thread_ids_get_a_message_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    from agentkit.cli import main

    for args in (["resume", "nope"], ["runs", "show", "x'; DROP TABLE checkpoints; --"],
                 ["fork", "nope", "--from", "a"]):
        assert main(args) == 2, args
        err = " ".join(capsys.readouterr().err.split())
        assert "no run with thread id" in err and "Traceback" not in err


def test_runs_delete_removes_checkpoints_history_and_calls(tmp_path: Path) -> None:
    from agentkit.runtime import Runner

    spec = write(tmp_path, LLM_CHAIN)
    with Runner() as runner:
        first = runner.start(spec, {"q": "hi"}).thread_id
        forked = runner.fork(first, "first").thread_id
        assert runner.llm_calls(first)
    refused = CliRunner().invoke(app, ["runs", "delete", first, "--yes"])
    assert refused.exit_code != 0 and f"forked or replayed from it ({forked})" in str(refused.exception)
    asked = CliRunner().invoke(app, ["runs", "delete", forked], input="n\n")
    assert asked.exit_code == 1
    ok = CliRunner().invoke(app, ["runs", "delete", forked, first, "--yes", "--json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout) == {"deleted": [forked, first]}
    with Runner() as runner:
        assert runner.runs() == [] and runner.saver.get_tuple({"configurable": {"thread_id": first}}) is None
        for table in ("agentkit_node_events", "agentkit_llm_calls"):
            assert runner.store._read(f"SELECT count(*) AS n FROM {table}", ())[0]["n"] == 0
    unknown = CliRunner().invoke(app, ["runs", "delete", "nope", "--yes"])
    assert unknown.exit_code != 0 and "no run with thread id 'nope'" in str(unknown.exception)


def test_output_values_read_as_text_sources_and_passages() -> None:
    from agentkit.cli.runs import display_value

    assert display_value("Descale monthly [1].") == "Descale monthly [1]."
    assert display_value([{"source": "docs/kettle.md", "page": None}, {"source": "manual.pdf", "page": 2}]) == (
        "[1] docs/kettle.md\n[2] manual.pdf, page 2")
    passage = {"text": "Descale   the kettle\nevery four weeks. " * 20, "source": "kettle.md", "page": None,
               "score": 0.6642}
    line = display_value([passage], width=30)
    assert line.startswith("[1] kettle.md (score 0.66): Descale the kettle every four") and line.endswith("...")
    shown = display_value({"vendor": "HARROWGATE HARDWARE", "total": 14.74})
    assert shown == "vendor: HARROWGATE HARDWARE\ntotal: 14.74"
    assert display_value([1, "two"]) == '[1, "two"]' and display_value(None) == "null"
