"""Where a batch's inputs run: in this process, in local worker processes, or on a Ray cluster.

Each engine is a thin layer over an existing one (nothing here schedules or queues by itself):

- ``InlineEngine``: one ``BatchWorker`` in this process, inputs one after another.
- ``ProcessEngine``: N worker processes from ``concurrent.futures`` (spawned, so nothing of this
  process's threads is copied), one ``ProcessPoolExecutor`` of one process per worker, so a
  worker that dies breaks only its own executor: its in-flight input is handed to a fresh
  process, which resumes it from its checkpoint; the other workers never notice.
- ``RayEngine``: N Ray actors (``BatchWorker`` as an actor class: each holds a run database, a
  model and the compiled graph) behind Ray's ``ActorPool``.  Ray restarts an actor that dies
  (``max_restarts``) and runs its in-flight task again on the restarted actor
  (``max_task_retries``); that task resumes the input from its checkpoint.

An input whose worker died ``MAX_WORKER_DEATHS + 1`` times is recorded as failed with that
reason (a poison input cannot stop a batch).  Every engine hands each input's result to
``record`` exactly once.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from agentkit.batching.inputs import BatchItem
from agentkit.batching.worker import BatchWorker
from agentkit.errors import TransientError, UserError
from agentkit.network import is_loopback_url

__all__ = ["MAX_WORKER_DEATHS", "Engine", "InlineEngine", "ProcessEngine", "RayEngine", "RayUnreachableError"]

MAX_WORKER_DEATHS = 2
Record = Callable[[dict[str, Any]], None]


class RayUnreachableError(TransientError):
    """The Ray cluster named by ``--ray ADDRESS`` cannot be reached."""


def died(item: BatchItem, deaths: int, worker: str = "") -> dict[str, Any]:
    """The result of an input whose worker died ``deaths`` times while running it."""
    return {"line": item.line, "key": item.key, "thread_id": item.thread_id, "status": "failed", "output": None,
            "error": f"its worker died {deaths} time(s) while running it (the run is resumable: "
                     f"agentkit resume {item.thread_id})", "seconds": 0.0, "llm_calls": 0, "tokens": 0,
            "worker": worker}


class Engine:
    """Runs ``BatchItem``s and hands each result to ``record`` once."""

    name = "engine"
    workers = 1

    def run(self, items: Iterator[BatchItem], record: Record) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Stop every worker (runs they had in flight stay resumable from their checkpoints)."""


class InlineEngine(Engine):
    """Inputs one after another in this process."""

    name = "this process"

    def __init__(self, config: dict[str, Any]) -> None:
        self.worker = BatchWorker(config)

    def run(self, items: Iterator[BatchItem], record: Record) -> None:
        for item in items:
            record(self.worker.run(item.to_task()))

    def close(self) -> None:
        self.worker.close()


# -- local worker processes -----------------------------------------------------------------

_WORKER: list[BatchWorker] = []  # this worker process's worker, made at its first input


def _ignore_interrupts() -> None:
    """Ctrl-C stops the coordinator, which stops the workers; a worker never half-handles it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_in_worker(config: dict[str, Any], task: dict[str, Any]) -> dict[str, Any]:
    if not _WORKER:
        _WORKER.append(BatchWorker(config))  # an error here (a database down) reaches the coordinator
    return _WORKER[0].run(task)


class ProcessEngine(Engine):
    """N local worker processes, each with its own model and compiled graph."""

    def __init__(self, config: dict[str, Any], workers: int) -> None:
        self.config = config
        self.workers = workers
        self.name = f"{workers} worker processes"
        self._context = multiprocessing.get_context("spawn")
        self._pools = [self._pool() for _ in range(workers)]

    def _pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=1, mp_context=self._context, initializer=_ignore_interrupts)

    def worker_pids(self) -> list[int]:
        """The worker processes' ids (for tests and benchmarks that kill one)."""
        return [pid for pool in self._pools for pid in (pool._processes or {})]

    def run(self, items: Iterator[BatchItem], record: Record) -> None:
        inflight: dict[Future[dict[str, Any]], tuple[int, BatchItem]] = {}

        def feed(slot: int, item: BatchItem | None = None) -> None:
            item = item if item is not None else next(items, None)
            if item is not None:
                inflight[self._pools[slot].submit(_run_in_worker, self.config, item.to_task())] = (slot, item)

        for slot in range(self.workers):
            feed(slot)
        while inflight:
            done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
            for future in done:
                slot, item = inflight.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:  # the worker process died: only this input was in it
                    self._pools[slot].shutdown(wait=False, cancel_futures=True)
                    self._pools[slot] = self._pool()
                    item.attempt += 1
                    if item.attempt > MAX_WORKER_DEATHS:
                        record(died(item, item.attempt))
                        feed(slot)
                    else:
                        feed(slot, item)  # a fresh worker resumes it from its checkpoint
                    continue
                record(result)
                feed(slot)

    def close(self) -> None:
        for pool in self._pools:
            processes = list((pool._processes or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:  # in-flight runs stay resumable (their pid is gone)
                if process.is_alive():
                    process.kill()
            for process in processes:
                process.join(timeout=10)


# -- Ray ------------------------------------------------------------------------------------


def _unreachable(address: str, detail: str) -> RayUnreachableError:
    return RayUnreachableError(
        f"cannot reach the Ray cluster at {address}: {detail}. Start one (ray start --head --port 6379 on the "
        f"head machine; ray start --address HEAD:6379 on each other one), or give --ray with no address to run "
        f"on a local cluster; nothing was run")


def _probe(address: str, timeout_s: float) -> None:
    """Connect to the cluster's port (GCS 6379, or the client server 10001 for ray://) or say why not."""
    import socket

    scheme, _, rest = address.rpartition("://")
    host, _, port = rest.rpartition(":")
    if not host:
        host, port = rest, ""
    try:
        number = int(port) if port else (10001 if scheme == "ray" else 6379)
        with socket.create_connection((host.strip("[]"), number), timeout=timeout_s):
            return
    except ValueError:
        raise UserError(f"--ray {address}: not an address; use HOST:PORT (e.g. 10.0.0.5:6379), "
                        f"ray://HOST:10001, or --ray alone for a local cluster") from None
    except OSError as exc:
        raise _unreachable(address, f"nothing answers on {host}:{number} ({exc.strerror or exc})") from None


class RayEngine(Engine):
    """N Ray actors, each a ``BatchWorker``, scheduled by Ray's ``ActorPool``."""

    def __init__(self, config: dict[str, Any], workers: int, address: str | None, *,
                 cpus_per_worker: float = 1.0, connect_timeout_s: float = 30.0) -> None:
        from agentkit.extras import require

        require("ray", what="agentkit batch --ray")
        import ray

        self.ray = ray
        self.workers = workers
        self.address = address
        self._started_cluster = False
        if address and not is_loopback_url(address) and "://" not in config["database"]:
            raise UserError(f"--ray {address}: workers on other machines need a shared run database; pass "
                            f"--database postgresql://... (or AGENTKIT_DATABASE_URL)")
        self._connect(address, workers, connect_timeout_s)
        self.name = f"{workers} Ray actors ({'local cluster' if self._started_cluster else address})"
        actor = ray.remote(BatchWorker).options(num_cpus=cpus_per_worker, max_restarts=MAX_WORKER_DEATHS,
                                                 max_task_retries=MAX_WORKER_DEATHS)
        self.actors = [actor.remote(config) for _ in range(workers)]
        try:
            self.pids = ray.get([a.pid.remote() for a in self.actors])  # each built its graph, or says why not
        except ray.exceptions.RayActorError as exc:
            self.close()
            cause = getattr(exc, "cause", None) or exc
            raise UserError(f"the Ray workers could not start: {cause}") from None

    def _connect(self, address: str | None, workers: int, timeout_s: float) -> None:
        ray = self.ray
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "logging_level": "ERROR",
                                   "ignore_reinit_error": True}
        if self.ray.is_initialized():
            return
        if address:
            if address != "auto":  # Ray retries an address nothing answers on for minutes: ask first
                _probe(address, min(timeout_s, 10.0))
            try:
                ray.init(address=address, **options)
            except (ConnectionError, TimeoutError, RuntimeError, ValueError) as exc:
                raise _unreachable(address, " ".join(str(exc).split())[:400]) from None
            return
        cores = os.cpu_count() or 1
        ray.init(num_cpus=max(cores, workers), **options)
        self._started_cluster = True

    def worker_pids(self) -> list[int]:
        return list(self.pids)

    def run(self, items: Iterator[BatchItem], record: Record) -> None:
        from ray.util.actor_pool import ActorPool

        pool = ActorPool(self.actors)
        waiting: dict[str, BatchItem] = {}
        for item in items:
            waiting[item.key] = item
            pool.submit(lambda actor, task: actor.run.remote(task), item.to_task())
        while pool.has_next():
            try:
                result = pool.get_next_unordered()
            except self.ray.exceptions.RayActorError:  # its actor died more often than Ray retries
                continue
            waiting.pop(result["key"], None)
            record(result)
        for item in waiting.values():  # lost with an actor that died for good
            record(died(item, MAX_WORKER_DEATHS + 1))

    def close(self) -> None:
        ray = self.ray
        for actor in getattr(self, "actors", []):
            with contextlib.suppress(Exception):  # already gone
                ray.kill(actor, no_restart=True)
        if self._started_cluster and ray.is_initialized():
            ray.shutdown()


def engine_for(config: dict[str, Any], *, workers: int, ray: str | bool | None) -> Engine:
    """The engine a batch asks for: Ray (``ray``: an address, or True for a local cluster), local
    processes (``workers`` > 1) or this process."""
    if ray is not None and ray is not False:
        return RayEngine(config, workers, ray if isinstance(ray, str) and ray not in ("", "local") else None)
    if workers > 1:
        return ProcessEngine(config, workers)
    return InlineEngine(config)

