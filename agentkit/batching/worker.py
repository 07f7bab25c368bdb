"""A batch worker: one process (or Ray actor) holding a run database, a model and the compiled graph.

Compiled graphs do not pickle, so a worker is given the spec as data (its JSON and where its
file was) and builds the graph itself, once; its chat models come from the process's model
pool, so each worker loads each model once.  ``run(task)`` runs one input as a durable run
with a thread id derived from the input's key: a new run if there is none, the stored result
if the run is done, a resume from its last checkpoint otherwise (a worker that died mid-run
left it there).  A failure is the input's result, never the worker's: the worker goes on.
"""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path
from typing import Any

from agentkit.errors import RunInUseError
from agentkit.runtime import Budgets, Runner
from agentkit.runtime.loading import model_override
from agentkit.spec import GraphSpec, Origin

__all__ = ["BatchWorker", "worker_config"]

CLAIM_WAIT_S = 30.0  # how long a worker waits for a dead worker's run to be released (PostgreSQL notices at once)


def worker_config(*, spec: GraphSpec, database: str | Path, model: str | None, allow_imports: bool,
                  budgets: Budgets | None, environment: dict[str, str]) -> dict[str, Any]:
    """What a worker needs, as plain data (it crosses process and machine boundaries)."""
    return {"spec_json": json.dumps(spec.model_dump(mode="json", by_alias=True, exclude_none=True)),
            "spec_source": spec.origin.source, "spec_path": str(spec.origin.path) if spec.origin.path else None,
            "database": str(database), "model": model, "allow_imports": allow_imports,
            "budgets": budgets.to_dict() if budgets is not None else None, "environment": dict(environment)}


class BatchWorker:
    """Runs a batch's inputs in this process (the class is also the Ray actor)."""

    def __init__(self, config: dict[str, Any]) -> None:
        os.environ.update(config["environment"])  # the coordinator's workspace, image roots, model settings
        path = Path(config["spec_path"]) if config["spec_path"] else None
        self.spec = GraphSpec.model_validate(json.loads(config["spec_json"])).with_origin(
            Origin(source=config["spec_source"], path=path if path is not None and path.is_file() else None))
        self.allow_imports = bool(config["allow_imports"])
        self.budgets = Budgets.from_dict(config["budgets"]) if config["budgets"] else None
        database = config["database"]
        self.runner = Runner(database if "://" in database else Path(database),
                             model_factory=model_override(config["model"]))
        self.runner._graph(self.spec, self.allow_imports, None)  # build once (and fail here, not per input)
        self.name = f"{socket.gethostname()}:{os.getpid()}"

    def pid(self) -> int:
        return os.getpid()

    def run(self, task: dict[str, Any]) -> dict[str, Any]:
        """Run (or resume, or read back) one input; its result as plain data."""
        thread = task["thread_id"]
        started = time.perf_counter()
        status, error, output = "failed", "", None
        try:
            result = self._run(thread, task["inputs"])
            output = result.output
            status = "done" if result.status == "done" else "failed"
            if status != "done":
                error = f"{result.status}: {result.message}" if result.message else result.status
        except Exception as exc:  # the input's failure is its result; the worker goes on
            error = f"{type(exc).__name__}: {exc}"
        llm_calls, tokens = self._usage(thread)
        return {"line": task["line"], "key": task["key"], "thread_id": thread, "status": status,
                "output": output, "error": error, "seconds": round(time.perf_counter() - started, 3),
                "llm_calls": llm_calls, "tokens": tokens, "worker": self.name}

    def _run(self, thread: str, inputs: dict[str, Any]) -> Any:
        deadline = time.monotonic() + CLAIM_WAIT_S
        while True:
            record = self.runner.store.get_run(thread)
            try:
                if record is None:
                    return self.runner.start(self.spec, inputs, thread_id=thread, budgets=self.budgets,
                                             approve=None, allow_imports=self.allow_imports)
                return self.runner.resume(thread, budgets=self.budgets)
            except RunInUseError:
                # a worker that died on this input may not have been noticed yet (SQLite: its pid
                # is checked; PostgreSQL: the server drops its lock when its connection closes)
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def _usage(self, thread: str) -> tuple[int, int]:
        try:
            return self.runner.store.usage(thread)
        except Exception:  # the database went away: the result says what failed already
            return 0, 0

    def close(self) -> None:
        self.runner.close()
