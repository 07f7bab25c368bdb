"""``agentkit batch GRAPH INPUTS.jsonl -o RESULTS.jsonl``: presentation over ``agentkit.batching.batch``.

A rich progress bar while it runs (done / failed / skipped, tokens), then a summary.  Exit
status: 0 every input done (or skipped), 1 some input failed, 2 a mistake in what was asked
(nothing ran), 130 stopped by Ctrl-C (run the same command again to continue).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from agentkit.cli.common import DatabaseOption, JsonFlag, ThreadsOption
from agentkit.cli.common import err as _err
from agentkit.cli.runs import BudgetOption

__all__ = ["batch_command", "with_ray_default"]

EXIT_FAILED = 1
EXIT_INTERRUPTED = 130
RAY_LOCAL = "local"


def with_ray_default(argv: list[str]) -> list[str]:
    """``--ray`` with no address means a local cluster: give it the value ``local`` (typer's options
    always take a value).  An address never looks like an option or an existing file."""
    out = list(argv)
    for i, token in enumerate(out):
        if token != "--ray":
            continue
        following = out[i + 1] if i + 1 < len(out) else None
        if following is None or following.startswith("-") or following.endswith((".yaml", ".yml", ".jsonl")) \
                or os.path.exists(following):
            out.insert(i + 1, RAY_LOCAL)
        break
    return out


def _count_lines(path: str) -> int | None:
    """Non-blank lines of the inputs file, for the progress bar's total (None if unreadable)."""
    try:
        with open(path, "rb") as f:
            return sum(1 for line in f if line.strip())
    except OSError:
        return None


def batch_command(
    graph: Annotated[str, typer.Argument(help="A graph spec (YAML) or a shipped graph's name.")],
    inputs: Annotated[str, typer.Argument(help="A JSONL file: one JSON object of the graph's inputs per line "
                                               "(image paths relative to its folder).")],
    output: Annotated[str, typer.Option("--output", "-o", help="The results file (JSONL; appended to, one line per "
                                                               "input; a re-run skips what it records).")],
    workers: Annotated[int, typer.Option(help="How many inputs run at once: local worker processes (each loads "
                                              "its model), or Ray actors with --ray.", min=1)] = 1,
    ray: Annotated[str | None, typer.Option(
        "--ray", help="Run the workers as Ray actors: --ray alone starts a local cluster; --ray ADDRESS joins one "
                      "(e.g. 10.0.0.5:6379; needs a shared --database postgresql://...).")] = None,
    database: DatabaseOption = None,
    model: Annotated[str | None, typer.Option(help="Run every LLM node on this model (a name, .gguf path or "
                                                   "endpoint).")] = None,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Run again the inputs the results file "
                                               "records as failed (resumed from their checkpoints).")] = False,
    allow_imports: Annotated[bool, typer.Option(help="Let python nodes import 'module:function' paths.")] = False,
    budget: BudgetOption = [],  # noqa: B006
    threads: ThreadsOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Run a graph on every line of a JSONL file; each input is a durable run (resumable).

    Writes one JSON line per input to --output (thread id, status, output or error, seconds,
    tokens) and ends with a summary.  Run the same command again after a crash or Ctrl-C: what
    is done is skipped, what was running resumes from its checkpoint."""
    from agentkit.batching import batch
    from agentkit.runtime.budgets import parse_budget_options
    from agentkit.spec import load_spec

    budgets = parse_budget_options(budget, list(load_spec(graph).nodes)) if budget else None
    total = _count_lines(inputs)
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("[green]{task.fields[done]} done[/green] [red]{task.fields[failed]} failed[/red] "
                                   "[dim]{task.fields[skipped]} skipped, {task.fields[tokens]} tokens[/dim]"),
                        TimeElapsedColumn(), console=_err, transient=False, disable=as_json)
    task = progress.add_task("batch", total=total, done=0, failed=0, skipped=0, tokens=0)

    def on_start(summary: Any, engine: Any) -> None:
        progress.start()
        progress.update(task, description=f"{summary.graph} on {engine.name}")
        progress.update(task, completed=summary.total, skipped=summary.skipped)

    def on_result(result: dict[str, Any], summary: Any) -> None:
        progress.update(task, completed=summary.total, done=summary.done, failed=summary.failed,
                        skipped=summary.skipped, tokens=summary.tokens)
        if result.get("status") == "failed" and not as_json:
            progress.console.print(f"[red]line {result['line']}:[/red] {escape(str(result.get('error', '')))}",
                                   highlight=False, soft_wrap=True)

    try:  # the bar shows once the workers are up (a batch refused before that prints only why)
        summary = batch(graph, inputs, output, workers=workers, ray=ray, database=database, model=model,
                        budgets=budgets, allow_imports=allow_imports, retry_failed=retry_failed,
                        on_result=on_result, on_start=on_start)
        progress.update(task, completed=summary.total, done=summary.done, failed=summary.failed,
                        skipped=summary.skipped, tokens=summary.tokens)
    finally:
        progress.stop()
    if as_json:
        print(json.dumps(summary.to_dict()))
    else:
        _show(summary)
    if summary.interrupted:
        raise typer.Exit(EXIT_INTERRUPTED)
    if summary.failed:
        raise typer.Exit(EXIT_FAILED)


def _show(summary: Any) -> None:
    state = "[yellow]interrupted[/yellow]" if summary.interrupted else "[bold]finished[/bold]"
    _err.print(f"batch {state}: [green]{summary.done} done[/green], [red]{summary.failed} failed[/red], "
               f"{summary.skipped} skipped in {summary.seconds:.1f} s; {summary.llm_calls} LLM calls, "
               f"{summary.tokens} tokens ({escape(summary.engine)}; runs in {escape(summary.database)})",
               highlight=False, soft_wrap=True)
    _err.print(f"results: {escape(str(Path(summary.output)))}", highlight=False, soft_wrap=True)
    if summary.interrupted:
        _err.print("run the same command again to continue: done inputs are skipped, unfinished ones resume")
    elif summary.failed:
        _err.print("failed inputs are recorded with their error; --retry-failed runs them again "
                   "(agentkit runs show THREAD shows one)")
