"""Durable runs from the shell: ``run``'s body, ``resume``, ``fork``, ``replay`` and ``runs list|show``.

Everything here is presentation over ``agentkit.runtime.Runner``: live output
with rich (node events, streamed tokens, a per-node table at the end) or one
JSON object per line with ``--json``.  Exit status: 0 done (or rejected, or
paused for an approval nobody could give interactively: the status says which),
3 stopped by a budget, 1 a node failed.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from agentkit.cli.common import DatabaseOption, JsonFlag, ThreadsOption
from agentkit.cli.common import err as _err
from agentkit.cli.common import out as _out
from agentkit.errors import UserError
from agentkit.runtime import Runner, RunResult
from agentkit.runtime.budgets import Budgets, parse_budget_options
from agentkit.runtime.events import RunEvent

__all__ = ["ApproveFlag", "BudgetOption", "RejectFlag", "TraceOption", "fork", "replay", "resume", "runs_app",
           "start_run", "tracing_to"]

EXIT_BUDGET = 3

BudgetOption = Annotated[list[str], typer.Option(
    "--budget", help="A limit: [NODE.]llm_calls|tokens|seconds=N (repeatable), e.g. tokens=2000.")]
ApproveFlag = Annotated[bool, typer.Option("--approve", help="Approve every node that asks for approval.")]
RejectFlag = Annotated[bool, typer.Option("--reject", help="Reject the first node that asks for approval.")]
TraceOption = Annotated[str | None, typer.Option(
    "--trace", help="OpenTelemetry traces of the run: console (spans on stderr) or otlp "
                    "(OTEL_EXPORTER_OTLP_ENDPOINT); also AGENTKIT_TRACE.")]


@contextmanager
def tracing_to(exporter: str | None) -> Iterator[None]:
    """Trace the runs inside the block to ``exporter`` (None: as AGENTKIT_TRACE says); spans
    are flushed when it ends."""
    from agentkit import tracing

    if exporter:
        tracing.enable(exporter)
    try:
        yield
    finally:
        if exporter or tracing.active():
            tracing.disable()

runs_app = typer.Typer(no_args_is_help=True, help="Stored runs: list them, show one's history.")


class LiveView:
    """Prints run events as they happen: rich text, or one JSON object per line."""

    def __init__(self, *, as_json: bool) -> None:
        self.as_json = as_json
        self._lock = threading.Lock()
        self._streaming: str | None = None  # node whose tokens are being printed

    def __call__(self, event: RunEvent) -> None:
        with self._lock:
            if self.as_json:
                print(json.dumps(event.to_dict(), default=str), flush=True)
                return
            self._show(event)

    def _end_tokens(self) -> None:
        if self._streaming is not None:
            _out.print()
            self._streaming = None

    def _show(self, event: RunEvent) -> None:
        kind, node, data = event.kind, escape(event.node or ""), event.data
        if kind == "token":
            if self._streaming != event.node:
                self._end_tokens()
                _out.print(f"  [dim]{node}>[/dim] ", end="")
                self._streaming = event.node
            _out.print(data["text"], end="", markup=False, highlight=False, style="dim")
            return
        self._end_tokens()
        if kind == "run_start":
            _err.print(f"[bold]thread {event.thread_id}[/bold] [dim]({escape(data['graph'])}, "
                       f"{escape(data['database'])})[/dim]")
        elif kind == "fork":
            _err.print(f"fork of {data['source_thread']} from after node {node}")
        elif kind in ("node_start", "node_end") and data.get("parent"):  # inside another node
            indent = "  " * (1 + data["parent"].count("|"))
            if kind == "node_end":
                mark = "" if data["status"] == "ok" else f" [red]{data['status']}[/red]"
                _out.print(f"[dim]{indent}< {node}{mark} {data['seconds']:.2f} s[/dim]")
        elif kind == "node_start":
            _out.print(f"[cyan]> {node}[/cyan]")
        elif kind == "node_end":
            mark = "[green]ok[/green]" if data["status"] == "ok" else f"[red]{data['status']}[/red]"
            _out.print(f"[cyan]< {node}[/cyan] {mark} [dim]{data['seconds']:.2f} s, {data['llm_calls']} LLM "
                       f"call(s), {data['tokens']} tokens[/dim]")
        elif kind == "approval":
            _out.print(f"[yellow]? {node} needs approval:[/yellow] {escape(data['question'])}")


def _ask(item: dict[str, Any]) -> bool:
    return typer.confirm(f"Approve node {item['node']!r}? {item['question']}", default=False, err=True)


def _decision(approve: bool, reject: bool) -> bool | None:
    if approve and reject:
        raise UserError("--approve and --reject exclude each other")
    return True if approve else False if reject else None


def _interactive(as_json: bool) -> bool:
    return not as_json and sys.stdin.isatty()


def _budgets(items: list[str]) -> Budgets | None:
    return parse_budget_options(items) if items else None


def display_value(value: Any, *, width: int = 100) -> str:
    """A state value as a person reads it: text as is; sources and passages as numbered
    lines (``[1] docs/manual.md, page 2``; passages shortened to ``width``); a dict as
    ``key: value`` lines; anything else as JSON."""
    def where(item: dict[str, Any]) -> str:
        page = item.get("page")
        return f"{item.get('source')}" + (f", page {page}" if page is not None else "")

    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, dict) and "source" in v for v in value):
        lines = []
        for n, item in enumerate(value, 1):
            line = f"[{n}] {where(item)}"
            if "text" in item:
                text = " ".join(str(item["text"]).split())
                score = f" (score {item['score']:.2f})" if isinstance(item.get("score"), (int, float)) else ""
                line += f"{score}: {text[:width] + '...' if len(text) > width else text}"
            lines.append(line)
        return "\n".join(lines)
    if isinstance(value, dict) and value:
        return "\n".join(f"{k}: {v if isinstance(v, str) else json.dumps(v, default=str)}" for k, v in value.items())
    return json.dumps(value, default=str, ensure_ascii=False)


def show_result(result: RunResult, *, as_json: bool, title: str = "output") -> None:
    """The end of a session: the per-node table, the output state, the status and what to do next."""
    if as_json:
        print(json.dumps({"event": "result", **result.to_dict()}, default=str), flush=True)
    else:
        if result.nodes:
            table = Table(title="per node")
            for column in ("node", "runs", "seconds", "LLM calls", "tokens"):
                table.add_column(column, justify="left" if column == "node" else "right")
            for row in result.nodes:
                table.add_row(row.node, str(row.runs), f"{row.seconds:.2f}", str(row.llm_calls), str(row.tokens))
            table.add_row("[bold]total[/bold]", "", f"{result.usage.get('seconds', 0):.2f}",
                          str(result.usage.get("llm_calls", 0)), str(result.usage.get("tokens", 0)))
            _out.print(table)
        if result.status in ("done", "rejected"):
            values = Table(title=title)
            values.add_column("field")
            values.add_column("value")
            for key, value in result.output.items():
                values.add_row(key, escape(display_value(value)))
            _out.print(values)
        thread = result.thread_id
        hints = {
            "done": "[green]done[/green]",
            "rejected": f"[yellow]rejected[/yellow] at node {escape(result.message)}; the run ended there",
            "awaiting_approval": f"[yellow]waiting for approval[/yellow] of {escape(result.message)}: "
                                 f"agentkit resume {thread} --approve (or --reject)",
            "budget_exceeded": f"[red]stopped:[/red] {escape(result.message)}; to continue, raise it: "
                               f"agentkit resume {thread} --budget LIMIT=N",
            "paused": f"[yellow]paused[/yellow] ({escape(result.message)}): agentkit resume {thread}",
        }
        _err.print(f"thread {thread}: " + hints.get(result.status, escape(result.status)))
    if result.status == "budget_exceeded":
        raise typer.Exit(EXIT_BUDGET)


def start_run(file: str, inputs: dict[str, Any], *, thread: str | None, budget: list[str], approve: bool,
              reject: bool, allow_imports: bool, as_json: bool, database: str | None = None) -> None:
    """The body of ``agentkit run``."""
    from agentkit.spec import load_spec

    spec = load_spec(file)
    budgets = parse_budget_options(budget, list(spec.nodes)) if budget else None
    with Runner(database, sink=LiveView(as_json=as_json)) as runner:
        result = runner.start(spec, inputs, thread_id=thread, budgets=budgets, approve=_decision(approve, reject),
                              ask=_ask if _interactive(as_json) else None, allow_imports=allow_imports)
    show_result(result, as_json=as_json, title=f"output of {file}")


def resume(
    thread: Annotated[str, typer.Argument(help="The thread id printed when the run started.")],
    budget: BudgetOption = [],  # noqa: B006
    approve: ApproveFlag = False,
    reject: RejectFlag = False,
    reason: Annotated[str, typer.Option(help="Why (stored with a rejection).")] = "",
    trace: TraceOption = None,
    database: DatabaseOption = None,
    threads: ThreadsOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Continue a run from its last checkpoint (after a crash, a budget stop or an approval)."""
    with tracing_to(trace), Runner(database, sink=LiveView(as_json=as_json)) as runner:
        result = runner.resume(thread, approve=_decision(approve, reject), reason=reason, budgets=_budgets(budget),
                               ask=_ask if _interactive(as_json) else None)
    show_result(result, as_json=as_json)


def fork(
    thread: Annotated[str, typer.Argument(help="The run to fork.")],
    from_node: Annotated[str, typer.Option("--from", help="Re-run only what follows this node.")],
    budget: BudgetOption = [],  # noqa: B006
    approve: ApproveFlag = False,
    reject: RejectFlag = False,
    trace: TraceOption = None,
    database: DatabaseOption = None,
    threads: ThreadsOption = None,
    as_json: JsonFlag = False,
) -> None:
    """A new run from the checkpoint right after NODE last ran in THREAD (with the graph file as it is now)."""
    with tracing_to(trace), Runner(database, sink=LiveView(as_json=as_json)) as runner:
        result = runner.fork(thread, from_node, budgets=_budgets(budget), approve=_decision(approve, reject),
                             ask=_ask if _interactive(as_json) else None)
    show_result(result, as_json=as_json)


def replay(
    thread: Annotated[str, typer.Argument(help="The recorded run to replay.")],
    trace: TraceOption = None,
    database: DatabaseOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Re-run a recorded run with every LLM reply served from the record (no model is loaded)."""
    with tracing_to(trace), Runner(database, sink=LiveView(as_json=as_json)) as runner:
        result = runner.replay(thread)
    show_result(result, as_json=as_json)
    if not as_json:
        verdict = "[green]same final state as the recording[/green]" if result.matches else \
            "[red]final state differs from the recording[/red]"
        _err.print(f"replay of {thread}: {verdict}")
    if not result.matches:
        raise typer.Exit(1)


def _when(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S")


@runs_app.command("list")
def runs_list(
    limit: Annotated[int, typer.Option(help="How many (newest first).")] = 20,
    database: DatabaseOption = None,
    as_json: JsonFlag = False,
) -> None:
    """The most recent runs: thread, graph, status, when, LLM calls, tokens, seconds."""
    with Runner(database) as runner:
        records = runner.runs(limit)
        usage = {r.thread_id: runner.store.usage(r.thread_id) for r in records}
    if as_json:
        print(json.dumps([{"thread_id": r.thread_id, "graph": r.graph, "status": r.status, "message": r.message,
                           "created": r.created, "updated": r.updated, "seconds": r.seconds,
                           "llm_calls": usage[r.thread_id][0], "tokens": usage[r.thread_id][1],
                           "parent_thread": r.parent_thread} for r in records], indent=2))
        return
    table = Table(title="runs")
    for column in ("thread", "graph", "status", "started", "LLM calls", "tokens", "seconds"):
        table.add_column(column, no_wrap=column in ("thread", "started"))
    for r in records:
        status = r.status + (f" ({r.message})" if r.message and r.status != "budget_exceeded" else "")
        table.add_row(r.thread_id, r.graph, escape(status), _when(r.created), str(usage[r.thread_id][0]),
                      str(usage[r.thread_id][1]), f"{r.seconds:.1f}")
    _out.print(table)


@runs_app.command("show")
def runs_show(
    thread: Annotated[str, typer.Argument(help="The thread id.")],
    database: DatabaseOption = None,
    as_json: JsonFlag = False,
) -> None:
    """One run's history: every node execution with its time, LLM calls and tokens."""
    with Runner(database) as runner:
        record = runner.run(thread)
        events = runner.history(thread)
        calls, tokens = runner.store.usage(thread)
    if as_json:
        print(json.dumps({"thread_id": record.thread_id, "graph": record.graph, "spec_path": record.spec_path,
                          "status": record.status, "message": record.message, "inputs": record.inputs,
                          "parent_thread": record.parent_thread, "llm_calls": calls, "tokens": tokens,
                          "seconds": record.seconds, "nodes": [vars(e) for e in events]}, indent=2, default=str))
        return
    where = escape(record.spec_path or "spec built in Python")
    _out.print(f"[bold]{escape(record.thread_id)}[/bold] {escape(record.graph)} ({where})"
               f" status [bold]{escape(record.status)}[/bold] {escape(record.message)}")
    if record.parent_thread:
        _out.print(f"forked or replayed from {escape(record.parent_thread)}")
    table = Table(title="history")
    for column in ("#", "node", "started", "seconds", "LLM calls", "tokens", "status"):
        table.add_column(column)
    for n, e in enumerate(events, 1):
        table.add_row(str(n), e.node, _when(e.started), f"{e.seconds:.2f}", str(e.llm_calls), str(e.tokens), e.status)
    _out.print(table)
    _out.print(f"total: {calls} LLM calls, {tokens} tokens, {record.seconds:.1f} s")


@runs_app.command("delete")
def runs_delete(
    threads: Annotated[list[str], typer.Argument(help="The thread ids.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    database: DatabaseOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Delete runs: their checkpoints, history and recorded LLM calls."""
    with Runner(database) as runner:
        records = [runner.run(t) for t in threads]  # an unknown id fails here, before the question
        if not yes and not typer.confirm(f"delete {len(records)} run(s) ({', '.join(threads)}) "
                                         f"from {runner.where}?"):
            raise typer.Exit(1)
        for record in records:
            runner.delete(record.thread_id)
    if as_json:
        print(json.dumps({"deleted": threads}))
    else:
        _out.print(f"deleted {len(threads)} run(s): {', '.join(threads)}")

