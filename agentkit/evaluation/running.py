"""``evaluate``: run a graph on every case of a dataset, each case a durable run, and check it.

Order of work: the dataset and the graph are loaded and checked together (every case's
inputs, answer field, node names and output paths against the graph) and the graph is
built once, so a mistake is reported before any case runs.  Then the eval's workspace is
set up (a fresh folder unless one is given; the header's documents ingested into its
memory) and each case runs with ``agentkit.runtime.Runner`` in that workspace's run
database: a failed case can be opened with ``agentkit runs show THREAD``, replayed and
forked.  A case whose run fails (an exception, a budget, an approval nobody can give) is
recorded as failed with its error; the others still run.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from agentkit.compile import ModelFactory
from agentkit.errors import DatasetError, EvalInterrupted, UserError
from agentkit.evaluation.checks import RunFacts, Verdict, answer_text, run_checks, tools_called
from agentkit.evaluation.dataset import Case, Dataset, load_dataset
from agentkit.evaluation.report import CaseResult, EvalReport, load_average, machine_line
from agentkit.files import printable, shown
from agentkit.runtime import Budgets, Runner, RunResult, load
from agentkit.runtime.checkpoints import default_database
from agentkit.runtime.loading import model_override
from agentkit.spec import GraphSpec, load_spec
from agentkit.workspace import ENV_VAR as WORKSPACE_ENV
from agentkit.workspace import workspace_path

__all__ = ["evaluate", "graph_problems", "model_override"]

IMAGE_ROOTS_ENV = "AGENTKIT_IMAGE_ROOTS"  # agentkit.vision.images.ENV_ROOTS (vision is an optional extra)
CHROMA_URL_ENV = "AGENTKIT_CHROMA_URL"  # agentkit.memory.store.URL_ENV (memory is an optional extra)


def graph_problems(spec: GraphSpec, cases: Sequence[Case]) -> list[tuple[int | None, str]]:
    """What in ``cases`` cannot work with ``spec``: a missing or unknown input, an answer field
    or a checked output path that is not an output of the graph, a node name it does not have."""
    outputs = list(spec.output or spec.state)
    inputs = list(spec.input or spec.state)
    problems: list[tuple[int | None, str]] = []

    def say(case: Case, message: str) -> None:
        problems.append((case.line or None, f"case {case.id!r}: {message}"))

    for case in cases:
        missing = spec.missing_inputs(dict(case.inputs))
        if missing:
            say(case, f"graph {spec.name!r} needs input {', '.join(map(repr, missing))}")
        unknown = [k for k in case.inputs if k not in inputs]
        if unknown:
            say(case, f"inputs.{unknown[0]}: not an input of graph {spec.name!r}; inputs: {', '.join(inputs)}")
        if case.field not in outputs:
            say(case, f"field {case.field!r} is not an output of graph {spec.name!r}; outputs: {', '.join(outputs)}")
        for check in ("ran", "not_ran"):
            bad = [n for n in case.checks.get(check, []) if n not in spec.nodes]
            if bad:
                say(case, f"checks.{check}: no node {', '.join(map(repr, bad))} in graph {spec.name!r}; "
                          f"nodes: {', '.join(spec.nodes)}")
        for path in case.checks.get("json", {}):
            if path.split(".")[0] not in outputs:
                say(case, f"checks.json: {path!r} is not in graph {spec.name!r}'s output; outputs: "
                          f"{', '.join(outputs)}")
        if "sources" in case.checks and "sources" not in outputs:
            say(case, f"checks.sources: graph {spec.name!r} has no output field 'sources'; outputs: "
                      f"{', '.join(outputs)}")
    return problems


@contextmanager
def _environment(workspace: Path, media_folders: Sequence[Path]) -> Iterator[None]:
    """The eval's workspace (runs, memory embedded in it even when a Chroma server is configured,
    images) and its media folders as image roots, for the block."""
    saved = {name: os.environ.get(name) for name in (WORKSPACE_ENV, IMAGE_ROOTS_ENV, CHROMA_URL_ENV)}
    roots = [r for r in (saved[IMAGE_ROOTS_ENV] or "").split(os.pathsep) if r] + [str(f) for f in media_folders]
    os.environ[WORKSPACE_ENV] = str(workspace)
    os.environ.pop(CHROMA_URL_ENV, None)
    if roots:
        os.environ[IMAGE_ROOTS_ENV] = os.pathsep.join(roots)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _fresh_workspace(dataset: Dataset) -> Path:
    """A new folder for one eval under the current workspace: ``evals/<dataset>-<time>-<random>``."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = workspace_path("evals", f"{dataset.path.stem}-{stamp}-{uuid.uuid4().hex[:4]}")
    path.mkdir(parents=True)
    return path


def _given_workspace(workspace: str | Path) -> Path:
    """``workspace`` as a folder that exists (created if need be), or a ``UserError``."""
    folder = Path(workspace).expanduser().absolute()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UserError(f"workspace {shown(folder)} is not a folder; name a folder (new or an earlier "
                        f"eval's)") from None
    except OSError as exc:
        raise UserError(f"cannot use workspace {shown(folder)}: {exc.strerror or exc}") from None
    return folder


def _unfinished(result: RunResult | None, error: str) -> str:
    if result is None:
        return error
    return {
        "budget_exceeded": f"stopped by a budget: {result.message}",
        "awaiting_approval": f"waiting for approval of {result.message} (an eval answers no approvals)",
        "paused": f"paused: {result.message}",
        "rejected": f"rejected at {result.message}",
    }.get(result.status, f"{result.status}: {result.message}")


def _run_case(runner: Runner, spec: GraphSpec, case: Case, budgets: Budgets | None) -> CaseResult:
    thread = uuid.uuid4().hex[:12]
    started = time.perf_counter()
    result: RunResult | None = None
    error = ""
    try:
        result = runner.start(spec, case.inputs, thread_id=thread, budgets=budgets)
    except Exception as exc:  # a case's failure is its result; KeyboardInterrupt stops the eval
        error = f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - started
    recorded = runner.store.get_run(thread) is not None
    events = runner.store.node_events(thread) if recorded else []
    calls = runner.store.llm_calls(thread) if recorded else []
    llm_calls, tokens = runner.store.usage(thread) if recorded else (0, 0)
    status = result.status if result is not None else "failed"
    output = result.output if result is not None else {}
    values = result.values if result is not None else {}
    if status == "done":
        facts = RunFacts(answer=answer_text(output.get(case.field)), output=output, values=values,
                         nodes=[e.node for e in events],
                         tools=tools_called([c.output for c in calls], values,
                                            [t.name for t in runner.store.tool_calls(thread)] if recorded else []))
        verdicts = run_checks(case.checks, facts)
    else:
        error = _unfinished(result, error)
        verdicts = [Verdict(check=name, passed=False, reason="not checked: the run did not finish")
                    for name in case.checks]
    return CaseResult(
        id=case.id, split=case.split, tags=list(case.tags), status=status, error=error,
        passed=status == "done" and all(v.passed for v in verdicts), checks=verdicts,
        answer=output.get(case.field), thread_id=thread if recorded else "", seconds=seconds,
        llm_calls=llm_calls, tokens=tokens, route=list(dict.fromkeys(e.node for e in events)),
        models=sorted({c.model for c in calls if c.model}))


def evaluate(graph: str | Path | GraphSpec, dataset: str | Path | Dataset, *, model: str | None = None,
             workspace: str | Path | None = None, tags: Sequence[str] = (), split: str | None = None,
             ids: Sequence[str] = (), budgets: Budgets | None = None, model_factory: ModelFactory | None = None,
             on_case: Callable[[CaseResult, int, int], None] | None = None,
             notes: Callable[[str], None] | None = None) -> EvalReport:
    """Run ``graph`` (a path, a shipped graph's name or a spec) on the cases of ``dataset``
    selected by ``tags`` (any of), ``split`` and ``ids``, and check each run.

    ``model``: run every LLM node on this model (a name or a .gguf path), to compare models
    on one dataset.  ``workspace``: keep the eval's runs and memory in this folder (created,
    or reused: documents already ingested are not embedded again); by default a fresh folder
    ``evals/<dataset>-<time>-<random>`` under the current workspace, kept so that its runs
    can be opened.  ``budgets``: limits for every case's run.  ``model_factory``: the chat
    models (tests: ``agentkit.testing.scripted``).  ``on_case(result, n, total)`` is told of each
    case as it ends, ``notes(text)`` of the set-up.  While it runs, ``AGENTKIT_WORKSPACE`` names
    the eval's workspace, ``AGENTKIT_CHROMA_URL`` is unset (the eval's memory is its own) and the
    folders of the dataset's images are added to ``AGENTKIT_IMAGE_ROOTS`` (all restored after).

    Raises ``DatasetError`` (or another ``UserError``) before anything runs for a dataset or
    graph that cannot work together; a failing case never raises.  Ctrl-C while the cases run
    raises ``EvalInterrupted`` (a ``KeyboardInterrupt``) whose ``report`` holds the cases that
    finished, marked ``interrupted`` with the number not run."""
    data = dataset if isinstance(dataset, Dataset) else load_dataset(dataset)
    spec = load_spec(graph)
    cases = data.select(tags=tags, split=split, ids=ids)
    problems = graph_problems(spec, cases)
    if problems:
        raise DatasetError(printable(data.path), problems)
    factory = model_override(model, model_factory)
    load_at_start, wall = load_average(), time.time()
    fresh = workspace is None
    folder = _fresh_workspace(data) if workspace is None else _given_workspace(workspace)
    say = notes or (lambda text: None)
    results: list[CaseResult] = []
    setup: dict[str, Any] = {}
    interrupted = False
    try:
        with _environment(folder, data.media_folders):
            load(spec, model_factory=factory)  # a graph that cannot build fails here, with nothing run
            if data.setup.ingest:
                from agentkit.memory import ingest

                report = ingest(list(data.setup.ingest), data.setup.collection)
                setup = {"collection": data.setup.collection, "ingested": [str(p) for p in data.setup.ingest],
                         "files": len(report.files), "chunks_added": report.chunks_added}
                say(f"ingested {len(report.files)} file(s) into collection {data.setup.collection!r} "
                    f"({report.chunks_added} new chunk(s))")
            started = time.perf_counter()
            with Runner(default_database(), model_factory=factory) as runner:
                for n, case in enumerate(cases, 1):
                    try:
                        results.append(_run_case(runner, spec, case, budgets))
                        if on_case is not None:
                            on_case(results[-1], n, len(cases))
                    except KeyboardInterrupt:  # keep what finished: the caller reports it
                        interrupted = True
                        break
    except BaseException:
        if fresh and not results:  # nothing ran: leave no empty eval folder behind
            shutil.rmtree(folder, ignore_errors=True)
        raise
    models_used = sorted({m for r in results for m in r.models})
    report = EvalReport(
        dataset=str(data.path), description=data.setup.description, graph=spec.name,
        graph_path=str(spec.origin.path) if spec.origin.path else None, model=model, models_used=models_used,
        workspace=str(folder), started=wall, seconds=time.perf_counter() - started,
        machine=machine_line(load_at_start, load_average()),
        filters={"tags": list(tags), "split": split, "ids": list(ids)}, setup=setup, cases=results,
        interrupted=interrupted, cases_not_run=len(cases) - len(results))
    if interrupted:
        raise EvalInterrupted(report)
    return report
