"""``agentkit eval GRAPH DATASET.jsonl``: presentation over ``agentkit.evaluation.evaluate``.

Prints a line per case as it ends (standard error), then a table of the cases, a summary per
split and per tag, and how to open a failed case; or, with ``--json``, only the JSON report.
Exit status: 0; 1 when the pass rate is below ``--threshold``; 2 for a dataset, graph or
option that cannot work (nothing is run); 130 when Ctrl-C stopped it -- the table and the
``-o`` report then hold the cases that finished, marked interrupted with how many were not run.
"""

from __future__ import annotations

import json
import shlex
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from agentkit.cli.common import JsonFlag, ThreadsOption
from agentkit.cli.common import err as _err
from agentkit.cli.common import out as _out
from agentkit.cli.runs import BudgetOption

if TYPE_CHECKING:
    from agentkit.evaluation import CaseResult, Comparison, EvalReport

__all__ = ["EXIT_BELOW_THRESHOLD", "EXIT_INTERRUPTED", "eval_command"]

EXIT_BELOW_THRESHOLD = 1
EXIT_INTERRUPTED = 130


def _listed(values: list[str]) -> list[str]:
    """Repeatable, comma-separated option values -> one list."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _short(text: str, width: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 3] + "..."


def _print_cases(report: EvalReport) -> None:
    stopped = f" [red](interrupted: {report.cases_not_run} case(s) not run)[/red]" if report.interrupted else ""
    table = Table(title=f"{escape(report.graph)} on {escape(report.dataset)}{stopped}")
    for column in ("id", "split", "passed", "failed checks", "seconds", "LLM calls"):
        table.add_column(column, justify="right" if column in ("seconds", "LLM calls") else "left",
                         overflow="fold")
    for case in report.cases:
        if case.passed:
            failed = ""
        elif case.error:
            failed = f"run {case.status}: {_short(case.error, 60)}"
        else:
            failed = "; ".join(f"{v.check}: {_short(v.reason, 60)}" for v in case.failed_checks)
        table.add_row(escape(case.id), case.split, "[green]yes[/green]" if case.passed else "[red]NO[/red]",
                      escape(failed), f"{case.seconds:.1f}", str(case.llm_calls))
    _out.print(table)


def _print_summary(report: EvalReport) -> None:
    table = Table(title="summary")
    for column in ("group", "cases", "passed", "pass rate", "median seconds"):
        table.add_column(column, justify="left" if column == "group" else "right")
    groups = [("all", report.totals)] + [(f"split {k}", v) for k, v in report.by_split().items()] + \
             [(f"tag {k}", v) for k, v in report.by_tag().items()]
    for name, totals in groups:
        table.add_row(escape(name), str(totals.cases), str(totals.passed), f"{totals.pass_rate:.2f}",
                      f"{totals.median_seconds:.1f}")
    _out.print(table)
    _out.print(f"model: {escape(report.model_line)}")
    _out.print(f"machine: {escape(report.machine)}")
    _out.print(f"runs and memory: {escape(report.workspace)}")
    failed = [c for c in report.cases if not c.passed and c.thread_id]
    if failed:
        prefix = f"AGENTKIT_WORKSPACE={shlex.quote(report.workspace)}"
        _out.print(f"failed cases' runs (open one: {escape(prefix)} agentkit runs show THREAD; then replay or "
                   f"fork it):", highlight=False, soft_wrap=True)
        for case in failed:
            _out.print(f"  {escape(case.id)}: thread {case.thread_id}", highlight=False)


def _print_comparison(comparison: Comparison, old_name: str) -> None:
    _out.print(f"[bold]compared with {escape(old_name)}[/bold]")
    for split, (old, new) in comparison.splits.items():
        old_text = "-" if old is None else f"{old:.2f}"
        new_text = "-" if new is None else f"{new:.2f}"
        change = "" if old is None or new is None else f" ({new - old:+.2f})"
        _out.print(f"  split {escape(split)}: pass rate {old_text} -> {new_text}{change}")
    for case in comparison.regressions:
        _out.print(f"  [red]regression[/red] {escape(case.id)} ({case.split}): now fails "
                   f"{escape(', '.join(case.failed))}")
    for case in comparison.improvements:
        _out.print(f"  [green]improvement[/green] {escape(case.id)} ({case.split}): passes now "
                   f"(failed {escape(', '.join(case.failed))})")
    if not comparison.regressions and not comparison.improvements:
        _out.print("  no case changed its verdict")
    if comparison.added:
        _out.print(f"  new cases: {escape(', '.join(comparison.added))}")
    if comparison.removed:
        _out.print(f"  not run this time: {escape(', '.join(comparison.removed))}")


def eval_command(
    graph: Annotated[str, typer.Argument(help="A graph spec (YAML) or a shipped graph's name.")],
    dataset: Annotated[str, typer.Argument(help="The cases, one JSON object a line (see README, 'Evaluating a "
                                           "graph').")],
    model: Annotated[str | None, typer.Option(help="Run every LLM node on this model (a name or .gguf path), "
                                              "to compare models on one dataset.")] = None,
    tag: Annotated[list[str], typer.Option("--tag", help="Only cases with this tag (repeatable: any of them).")
                   ] = [],  # noqa: B006
    split: Annotated[str | None, typer.Option(help="Only the cases of this split: dev or heldout.")] = None,
    ids: Annotated[list[str], typer.Option("--ids", help="Only these case ids (comma-separated; repeatable).")
                   ] = [],  # noqa: B006
    threshold: Annotated[float | None, typer.Option(
        min=0.0, max=1.0, help="Exit with status 1 when the pass rate is below this (0..1), for CI.")] = None,
    workspace: Annotated[str | None, typer.Option(
        help="Keep the eval's runs and memory in this folder, or reuse it (default: a fresh folder under "
             "the workspace's evals/).")] = None,
    budget: BudgetOption = [],  # noqa: B006
    compare: Annotated[str | None, typer.Option(help="An earlier JSON report: list regressions and "
                                                "improvements case by case.")] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write the JSON report to this file.")
                      ] = None,
    threads: ThreadsOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Run a graph on every case of a dataset and check the answers; each case is a durable run.

    Prints a table of the cases and the pass rate and median seconds per split and tag
    (--json: the JSON report instead). Exit status 1 below --threshold; 2 for a dataset or
    graph that cannot run (then nothing runs).
    """
    from agentkit.errors import EvalInterrupted
    from agentkit.evaluation import compare_reports, evaluate, read_report
    from agentkit.evaluation.report import check_report_target
    from agentkit.runtime.budgets import parse_budget_options

    old = read_report(compare) if compare else None  # a bad report or target fails before any case runs
    if output:
        check_report_target(output)

    def progress(case: CaseResult, n: int, total: int) -> None:
        verdict = "[green]pass[/green]" if case.passed else "[red]FAIL[/red]"
        why = "" if case.passed else " " + escape(_short(case.error or "; ".join(
            f"{v.check}: {v.reason}" for v in case.failed_checks), 100))
        _err.print(f"[{n}/{total}] {escape(case.id)} {verdict} {case.seconds:.1f} s, {case.llm_calls} LLM "
                   f"call(s){why}", highlight=False)

    try:
        report = evaluate(graph, dataset, model=model, workspace=workspace, tags=_listed(tag), split=split,
                          ids=_listed(ids), budgets=parse_budget_options(budget) if budget else None,
                          on_case=progress, notes=lambda text: _err.print(escape(text), highlight=False))
    except EvalInterrupted as stop:  # report what finished, then exit 130
        report = stop.report
    comparison = compare_reports(old, report) if old is not None else None
    extra = {"comparison": {"old": compare, **comparison.to_dict()}} if comparison is not None else {}
    if threshold is not None and not report.interrupted:
        extra["threshold"] = {"value": threshold, "met": report.pass_rate >= threshold}
    if output:
        report.write_json(output, extra=extra)
    if as_json:
        print(json.dumps({**report.to_dict(), **extra}, indent=2, default=str, ensure_ascii=False))
    else:
        _print_cases(report)
        _print_summary(report)
        if comparison is not None:
            _print_comparison(comparison, compare or "")
        if output:
            _err.print(f"wrote {escape(output)}")
    if report.interrupted:
        _err.print(f"[red]interrupted[/red]: {len(report.cases)} case(s) finished, {report.cases_not_run} not run "
                   f"(the pass rate covers the finished ones only)", highlight=False)
        raise typer.Exit(EXIT_INTERRUPTED)
    if threshold is not None and report.pass_rate < threshold:
        _err.print(f"[red]pass rate {report.pass_rate:.2f} is below the threshold {threshold:.2f}[/red]")
        raise typer.Exit(EXIT_BELOW_THRESHOLD)
