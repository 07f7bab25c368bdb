"""Durable runs: persistence, approvals, budgets, record/replay, fork, bad input (scripted fake models)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage

import agentkit
from agentkit.runtime import (
    ApprovalRejectedError,
    DatabaseLockedError,
    IncompatibleSpecError,
    ReplayChatModel,
    ReplayMissError,
    RunDatabaseError,
    Runner,
    UnknownRunError,
    approve,
    parse_budget_options,
    pending_approvals,
    reject,
)
from agentkit.testing import scripted_queue as scripted
from tests._databases import NO_SERVER, postgres_schema, query, tables
from tests._needs import missing

RAN: list[str] = []  # python nodes append here when they really run


def _mark(name: str):
    def run(state: dict[str, Any]) -> dict[str, Any]:
        RAN.append(name)
        return {"trace": [name]}

    return run


def register_marks() -> None:
    """The python-node functions rt_a .. rt_d, each appending its name to RAN."""
    for name in ("a", "b", "c", "d"):
        agentkit.register_function(f"rt_{name}", _mark(name))


@pytest.fixture(autouse=True)
def _clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, agentkit_registry: None) -> None:
    RAN.clear()
    register_marks()  # forgotten after each test, with what the test registers
    monkeypatch.setenv("AGENTKIT_WORKSPACE", str(tmp_path / "ws"))


CHAIN = """
name: chain
entry: a
state: {trace: {type: list, reducer: append}}
nodes:
  a: {kind: python, function: rt_a}
  b: {kind: python, function: rt_b}
  c: {kind: python, function: rt_c}
edges: [{from: a, to: b}, {from: b, to: c}]
"""

LLM_CHAIN = """
name: asks
entry: first
state: {q: {type: str}, one: {type: str}, two: {type: str}, three: {type: str}, trace: {type: list, reducer: append}}
input: [q]
nodes:
  first: {kind: llm, prompt: "First: {q}", output: one}
  second: {kind: llm, prompt: "Second: {one}", output: two}
  mark: {kind: python, function: rt_d}
  third: {kind: llm, prompt: "Third: {two}", output: three}
edges: [{from: first, to: second}, {from: second, to: mark}, {from: mark, to: third}]
"""


def write(tmp_path: Path, text: str, name: str = "g.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# -- persistence ----------------------------------------------------------------------


def test_a_run_is_stored_and_indexed_with_its_history(tmp_path: Path, run_database: str | Path) -> None:
    spec = write(tmp_path, CHAIN)
    with Runner(run_database) as runner:
        result = runner.start(spec, {})
        assert result.status == "done" and result.values["trace"] == ["a", "b", "c"]
        assert [r.thread_id for r in runner.runs()] == [result.thread_id]
        assert [e.node for e in runner.history(result.thread_id)] == ["a", "b", "c"]
        assert [n.node for n in result.nodes] == ["a", "b", "c"]
    with Runner(run_database) as again:  # another process would see the same
        assert again.snapshot(result.thread_id).values["trace"] == ["a", "b", "c"]


def test_load_takes_the_same_persistence_options(tmp_path: Path) -> None:
    spec = write(tmp_path, CHAIN)
    graph = agentkit.load(spec, checkpointer="sqlite")
    config = {"configurable": {"thread_id": "embedded"}}
    assert graph.invoke({}, config)["trace"] == ["a", "b", "c"]
    assert (tmp_path / "ws" / "runs.sqlite").is_file()
    reloaded = agentkit.load(spec, checkpointer=tmp_path / "ws" / "runs.sqlite")
    assert reloaded.get_state(config).values["trace"] == ["a", "b", "c"]
    asynchronous = {"configurable": {"thread_id": "async"}}
    assert asyncio.run(graph.ainvoke({}, asynchronous))["trace"] == ["a", "b", "c"]
    assert graph.get_state(asynchronous).values["trace"] == ["a", "b", "c"]
    memory = agentkit.load(spec, checkpointer="memory")
    assert asyncio.run(memory.ainvoke({}, config))["trace"] == ["a", "b", "c"]
    assert [list(chunk) for chunk in memory.stream({}, {"configurable": {"thread_id": "s"}})] == [["a"], ["b"], ["c"]]
    with pytest.raises(agentkit.UserError, match="'sqlite'"):
        agentkit.load(spec, checkpointer="postgres")


def test_load_takes_a_postgresql_url(tmp_path: Path) -> None:
    with postgres_schema() as url:
        spec = write(tmp_path, CHAIN)
        graph = agentkit.load(spec, checkpointer=url)
        config = {"configurable": {"thread_id": "embedded"}}
        assert graph.invoke({}, config)["trace"] == ["a", "b", "c"]
        assert agentkit.load(spec, checkpointer=url).get_state(config).values["trace"] == ["a", "b", "c"]
        asynchronous = {"configurable": {"thread_id": "async"}}
        assert asyncio.run(graph.ainvoke({}, asynchronous))["trace"] == ["a", "b", "c"]
        assert graph.get_state(asynchronous).values["trace"] == ["a", "b", "c"]
        graph.checkpointer.conn.close()


def test_concurrent_runs_in_one_process_keep_their_threads_apart(tmp_path: Path, run_database: str | Path) -> None:
    spec = write(tmp_path, CHAIN)
    graph = agentkit.load(spec, checkpointer=run_database)
    results: dict[str, Any] = {}

    def go(i: int) -> None:
        results[f"t{i}"] = graph.invoke({"trace": [f"start{i}"]}, {"configurable": {"thread_id": f"t{i}"}})

    workers = [threading.Thread(target=go, args=(i,)) for i in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    for i in range(8):
        expected = [f"start{i}", "a", "b", "c"]
        assert results[f"t{i}"]["trace"] == expected
        assert graph.get_state({"configurable": {"thread_id": f"t{i}"}}).values["trace"] == expected


# -- approvals ------------------------------------------------------------------------

APPROVAL = CHAIN.replace("name: chain", "name: careful").replace("rt_b}", 'rt_b, approval: "Send the email?"}')


def test_a_node_needing_approval_pauses_and_resumes_when_approved(tmp_path: Path, run_database: str | Path) -> None:
    spec = write(tmp_path, APPROVAL)
    with Runner(run_database) as runner:
        paused = runner.start(spec, {})
        assert paused.status == "awaiting_approval" and RAN == ["a"]
        assert paused.approvals[0]["node"] == "b" and paused.approvals[0]["question"] == "Send the email?"
        done = runner.resume(paused.thread_id, approve=True)
        assert done.status == "done" and RAN == ["a", "b", "c"]
        with pytest.raises(agentkit.UserError, match="not waiting for an approval"):
            runner.resume(paused.thread_id, approve=True)


def test_rejecting_ends_the_run_cleanly_before_the_node(tmp_path: Path, run_database: str | Path) -> None:
    spec = write(tmp_path, APPROVAL)
    with Runner(run_database) as runner:
        paused = runner.start(spec, {})
        ended = runner.resume(paused.thread_id, approve=False, reason="not today")
        assert ended.status == "rejected" and ended.message == "b"
        assert RAN == ["a"] and ended.values["trace"] == ["a"]
        assert runner.run(paused.thread_id).status == "rejected"
        with pytest.raises(agentkit.UserError, match="rejected"):
            runner.resume(paused.thread_id)
        asked: list[dict[str, Any]] = []
        interactive = runner.start(spec, {}, ask=lambda item: asked.append(item) or True)
        assert interactive.status == "done" and asked[0]["node"] == "b"


def test_an_approval_inside_a_subgraph_pauses_the_parent_run(tmp_path: Path, run_database: str | Path) -> None:
    write(tmp_path, APPROVAL, "child.yaml")
    parent = write(tmp_path, """
name: parent
entry: pre
state: {trace: {type: list, reducer: append}, got: {type: list}}
nodes:
  pre: {kind: python, function: rt_d}
  inner: {kind: subgraph, graph: child.yaml, inputs: {}, outputs: {got: trace}}
edges: [{from: pre, to: inner}]
""", "parent.yaml")
    with Runner(run_database) as runner:
        paused = runner.start(parent, {})
        assert paused.status == "awaiting_approval" and paused.approvals[0]["node"] == "b"
        assert RAN == ["d", "a"]
        done = runner.resume(paused.thread_id, approve=True)
        assert done.status == "done" and done.values["got"] == ["a", "b", "c"]
        assert RAN == ["d", "a", "b", "c"]  # neither the parent's node nor the child's first ran again


def test_python_api_approve_and_reject(tmp_path: Path) -> None:
    graph = agentkit.load(write(tmp_path, APPROVAL), checkpointer="memory")
    yes, no = {"configurable": {"thread_id": "yes"}}, {"configurable": {"thread_id": "no"}}
    graph.invoke({}, yes)
    assert pending_approvals(graph.get_state(yes))[0]["node"] == "b"
    assert approve(graph, yes)["trace"] == ["a", "b", "c"]
    graph.invoke({}, no)
    assert reject(graph, no, "no")["trace"] == ["a"]
    with pytest.raises(ApprovalRejectedError):
        graph.invoke({}, {"configurable": {"thread_id": "raw"}})
        from langgraph.types import Command

        graph.invoke(Command(resume=False), {"configurable": {"thread_id": "raw"}})


# -- budgets --------------------------------------------------------------------------


def test_a_run_llm_call_limit_stops_cleanly_and_a_raised_limit_continues(tmp_path: Path,
                                                                         run_database: str | Path) -> None:
    spec = write(tmp_path, LLM_CHAIN)
    with Runner(run_database, model_factory=scripted("one", "two", "three")) as runner:
        stopped = runner.start(spec, {"q": "go"}, budgets=parse_budget_options(["llm_calls=2"]))
        assert stopped.status == "budget_exceeded"
        assert "llm_calls limit is 2" in stopped.message and "the run" in stopped.message
        assert stopped.values["two"] == "two" and "three" not in stopped.values and RAN == ["d"]
        again = runner.resume(stopped.thread_id)  # the same limit stops it again, before any call
        assert again.status == "budget_exceeded"
        done = runner.resume(stopped.thread_id, budgets=parse_budget_options(["llm_calls=3"]))
        assert done.status == "done" and done.values["three"] == "three"
        assert RAN == ["d"]  # committed nodes did not run again
        assert done.usage["llm_calls"] == 3


def test_node_and_token_limits_name_what_was_exceeded(tmp_path: Path, run_database: str | Path) -> None:
    spec = write(tmp_path, LLM_CHAIN)
    with Runner(run_database, model_factory=scripted("one two three four five six", "x", "y")) as runner:
        stopped = runner.start(spec, {"q": "go"}, budgets=parse_budget_options(["tokens=4"]))
        assert stopped.status == "budget_exceeded" and "tokens limit is 4 tokens (would be 5)" in stopped.message
        assert "one" not in stopped.values  # stopped during the generation
    with Runner(run_database, model_factory=scripted("one", "two", "three")) as runner:
        # each call reports 10 prompt tokens, known only when it ends: the run stops after that node
        stopped = runner.start(spec, {"q": "go"}, budgets=parse_budget_options(["tokens=8"]))
        assert stopped.status == "budget_exceeded" and "tokens limit is 8 tokens (would be 11)" in stopped.message
        assert stopped.values["one"] == "one" and "two" not in stopped.values  # the node's writes are kept
    node_budget = LLM_CHAIN.replace("output: two}", "output: two, budget: {llm_calls: 0}}")
    with Runner(run_database, model_factory=scripted("one", "two", "three")) as runner:
        stopped = runner.start(write(tmp_path, node_budget, "n.yaml"), {"q": "go"})
        assert stopped.status == "budget_exceeded" and "node 'second' llm_calls limit is 0" in stopped.message
        assert stopped.values["one"] == "one"


def test_a_node_time_limit_keeps_the_node_writes(tmp_path: Path, run_database: str | Path) -> None:
    import time

    agentkit.register_function("rt_slow", lambda state: time.sleep(0.2) or RAN.append("slow") or {"trace": ["slow"]})
    spec = write(tmp_path, CHAIN.replace("rt_b}", "rt_slow, budget: {seconds: 0.05}}"))
    with Runner(run_database) as runner:
        stopped = runner.start(spec, {})
        assert stopped.status == "budget_exceeded" and "node 'b' seconds limit" in stopped.message
        assert stopped.values["trace"] == ["a", "slow"]
        done = runner.resume(stopped.thread_id)
        assert done.status == "done" and done.values["trace"] == ["a", "slow", "c"] and RAN.count("slow") == 1


def test_budget_options_are_checked() -> None:
    budgets = parse_budget_options(["tokens=100", "ask.llm_calls=2", "seconds=1.5"], ["ask"])
    assert budgets.run.tokens == 100 and budgets.run.seconds == 1.5 and budgets.nodes["ask"].llm_calls == 2
    for bad, message in (("tokens", "LIMIT=NUMBER"), ("foo=1", "LIMIT=NUMBER"), ("tokens=x", "not a number"),
                         ("nope.tokens=1", "no node 'nope'"), ("tokens=-1", "negative")):
        with pytest.raises(agentkit.UserError, match=message):
            parse_budget_options([bad], ["ask"])


# -- record, replay, fork -------------------------------------------------------------


def test_every_llm_call_is_recorded_and_replayed_without_a_model(tmp_path: Path, run_database: str | Path) -> None:
    spec = write(tmp_path, LLM_CHAIN)
    with Runner(run_database, model_factory=scripted("one", "two", "three")) as runner:
        original = runner.start(spec, {"q": "go"})
        calls = runner.llm_calls(original.thread_id)
        assert [c.node for c in calls] == ["first", "second", "third"]
        assert all(len(c.prompt_hash) == 64 and c.output["data"]["content"] for c in calls)
        assert calls[0].input_tokens == 10
    built: list[str | None] = []
    with Runner(run_database, model_factory=lambda name: built.append(name)) as runner:
        replayed = runner.replay(original.thread_id)
    assert built == []  # no model was constructed
    assert replayed.matches is True and replayed.values == original.values
    assert replayed.thread_id != original.thread_id


def test_replay_fails_clearly_on_a_prompt_it_never_recorded() -> None:
    model = ReplayChatModel.from_calls([])
    with pytest.raises(ReplayMissError, match="never sent this prompt"):
        model.invoke([HumanMessage("hello")])


def test_fork_reruns_only_what_follows_the_node(tmp_path: Path, run_database: str | Path) -> None:
    spec = write(tmp_path, CHAIN)
    with Runner(run_database) as runner:
        original = runner.start(spec, {})
        RAN.clear()
        forked = runner.fork(original.thread_id, "b")
        assert RAN == ["c"] and forked.values["trace"] == ["a", "b", "c"]
        assert runner.run(forked.thread_id).parent_thread == original.thread_id
        assert runner.snapshot(original.thread_id).values["trace"] == ["a", "b", "c"]  # untouched
        with pytest.raises(agentkit.UserError, match="nodes: a, b, c"):
            runner.fork(original.thread_id, "zzz")


# -- bad input ------------------------------------------------------------------------


def test_resume_of_an_unknown_thread_lists_recent_ones(tmp_path: Path, run_database: str | Path) -> None:
    with Runner(run_database) as runner:
        known = runner.start(write(tmp_path, CHAIN), {}).thread_id
        with pytest.raises(UnknownRunError, match=f"recent runs: {known}"):
            runner.resume("missing")


def test_resume_after_an_incompatible_change_refuses_and_changes_nothing(tmp_path: Path,
                                                                        run_database: str | Path) -> None:
    spec = write(tmp_path, APPROVAL)
    db = run_database
    with Runner(db) as runner:
        paused = runner.start(spec, {})
    rows = query(db, "SELECT count(*) FROM checkpoints")
    spec.write_text(APPROVAL.replace("edges: [{from: a, to: b}, {from: b, to: c}]",
                                     "edges: [{from: a, to: c}, {from: c, to: b}]"))
    with Runner(db) as runner, pytest.raises(IncompatibleSpecError, match="edges changed") as info:
        runner.resume(paused.thread_id, approve=True)
    assert "Nothing was changed" in str(info.value)
    assert query(db, "SELECT count(*) FROM checkpoints") == rows
    spec.write_text(APPROVAL.replace("Send the email?", "Really send it?"))  # a compatible change
    with Runner(db) as runner:
        assert runner.resume(paused.thread_id, approve=True).status == "done"


def test_a_corrupt_database_is_reported_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "runs.sqlite"
    db.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(RunDatabaseError, match="damaged or is not an SQLite database"):
        Runner(db)
    assert db.read_bytes() == b"this is not sqlite" * 100


def test_a_locked_database_is_reported(tmp_path: Path) -> None:
    db = tmp_path / "runs.sqlite"
    Runner(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with Runner(db, busy_timeout_s=0.2) as runner, pytest.raises(DatabaseLockedError, match="locked"):
            runner.start(write(tmp_path, CHAIN), {})
    finally:
        holder.execute("ROLLBACK")


def test_an_unreachable_postgresql_server_is_a_transient_error_naming_it(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://agentkit:s3cret@127.0.0.1:{port}/runs"
    with pytest.raises(agentkit.TransientError) as info:
        Runner(url)
    message = str(info.value)
    assert f"127.0.0.1:{port}/runs" in message and "s3cret" not in message and "***" in message
    assert "Start the PostgreSQL server" in message and "nothing was written" in message
    assert not any((tmp_path / "ws").glob("*.sqlite"))  # no SQLite fallback was made behind the user's back


def test_a_postgresql_url_the_server_refuses_is_a_user_error() -> None:
    from tests._databases import postgres_dsn

    dsn = postgres_dsn()
    if dsn is None:
        missing(NO_SERVER)
    with pytest.raises(RunDatabaseError, match=r"database \"no_such_db\" does not exist.*createdb"):
        Runner(dsn.rsplit("/", 1)[0] + "/no_such_db")
    with pytest.raises(agentkit.UserError, match="not a run database; use postgresql://"):
        Runner("mysql://root@127.0.0.1/runs")


def test_a_run_driven_by_a_live_process_on_postgresql_is_not_resumed_until_it_dies(tmp_path: Path) -> None:
    """The driver holds an advisory lock for the run; the server drops it when the driver's
    connection ends, however it ends (here: SIGKILL), and the run can then be resumed."""
    import subprocess
    import sys

    with postgres_schema() as url:
        spec = write(tmp_path, LLM_CHAIN.replace("name: asks", "name: asks\nbudget: {llm_calls: 1}"))
        with Runner(url, model_factory=scripted("one", "two", "three")) as runner:
            stopped = runner.start(spec, {"q": "go"})
        holder = subprocess.Popen([sys.executable, "-c", (
            "import sys, time, psycopg\n"
            "conn = psycopg.connect(sys.argv[1], autocommit=True)\n"
            "conn.execute('SELECT pg_advisory_lock(hashtextextended(%s, 0))', (sys.argv[2],))\n"
            "print('held', flush=True)\n"
            "time.sleep(60)\n"), url, stopped.thread_id], stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            with Runner(url, model_factory=scripted("two", "three")) as runner:
                with pytest.raises(agentkit.UserError, match=f"run {stopped.thread_id} is running in process"):
                    runner.resume(stopped.thread_id, budgets=parse_budget_options(["llm_calls=3"]))
                with pytest.raises(agentkit.UserError, match="is running in process"):
                    runner.delete(stopped.thread_id)
                holder.kill()
                holder.wait()
                done = runner.resume(stopped.thread_id, budgets=parse_budget_options(["llm_calls=3"]))
                assert done.status == "done" and done.values["three"] == "three"
        finally:
            holder.kill()
            holder.wait()


# -- security -------------------------------------------------------------------------


def test_a_crafted_checkpoint_naming_a_module_is_never_imported(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    import ormsgpack
    from langgraph.checkpoint.serde.jsonplus import EXT_CONSTRUCTOR_POS_ARGS, JsonPlusSerializer

    (tmp_path / "evil_payload.py").write_text(
        "import pathlib\npathlib.Path(__file__).with_name('PWNED').write_text('x')\ndef boom(*a): return 'boom'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    db = tmp_path / "runs.sqlite"
    with Runner(db) as runner:
        thread = runner.start(write(tmp_path, CHAIN), {}).thread_id
    conn = sqlite3.connect(db)
    (blob,) = conn.execute("SELECT checkpoint FROM checkpoints WHERE thread_id = ? ORDER BY checkpoint_id DESC "
                           "LIMIT 1", (thread,)).fetchone()
    checkpoint = ormsgpack.unpackb(blob)
    checkpoint["channel_values"]["trace"] = ormsgpack.Ext(
        EXT_CONSTRUCTOR_POS_ARGS, ormsgpack.packb(["evil_payload", "boom", ["rm -rf /"]]))
    crafted = ormsgpack.packb(checkpoint)
    conn.execute("UPDATE checkpoints SET checkpoint = ? WHERE thread_id = ?", (crafted, thread))
    conn.commit()
    with Runner(db) as runner:
        value = runner.snapshot(thread).values["trace"]
    assert value == ["rm -rf /"]  # plain data, not a call
    assert "evil_payload" not in sys.modules and not (tmp_path / "PWNED").exists()
    # the control: LangGraph's permissive default would have imported and called it
    assert JsonPlusSerializer(allowed_msgpack_modules=True).loads_typed(("msgpack", ormsgpack.packb(
        ormsgpack.Ext(EXT_CONSTRUCTOR_POS_ARGS, ormsgpack.packb(["evil_payload", "boom", ["x"]]))))) == "boom"
    assert (tmp_path / "PWNED").exists()


def test_hostile_thread_ids_are_data_not_sql(tmp_path: Path, run_database: str | Path) -> None:
    db = run_database
    hostile = "x'); DROP TABLE checkpoints; DROP TABLE agentkit_runs; --"
    with Runner(db) as runner:
        result = runner.start(write(tmp_path, CHAIN), {}, thread_id=hostile)
        assert result.thread_id == hostile and runner.run(hostile).status == "done"
        assert [e.node for e in runner.history(hostile)] == ["a", "b", "c"]
        with pytest.raises(UnknownRunError):
            runner.resume("' OR '1'='1")
    assert {"checkpoints", "agentkit_runs", "agentkit_node_events", "agentkit_llm_calls"} <= tables(db)


# -- events ---------------------------------------------------------------------------


def test_events_report_nodes_tokens_and_calls(tmp_path: Path, run_database: str | Path) -> None:
    events: list[dict[str, Any]] = []
    with Runner(run_database, sink=lambda e: events.append(e.to_dict()),
                model_factory=scripted("hello there", "b", "c")) as runner:
        runner.start(write(tmp_path, LLM_CHAIN), {"q": "go"})
    kinds = [(e["event"], e["node"]) for e in events]
    assert kinds[0] == ("run_start", None) and kinds[-1] == ("run_end", None)
    assert kinds[1:5] == [("node_start", "first"), ("token", "first"), ("token", "first"), ("llm_call", "first")]
    assert [e["text"] for e in events if e["event"] == "token"][:2] == ["hello ", "there "]
    end = next(e for e in events if e["event"] == "node_end" and e["node"] == "first")
    assert end["llm_calls"] == 1 and end["tokens"] == 12
    json.dumps(events)  # every event is JSON


def test_a_spec_budget_applies_and_a_run_alive_elsewhere_is_not_resumed(tmp_path: Path) -> None:
    import subprocess
    import sys

    spec = write(tmp_path, LLM_CHAIN.replace("name: asks", "name: asks\nbudget: {llm_calls: 1}"))
    db = tmp_path / "runs.sqlite"
    with Runner(db, model_factory=scripted("one", "two", "three")) as runner:
        stopped = runner.start(spec, {"q": "go"})
        assert stopped.status == "budget_exceeded" and stopped.values["one"] == "one"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        conn = sqlite3.connect(db)
        options = json.loads(conn.execute("SELECT options FROM agentkit_runs").fetchone()[0])
        conn.execute("UPDATE agentkit_runs SET status = 'running', options = ?",
                     (json.dumps({**options, "pid": sleeper.pid}),))
        conn.commit()
        with Runner(db) as runner, pytest.raises(agentkit.UserError, match=f"running in process {sleeper.pid}"):
            runner.resume(stopped.thread_id)
    finally:
        sleeper.kill()
        sleeper.wait()


def test_replay_repeats_the_recorded_approval_decisions(tmp_path: Path, run_database: str | Path) -> None:
    spec = write(tmp_path, APPROVAL.replace("rt_c}", "rt_c, approval: true}"))
    with Runner(run_database) as runner:
        first = runner.start(spec, {})
        runner.resume(first.thread_id, approve=True)
        ended = runner.resume(first.thread_id, approve=False)
        assert ended.status == "rejected" and ended.values["trace"] == ["a", "b"]
        replayed = runner.replay(first.thread_id)
        assert replayed.status == "rejected" and replayed.matches is True
        waiting = runner.start(spec, {})
        assert runner.replay(waiting.thread_id).status == "awaiting_approval"


def test_replay_of_a_budget_stopped_run_stops_at_the_same_call(tmp_path: Path, run_database: str | Path) -> None:
    spec = write(tmp_path, LLM_CHAIN)
    with Runner(run_database, model_factory=scripted("one", "two", "three")) as runner:
        stopped = runner.start(spec, {"q": "go"}, budgets=parse_budget_options(["llm_calls=2"]))
        replayed = runner.replay(stopped.thread_id)
        assert replayed.status == "budget_exceeded" and replayed.matches is True


def test_a_run_missing_a_declared_input_is_refused_before_it_starts(tmp_path: Path, run_database: str | Path) -> None:
    spec = write(tmp_path, LLM_CHAIN)
    with Runner(run_database, model_factory=scripted("one")) as runner:
        with pytest.raises(agentkit.UserError, match=r"g.yaml: graph 'asks' needs input 'q' .* pass --input q=..."):
            runner.start(spec, {})
        assert runner.store.list_runs() == []  # nothing was recorded

