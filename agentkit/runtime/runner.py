"""Runs that last: start, resume, fork and replay graph runs with durable checkpoints.

A ``Runner`` owns one run database holding LangGraph's checkpoints and agentkit's run
index (``RunStore``): the workspace's ``runs.sqlite`` by default, or a PostgreSQL server
(a ``postgresql://`` URL, or ``AGENTKIT_DATABASE_URL``) that several processes and machines
share.  Each run is a LangGraph thread; its id is returned at once (``run_start`` event).
A run is driven by one process at a time: another that tries to resume it while it is
alive is refused (SQLite: the stored pid on this machine; PostgreSQL: the driver's
advisory lock, which the server drops when the driver's connection ends).

Durability is LangGraph's ``durability="sync"``: a step's checkpoint is written
before the next step starts, so a node never runs before the writes it depends
on are on disk; a run killed at any point resumes from its last checkpoint,
finished tasks of an unfinished step included (LangGraph's pending writes), and
nodes whose writes were committed do not run again.  (``"async"`` overlaps the
write with the next step and costs less; ``benchmarks/bench_checkpoints.py``
measures both.)

Statuses: ``running`` (or killed), ``done``, ``awaiting_approval``, ``rejected``,
``budget_exceeded``, ``failed``, ``stopped`` (Ctrl-C), ``paused`` (another interrupt).
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from collections.abc import Callable, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from langgraph.types import Command

from agentkit import tracing
from agentkit.compile import compile_spec
from agentkit.errors import IncompatibleSpecError, InputError, RunInUseError, UnknownRunError, UserError
from agentkit.runtime.approvals import ApprovalRejectedError, decision_command, pending_approvals
from agentkit.runtime.budgets import BudgetExceededError, Budgets, Meter
from agentkit.runtime.checkpoints import BUSY_TIMEOUT_S, database_errors, resolve_checkpointer
from agentkit.runtime.database import DatabaseTarget, run_database
from agentkit.runtime.events import EventSink, LLMCallMonitor, RunEvent
from agentkit.runtime.fingerprint import structure, structure_changes
from agentkit.runtime.recording import ReplayChatModel
from agentkit.runtime.results import RunResult, node_summary
from agentkit.runtime.store import LLMCall, NodeRecord, RunRecord, RunStore, ToolCallRecord, open_run_store
from agentkit.spec import GraphSpec, Origin, load_spec

__all__ = ["Runner"]

DURABILITY = "sync"
Ask = Callable[[dict[str, Any]], "bool | None"]  # None: no answer now, the run waits


def _spec_json(spec: GraphSpec) -> str:
    return json.dumps(spec.model_dump(mode="json", by_alias=True, exclude_none=True))


def _config(thread_id: str, **extra: Any) -> dict[str, Any]:
    return {"configurable": {"thread_id": thread_id, **extra}}


def _inherited(options: dict[str, Any]) -> dict[str, Any]:
    """A run's options as a fork or replay of it starts with (not its process, not its decisions)."""
    return {**{k: v for k, v in options.items() if k not in ("pid", "host")}, "decisions": []}


def _stored_spec(record: RunRecord) -> GraphSpec:
    """The spec as the run stored it when it started (its file, if still there, locates subgraphs)."""
    spec = GraphSpec.model_validate(json.loads(record.spec_json))
    path = Path(record.spec_path) if record.spec_path else None
    return spec.with_origin(Origin(source=record.spec_path or "<stored spec>",
                                   path=path if path is not None and path.is_file() else None))


def _check_inputs(spec: GraphSpec, inputs: Mapping[str, Any]) -> None:
    """Refuse a run that lacks a declared input with no default: it would fail inside a node."""
    missing = spec.missing_inputs(dict(inputs))
    if missing:
        hints = ["--image PATH" if name in ("image", "images") else f"--input {name}=..." for name in missing]
        raise InputError(f"{spec.origin.source}: graph {spec.name!r} needs input {', '.join(map(repr, missing))} "
                        f"(declared under input:); pass {' '.join(hints)}")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Runner:
    """Starts and continues runs recorded in one run database (thread-safe; close when done)."""

    def __init__(self, database: DatabaseTarget | None = None, *, sink: EventSink | None = None,
                 model_factory: Callable[[str | None], Any] | None = None,
                 busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        """``database``: a path to an SQLite file or a ``postgresql://`` URL (default:
        ``AGENTKIT_DATABASE_URL``, else the workspace's ``runs.sqlite``)."""
        self.database = run_database(database)
        if isinstance(self.database, Path):
            from agentkit.runtime.checkpoints import sqlite_saver

            self.saver = sqlite_saver(self.database, busy_timeout_s=busy_timeout_s)
        else:
            self.saver = resolve_checkpointer(self.database)
        try:
            self.store: RunStore = open_run_store(self.database, busy_timeout_s=busy_timeout_s)
        except BaseException:
            self.saver.conn.close()
            raise
        self.where = self.store.where  # the database as it may be shown (a URL's password hidden)
        self.sink = sink
        self.model_factory = model_factory
        self._compiled: dict[tuple[str, str, bool], Any] = {}  # graphs built with this runner's models

    def close(self) -> None:
        self.store.close()
        self.saver.conn.close()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- public API ---------------------------------------------------------------------

    def start(self, source: str | Path | GraphSpec, inputs: Mapping[str, Any] | None = None, *,
              thread_id: str | None = None, budgets: Budgets | None = None, approve: bool | None = None,
              ask: Ask | None = None, allow_imports: bool = False) -> RunResult:
        """Run a graph from its entry in a new thread.  ``approve``: answer every approval
        with yes/no; else ``ask`` each one; else stop with status ``awaiting_approval``."""
        spec = load_spec(source)
        _check_inputs(spec, inputs or {})
        inputs = spec.with_defaults(dict(inputs or {}))
        thread_id = thread_id or uuid.uuid4().hex[:12]
        if self.store.get_run(thread_id) is not None:
            raise UserError(f"a run with thread id {thread_id!r} exists already; resume it "
                            f"(agentkit resume {thread_id}) or choose another id")
        spec_path = str(spec.origin.path) if spec.origin.path else None
        graph = self._graph(spec, allow_imports, self.model_factory)  # a spec that cannot build leaves no run
        options = {"allow_imports": allow_imports, "budgets": (budgets or Budgets()).to_dict(), "decisions": []}
        now = time.time()
        self.store.create_run(RunRecord(
            thread_id=thread_id, graph=spec.name, spec_path=spec_path, spec_json=_spec_json(spec),
            structure=json.dumps(structure(spec)), inputs=dict(inputs or {}), options=options,
            parent_thread=None, status="running", message="", created=now, updated=now, seconds=0.0))
        return self._drive(thread_id, spec, dict(inputs or {}), budgets=budgets, approve=approve, ask=ask,
                           graph=graph)

    def resume(self, thread_id: str, *, approve: bool | None = None, reason: str = "",
               budgets: Budgets | None = None, ask: Ask | None = None) -> RunResult:
        """Continue a stopped, paused or killed run from its last checkpoint."""
        record = self._record(thread_id)
        if record.status == "rejected":
            raise UserError(f"run {thread_id} ended when node {record.message} was rejected; fork it to try "
                            f"again (agentkit fork {thread_id} --from NODE)")
        spec = self._current_spec(record)
        graph = self._graph(spec, record, self.model_factory)
        snapshot = graph.get_state(_config(thread_id))
        payload: Any = None
        if self.saver.get_tuple(_config(thread_id)) is None:  # stopped before its first checkpoint
            payload = dict(record.inputs)
        elif pending_approvals(snapshot) and approve is not None:
            payload = decision_command(snapshot, approve, reason)
            self._log_decision(thread_id, approve)
            approve = None  # this decision only; later approvals are asked again
        elif approve is not None:
            raise UserError(f"run {thread_id} is not waiting for an approval (status {record.status})")
        elif not snapshot.tasks and not pending_approvals(snapshot) and snapshot.values:
            # Finished: no task left, not even one whose writes are saved but not yet applied (a run
            # killed right after its first step shows no `next`, yet its start task still has writes).
            result = self._result(thread_id, "done", snapshot.values, "the run had already finished")
            result.output = {k: v for k, v in snapshot.values.items() if not spec.output or k in spec.output}
            return result
        merged = Budgets.from_dict(record.options.get("budgets", {})).merged(budgets or Budgets())
        if budgets is not None:
            self.store.update_run(thread_id, status=record.status, message=record.message,
                                  options={**record.options, "budgets": merged.to_dict()})
        return self._drive(thread_id, spec, payload, budgets=merged, approve=approve, ask=ask, graph=graph)

    def fork(self, thread_id: str, from_node: str, *, new_thread_id: str | None = None,
             budgets: Budgets | None = None, approve: bool | None = None, ask: Ask | None = None) -> RunResult:
        """A new run that starts from ``thread_id``'s checkpoint right after ``from_node`` last ran
        and re-runs only what follows (with the graph file as it is now)."""
        record = self._record(thread_id)
        spec = self._current_spec(record)
        if from_node not in spec.nodes:
            raise UserError(f"--from {from_node!r}: no such node in {spec.name}; nodes: {', '.join(spec.nodes)}")
        graph = self._graph(spec, record, self.model_factory)
        history = list(graph.get_state_history(_config(thread_id)))  # newest first
        by_parent = {s.parent_config["configurable"]["checkpoint_id"]: s for s in history if s.parent_config}
        point = next((by_parent[s.config["configurable"]["checkpoint_id"]] for s in history
                      if any(t.name == from_node for t in s.tasks)
                      and s.config["configurable"]["checkpoint_id"] in by_parent), None)
        if point is None:
            ran = sorted({t.name for s in history for t in s.tasks if s.config["configurable"]["checkpoint_id"]
                          in by_parent})
            raise UserError(f"node {from_node!r} never finished in run {thread_id}; nodes that did: "
                            f"{', '.join(ran) or 'none'}")
        new_id = new_thread_id or uuid.uuid4().hex[:12]
        self._copy_thread(thread_id, new_id, point.config["configurable"]["checkpoint_id"])
        now = time.time()
        self.store.create_run(RunRecord(
            thread_id=new_id, graph=spec.name, spec_path=record.spec_path, spec_json=_spec_json(spec),
            structure=json.dumps(structure(spec)), inputs=record.inputs,
            options={**_inherited(record.options), "forked_from": from_node}, parent_thread=thread_id,
            status="running", message="", created=now, updated=now, seconds=0.0))
        self._emit("fork", new_id, from_node, {"source_thread": thread_id})
        merged = Budgets.from_dict(record.options.get("budgets", {})).merged(budgets or Budgets())
        return self._drive(new_id, spec, None, budgets=merged, approve=approve, ask=ask)

    def replay(self, thread_id: str, *, new_thread_id: str | None = None) -> RunResult:
        """Re-run a recorded run from its inputs with every LLM reply served from the record
        (no model is loaded); ``matches`` says whether it ended in the recorded final state."""
        record = self._record(thread_id)
        spec = _stored_spec(record)
        calls = self._lineage_calls(record)
        replay_model = ReplayChatModel.from_calls(calls)
        new_id = new_thread_id or uuid.uuid4().hex[:12]
        now = time.time()
        decisions = list(record.options.get("decisions", []))
        self.store.create_run(RunRecord(
            thread_id=new_id, graph=spec.name, spec_path=record.spec_path, spec_json=record.spec_json,
            structure=record.structure, inputs=record.inputs,
            options={**_inherited(record.options), "replay_of": thread_id},
            parent_thread=thread_id, status="running", message="", created=now, updated=now, seconds=0.0))
        graph = self._graph(spec, record, lambda name: replay_model)
        # The run's last budgets (a run stopped by one stops again at the same call) and its
        # recorded decisions in order (past the last one the replay waits, as the run did).
        result = self._drive(new_id, spec, record.inputs, budgets=Budgets.from_dict(record.options.get("budgets", {})),
                             graph=graph, ask=lambda item: decisions.pop(0) if decisions else None)
        source = graph.get_state(_config(thread_id)).values
        result.matches = result.values == source
        return result

    def delete(self, thread_id: str) -> None:
        """Delete a run: its checkpoints, index row, node events and recorded LLM calls.

        Refused while the run is alive in another process, and for a run that others
        were forked or replayed from (their replays read its recorded calls)."""
        record = self._record(thread_id)
        self._refuse_if_alive(record)
        children = self.store.children(thread_id)
        if children:
            raise UserError(f"run {thread_id} has runs forked or replayed from it ({', '.join(children)}); "
                            f"delete those first")
        with database_errors(self.database):
            self.saver.delete_thread(thread_id)
        self.store.delete_run(thread_id)

    def runs(self, limit: int = 20) -> list[RunRecord]:
        """The most recent runs, newest first."""
        return self.store.list_runs(limit)

    def run(self, thread_id: str) -> RunRecord:
        """The index record of one run (``UnknownRunError`` listing recent runs if absent)."""
        return self._record(thread_id)

    def history(self, thread_id: str, *, nested: bool = False) -> list[NodeRecord]:
        """Every node execution of a run, in order: node, start, seconds, LLM calls, tokens, status
        (with ``nested``, also the nodes that ran inside them: ``NodeRecord.parent`` says where)."""
        self._record(thread_id)
        return self.store.node_events(thread_id, nested=nested)

    def snapshot(self, thread_id: str) -> Any:
        """LangGraph's ``StateSnapshot`` of the run's latest checkpoint (values, next, tasks)."""
        record = self._record(thread_id)
        return self._graph(_stored_spec(record), record, lambda name: ReplayChatModel()).get_state(
            _config(thread_id))

    def tool_calls(self, thread_id: str) -> list[ToolCallRecord]:
        """The tool calls the run's nodes made (an agent's tool loop), in order."""
        self._record(thread_id)
        return self.store.tool_calls(thread_id)

    def llm_calls(self, thread_id: str) -> list[LLMCall]:
        self._record(thread_id)
        return self.store.llm_calls(thread_id)

    # -- internals ----------------------------------------------------------------------

    def _record(self, thread_id: str) -> RunRecord:
        record = self.store.get_run(thread_id)
        if record is None:
            recent = [r.thread_id for r in self.store.list_runs(5)]
            raise UnknownRunError(
                f"no run with thread id {thread_id!r} in {self.where}; "
                + (f"recent runs: {', '.join(recent)} (agentkit runs list)" if recent else "no runs recorded yet"))
        return record

    def _refuse_if_alive(self, record: RunRecord, *, keep: bool = False) -> None:
        """Refuse a run another process is driving; with ``keep`` this process takes the run
        (until ``self.store.release``), else it only checks."""
        pid, host = record.options.get("pid"), record.options.get("host")
        where = f"process {pid}" + (f" on {host}" if host and host != socket.gethostname() else "")
        if not self.store.claim(record.thread_id):
            raise RunInUseError(f"run {record.thread_id} is running in {where}; wait for it or stop it first")
        if not keep:
            self.store.release(record.thread_id)
        if self.store.shared:  # the claim above is the server's lock: it holds across machines
            return
        here = host in (None, socket.gethostname())
        if record.status == "running" and here and pid not in (None, os.getpid()) and _pid_alive(int(pid)):
            if keep:
                self.store.release(record.thread_id)
            raise RunInUseError(f"run {record.thread_id} is running in process {pid}; wait for it or stop it first")

    def _current_spec(self, record: RunRecord) -> GraphSpec:
        """The spec file as it is now, if it still fits the run's checkpoints (else the stored one)."""
        if record.spec_path is None or not Path(record.spec_path).is_file():
            return _stored_spec(record)
        spec = load_spec(record.spec_path)
        changes = structure_changes(json.loads(record.structure), structure(spec))
        if changes:
            raise IncompatibleSpecError(
                f"{record.spec_path} changed since run {record.thread_id} started, and its checkpoints "
                f"cannot follow: {'; '.join(changes)}. Nothing was changed; restore the file, or start a "
                f"new run (prompts, models, budgets and descriptions may change freely)")
        return spec

    def _graph(self, spec: GraphSpec, record: RunRecord | bool, model_factory: Any) -> Any:
        """Compile ``spec`` on this runner's saver (``record``: the run, or its allow_imports).
        Graphs built with the runner's own models are kept: a runner that runs one spec many
        times (a batch worker) builds it once."""
        allow = record if isinstance(record, bool) else bool(record.options.get("allow_imports"))
        cacheable = model_factory is None or model_factory is self.model_factory
        key = (_spec_json(spec), str(spec.origin.path or ""), allow)
        if cacheable and key in self._compiled:
            return self._compiled[key]
        graph = compile_spec(spec, model_factory=model_factory or self.model_factory, checkpointer=self.saver,
                             allow_imports=allow)
        if cacheable:
            if len(self._compiled) >= 16:
                self._compiled.pop(next(iter(self._compiled)))
            self._compiled[key] = graph
        return graph

    def _lineage_calls(self, record: RunRecord) -> list[LLMCall]:
        calls: list[LLMCall] = []
        seen: set[str] = set()
        current: RunRecord | None = record
        while current is not None and current.thread_id not in seen:
            seen.add(current.thread_id)
            calls = self.store.llm_calls(current.thread_id) + calls
            current = self.store.get_run(current.parent_thread) if current.parent_thread else None
        return calls

    def _copy_thread(self, source: str, target: str, until_checkpoint: str) -> None:
        """Copy ``source``'s root checkpoints up to ``until_checkpoint`` into thread ``target``."""
        chain = []
        tup = self.saver.get_tuple(_config(source, checkpoint_ns="", checkpoint_id=until_checkpoint))
        while tup is not None:
            chain.append(tup)
            tup = self.saver.get_tuple(tup.parent_config) if tup.parent_config else None
        parent: dict[str, Any] = _config(target, checkpoint_ns="")
        for tup in reversed(chain):
            parent = self.saver.put(parent, tup.checkpoint, tup.metadata, tup.checkpoint["channel_versions"])

    def _emit(self, kind: str, thread_id: str, node: str | None = None, data: dict[str, Any] | None = None) -> None:
        if self.sink is not None:
            self.sink(RunEvent(kind=kind, thread_id=thread_id, node=node, data=data or {}))

    def _result(self, thread_id: str, status: str, values: dict[str, Any], message: str = "",
                approvals: list[dict[str, Any]] | None = None) -> RunResult:
        calls, tokens = self.store.usage(thread_id)
        record = self.store.get_run(thread_id)
        return RunResult(thread_id=thread_id, status=status, values=values, message=message,
                         approvals=approvals or [], nodes=node_summary(self.store.node_events(thread_id)),
                         usage={"llm_calls": calls, "tokens": tokens,
                                "seconds": round(record.seconds, 3) if record else 0.0})

    def _drive(self, thread_id: str, spec: GraphSpec, payload: Any, *, budgets: Budgets | None,
               approve: bool | None = None, ask: Ask | None = None, graph: Any = None) -> RunResult:
        record = self._record(thread_id)
        self._refuse_if_alive(record, keep=True)
        try:
            return self._drive_claimed(record, spec, payload, budgets=budgets, approve=approve, ask=ask, graph=graph)
        finally:
            self.store.release(thread_id)

    def _drive_claimed(self, record: RunRecord, spec: GraphSpec, payload: Any, *, budgets: Budgets | None,
                       approve: bool | None, ask: Ask | None, graph: Any) -> RunResult:
        thread_id = record.thread_id
        self.store.update_run(thread_id, status="running", message="",
                              options={**record.options, "pid": os.getpid(), "host": socket.gethostname()})
        graph = graph or self._graph(spec, record, self.model_factory)
        budgets = Budgets.from_spec(spec).merged(budgets or Budgets())
        calls, tokens = self.store.usage(thread_id)
        meter = Meter(budgets, llm_calls=calls, tokens=tokens, seconds=record.seconds)
        tracer = tracing.run_handler(spec.name, thread_id)  # nodes time their own spans, kinds included
        monitor = LLMCallMonitor(thread_id=thread_id, meter=meter, tracer=tracer,
                                 record=lambda call: self.store.add_llm_call(thread_id, call), sink=self.sink,
                                 record_tool=lambda call: self.store.add_tool_call(thread_id, call))
        config = {**_config(thread_id), "callbacks": [monitor], "recursion_limit": spec.recursion_limit}
        self._emit("run_start", thread_id, data={"graph": spec.name, "database": self.where})
        status, message = "running", ""
        try:
            while True:
                with database_errors(self.database):
                    self._stream(graph, payload, config, thread_id, meter)
                snapshot = graph.get_state(_config(thread_id))
                approvals = pending_approvals(snapshot)
                if not approvals:
                    status = "done" if not snapshot.next else "paused"
                    message = "" if not snapshot.next else f"stopped before {', '.join(snapshot.next)}"
                    break
                for item in approvals:
                    self._emit("approval", thread_id, item["node"], {"question": item["question"]})
                answers = {item["id"]: ask(item) for item in approvals} if approve is None and ask else {}
                if approve is not None:
                    payload = decision_command(snapshot, approve)
                    self._log_decision(thread_id, approve)
                elif answers and None not in answers.values():
                    payload = Command(resume={key: {"approved": bool(yes), "reason": ""}
                                              for key, yes in answers.items()})
                    for yes in answers.values():
                        self._log_decision(thread_id, bool(yes))
                else:
                    status = "awaiting_approval"
                    message = ", ".join(item["node"] for item in approvals)
                    break
        except BudgetExceededError as exc:
            status, message = "budget_exceeded", str(exc)
        except ApprovalRejectedError as exc:
            status, message = "rejected", exc.node
        except KeyboardInterrupt:
            status, message = "stopped", "stopped by the user"
            raise
        except BaseException as exc:
            status, message = "failed", f"{type(exc).__name__}: {exc}"
            raise
        finally:
            self.store.update_run(thread_id, status=status, message=message, add_seconds=meter.unrecorded_seconds())
            values = graph.get_state(_config(thread_id)).values
            if tracer is not None:
                tracer.finish(status, message)
            self._emit("run_end", thread_id, data={"status": status, "message": message})
        snapshot = graph.get_state(_config(thread_id))
        result = self._result(thread_id, status, values, message, pending_approvals(snapshot))
        result.output = {k: values[k] for k in spec.output if k in values} if spec.output else dict(values)
        return result

    def _log_decision(self, thread_id: str, approved: bool) -> None:
        record = self._record(thread_id)
        options = {**record.options, "decisions": [*record.options.get("decisions", []), approved]}
        self.store.update_run(thread_id, status=record.status, message=record.message, options=options)

    def _stream(self, graph: Any, payload: Any, config: dict[str, Any], thread_id: str, meter: Meter) -> None:
        started: dict[str, float] = {}
        with closing(graph.stream(payload, config, stream_mode="tasks", durability=DURABILITY,
                                  subgraphs=True)) as stream:
            for namespace, event in stream:
                if namespace:  # a node inside one of the run's nodes (a subgraph, an agent's loop...)
                    self._nested_event("|".join(namespace), event, thread_id, started)
                    continue
                task, node = event["id"], event["name"]
                if "input" in event:  # a task starts
                    started[task] = time.time()
                    meter.node_started(task)
                    self._emit("node_start", thread_id, node, {"task": task})
                    continue
                paused = bool(event.get("interrupts")) and not event.get("error")
                if paused:  # waits for a human: not an execution
                    meter.node_finished(task, node)
                    continue
                calls, tokens = meter.node_usage(task)
                error = event.get("error")
                status = ("ok" if error is None else "rejected" if isinstance(error, ApprovalRejectedError)
                          else "budget" if isinstance(error, BudgetExceededError) else "error")
                begun = started.pop(task, time.time())
                elapsed = round(time.time() - begun, 4)
                self.store.add_node_event(thread_id, NodeRecord(node=node, started=begun, seconds=elapsed,
                                                                llm_calls=calls, tokens=tokens, status=status,
                                                                task=task),
                                          run_seconds=meter.unrecorded_seconds())
                self._emit("node_end", thread_id, node, {"seconds": elapsed, "llm_calls": calls, "tokens": tokens,
                                                         "status": status, "task": task})
                meter.node_finished(task, node)  # a per-node time limit stops the run after this node

    def _nested_event(self, parent: str, event: dict[str, Any], thread_id: str, started: dict[str, float]) -> None:
        """Record a node that ran inside another (its ``parent`` namespace says where); budgets
        and the per-node table count the outer node, so this only adds to the run's history."""
        task, node = event["id"], event["name"]
        if "input" in event:
            started[task] = time.time()
            self._emit("node_start", thread_id, node, {"task": task, "parent": parent})
            return
        if event.get("interrupts") and not event.get("error"):
            return
        error = event.get("error")
        status = ("ok" if error is None else "rejected" if isinstance(error, ApprovalRejectedError)
                  else "budget" if isinstance(error, BudgetExceededError) else "error")
        begun = started.pop(task, time.time())
        elapsed = round(time.time() - begun, 4)
        self.store.add_node_event(thread_id, NodeRecord(node=node, started=begun, seconds=elapsed, llm_calls=0,
                                                        tokens=0, status=status, task=task, parent=parent))
        self._emit("node_end", thread_id, node, {"seconds": elapsed, "status": status, "task": task,
                                                 "parent": parent})
