"""``batch``: one graph over many inputs, each a durable run, on this machine or a Ray cluster.

Order of work: the graph is loaded and built once here (a graph that cannot build stops the
batch before anything runs), the run database is opened (an unreachable one stops it too, with
nothing written), then the results file is opened under its lock and read: inputs it records
(done, or failed unless ``retry_failed``) are skipped.  The rest are read line by line and
handed to the engine; a line that cannot run (not JSON, inputs the graph refuses) is recorded
as failed at once, and the others still run.  Each result is appended to the results file the
moment it arrives.  Ctrl-C stops the workers; what they had in flight stays resumable, and the
same command continues the batch.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentkit.batching.engines import Engine, engine_for
from agentkit.batching.inputs import BatchItem, read_inputs
from agentkit.batching.results import ResultsFile
from agentkit.batching.worker import worker_config
from agentkit.runtime import Budgets, Runner, load
from agentkit.runtime.database import DatabaseTarget, run_database, shown_database
from agentkit.runtime.loading import model_override
from agentkit.spec import GraphSpec, load_spec

__all__ = ["BatchSummary", "batch"]

IMAGE_ROOTS_ENV = "AGENTKIT_IMAGE_ROOTS"  # agentkit.vision.images.ENV_ROOTS (vision is an optional extra)


@dataclass(kw_only=True)
class BatchSummary:
    """What a batch did: counts, time, tokens, and where its results are."""

    graph: str
    inputs: str
    output: str
    engine: str
    database: str
    done: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    llm_calls: int = 0
    tokens: int = 0
    interrupted: bool = False
    failures: list[dict[str, Any]] = field(default_factory=list)  # {line, thread_id, error}, in arrival order

    @property
    def total(self) -> int:
        return self.done + self.failed + self.skipped

    def to_dict(self) -> dict[str, Any]:
        return {"graph": self.graph, "inputs": self.inputs, "output": self.output, "engine": self.engine,
                "database": self.database, "done": self.done, "failed": self.failed, "skipped": self.skipped,
                "seconds": round(self.seconds, 3), "llm_calls": self.llm_calls, "tokens": self.tokens,
                "interrupted": self.interrupted, "failures": self.failures}


def _environment(inputs: Path) -> dict[str, str]:
    """What workers need of this process's environment: agentkit's settings, and the inputs'
    folder among the image roots (image paths in the inputs are relative to it)."""
    env = {k: v for k, v in os.environ.items() if k.startswith("AGENTKIT_")}
    roots = [r for r in env.get(IMAGE_ROOTS_ENV, "").split(os.pathsep) if r]
    env[IMAGE_ROOTS_ENV] = os.pathsep.join([*roots, str(inputs.absolute().parent)])
    env.pop("AGENTKIT_DATABASE_URL", None)  # the batch's database is passed to each worker as such
    return env


def batch(graph: str | Path | GraphSpec, inputs: str | Path, output: str | Path, *, workers: int = 1,
          ray: str | bool | None = None, database: DatabaseTarget | None = None, model: str | None = None,
          budgets: Budgets | None = None, allow_imports: bool = False, retry_failed: bool = False,
          on_result: Callable[[dict[str, Any], BatchSummary], None] | None = None,
          on_start: Callable[[BatchSummary, Engine], None] | None = None) -> BatchSummary:
    """Run ``graph`` on every line of the JSONL file ``inputs`` and append one JSON line per input to
    ``output``: ``{line, key, thread_id, status: done|failed|..., output, error, seconds, llm_calls,
    tokens, worker}``.

    ``workers``: how many at once (local processes, each with its own model; 1: in this process).
    ``ray``: run the workers as Ray actors: True (or "local") for a local cluster, or a cluster's
    address.  ``database``: the run database (a ``postgresql://`` URL for workers on several
    machines; default ``AGENTKIT_DATABASE_URL``, else the workspace's ``runs.sqlite``).  ``model``:
    every LLM node runs on this model.  ``retry_failed``: run again the inputs an earlier batch
    recorded as failed (resumed from their checkpoints).  ``on_result(result, summary)`` is told of
    each result as it is written, ``on_start(summary, engine)`` once the workers are up.

    Returns the summary; ``summary.interrupted`` when Ctrl-C stopped it (run it again to go on).
    Raises a ``UserError`` (a graph that does not build, an inputs or results file that cannot be
    used, a database URL the server refuses) or a ``TransientError`` (a database or Ray cluster
    that cannot be reached) before any input runs."""
    if workers < 1:
        from agentkit.errors import UserError

        raise UserError(f"workers={workers}: give 1 or more")
    spec = load_spec(graph)
    factory = model_override(model)
    load(spec, model_factory=factory, allow_imports=allow_imports)  # a graph that cannot build: nothing runs
    target = run_database(database)
    Runner(target).close()  # an unreachable or refused database: nothing runs, nothing is written
    source = Path(inputs).expanduser()
    items = read_inputs(source, spec, model=model)
    first = next(items, None)  # an inputs file that cannot be opened fails here, before the results file
    results = ResultsFile.open(output, retry_failed=retry_failed)
    summary = BatchSummary(graph=spec.name, inputs=str(source), output=str(results.path), engine="",
                           database=shown_database(target))
    started = time.perf_counter()
    engine: Engine | None = None
    try:
        config = worker_config(spec=spec, database=target, model=model, allow_imports=allow_imports, budgets=budgets,
                               environment=_environment(source))
        engine = engine_for(config, workers=workers, ray=ray)
        summary.engine = engine.name
        if on_start is not None:
            on_start(summary, engine)

        def record(result: dict[str, Any]) -> None:
            results.append(result)
            if result["status"] == "done":
                summary.done += 1
            else:
                summary.failed += 1
                summary.failures.append({"line": result["line"], "thread_id": result.get("thread_id"),
                                         "error": result.get("error", "")})
            summary.llm_calls += int(result.get("llm_calls") or 0)
            summary.tokens += int(result.get("tokens") or 0)
            summary.seconds = time.perf_counter() - started
            if on_result is not None:
                on_result(result, summary)

        engine.run(_runnable(first, items, results, summary, record, on_result), record)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        try:
            if engine is not None:
                engine.close()
        finally:
            results.close()
            summary.seconds = time.perf_counter() - started
    return summary


def _runnable(first: BatchItem | None, rest: Iterator[BatchItem], results: ResultsFile, summary: BatchSummary,
              record: Callable[[dict[str, Any]], None],
              on_result: Callable[[dict[str, Any], BatchSummary], None] | None) -> Iterator[BatchItem]:
    """The items that need a run: skip those the results file records and repeated inputs; record
    those that cannot run (with their line and reason) without running them."""
    seen: dict[str, int] = {}
    for item in itertools.chain([first] if first is not None else [], rest):
        if item.key in results.recorded:
            summary.skipped += 1
            continue
        if item.key in seen:
            summary.skipped += 1
            if on_result is not None:
                on_result({"line": item.line, "key": item.key, "status": "skipped",
                           "error": f"the same input as line {seen[item.key]}"}, summary)
            continue
        seen[item.key] = item.line
        if item.problem:
            record({"line": item.line, "key": item.key, "thread_id": None, "status": "failed", "output": None,
                    "error": item.problem, "seconds": 0.0, "llm_calls": 0, "tokens": 0, "worker": ""})
            continue
        yield item

