"""Runs the studio starts, forks, replays and resumes, in background threads, and the live
events they send to the pages watching (server-sent events).

Each job drives its own ``Runner`` on the workspace's run database with ``EventHub`` as its
event sink; the hub hands every ``RunEvent`` to the pages subscribed to that run (and to
those watching all runs), on their event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from agentkit.errors import AgentkitError, UserError
from agentkit.runtime.events import RunEvent
from agentkit.runtime.runner import Runner

__all__ = ["EventHub", "Jobs"]

ALL = "*"
QUEUE_LIMIT = 10_000  # events waiting for one slow page; past it that page misses tokens, not ends


class EventHub:
    """Fans run events out to subscribed asyncio queues (thread-safe)."""

    def __init__(self) -> None:
        self._subscribers: dict[str, list[tuple[asyncio.AbstractEventLoop, asyncio.Queue[dict[str, Any]]]]] = {}
        self._lock = threading.Lock()

    def subscribe(self, thread_id: str = ALL) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=QUEUE_LIMIT)
        with self._lock:
            self._subscribers.setdefault(thread_id, []).append((asyncio.get_running_loop(), queue))
        return queue

    def unsubscribe(self, thread_id: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        with self._lock:
            entries = self._subscribers.get(thread_id, [])
            entries[:] = [e for e in entries if e[1] is not queue]
            if not entries:
                self._subscribers.pop(thread_id, None)

    def publish(self, payload: dict[str, Any]) -> None:
        thread_id = str(payload.get("thread_id", ""))
        with self._lock:
            targets = [*self._subscribers.get(thread_id, []), *self._subscribers.get(ALL, [])]
        for loop, queue in targets:
            with contextlib.suppress(RuntimeError):  # that page's loop has closed
                loop.call_soon_threadsafe(_offer, queue, payload)

    def __call__(self, event: RunEvent) -> None:  # a Runner's event sink
        self.publish(event.to_dict())


def _offer(queue: asyncio.Queue[dict[str, Any]], payload: dict[str, Any]) -> None:
    if not queue.full():
        queue.put_nowait(payload)


class Jobs:
    """Background run actions, at most one at a time per thread id."""

    def __init__(self, database: Path | str, hub: EventHub, *, model_factory: Callable[[str | None], Any] | None = None,
                 workers: int = 2) -> None:
        self.database = database
        self.hub = hub
        self.model_factory = model_factory
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="agentkit-studio")
        self._active: dict[str, Future[Any]] = {}
        self._lock = threading.Lock()

    def busy(self, thread_id: str) -> bool:
        with self._lock:
            future = self._active.get(thread_id)
            return future is not None and not future.done()

    def submit(self, thread_id: str, action: Callable[[Runner], Any]) -> str:
        """Run ``action(runner)`` in the background for ``thread_id``; refused while one runs."""
        with self._lock:
            current = self._active.get(thread_id)
            if current is not None and not current.done():
                raise UserError(f"run {thread_id} is busy with another action; wait for it to finish")
            self._active[thread_id] = self._pool.submit(self._work, thread_id, action)
        return thread_id

    def _work(self, thread_id: str, action: Callable[[Runner], Any]) -> Any:
        try:
            with Runner(self.database, sink=self.hub, model_factory=self.model_factory) as runner:
                return action(runner)
        except (AgentkitError, Exception) as exc:  # reported to the page; the run's record says the rest
            self.hub.publish({"event": "job_error", "thread_id": thread_id, "ts": time.time(),
                              "error": f"{type(exc).__name__}: {exc}"})
            return None
        finally:
            self.hub.publish({"event": "job_done", "thread_id": thread_id, "ts": time.time()})

    def wait(self, thread_id: str, timeout: float | None = None) -> Any:
        with self._lock:
            future = self._active.get(thread_id)
        return future.result(timeout) if future is not None else None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex[:12]
