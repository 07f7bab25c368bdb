"""A small web service that runs agentkit graphs and streams their events (FastAPI).

    pip install 'agentkit[examples]'          # fastapi (uvicorn comes with chromadb)
    uvicorn examples.service:app              # from the repository root
    curl -N localhost:8000/runs -H 'content-type: application/json' \\
         -d '{"graph": "ask", "inputs": {"question": "Why is the sky blue?"}}'
    curl localhost:8000/runs/THREAD_ID

Endpoints:

- ``POST /runs`` ``{"graph": NAME, "inputs": {...}}`` starts a durable run and streams
  server-sent events (``text/event-stream``): one ``data: <json>`` line per agentkit
  ``RunEvent`` (``run_start``, ``node_start``, ``token``, ``llm_call``, ``node_end``,
  ``run_end``...), then a final ``result`` event (``RunResult.to_dict()``), or an
  ``error`` event if a node failed.  A graph that is not found gives 404; inputs the
  graph does not take or lacks give 422, each a JSON ``{"error": message}``.
- ``GET /runs/{thread_id}``: the run's status, message, output and per-node summary.
- ``GET /graphs``: the graph names a request may use.

``NAME`` is a bare name (letters, digits, ``_``), looked up as ``NAME.yaml`` in
``graphs_dir`` and then among agentkit's shipped graphs.  A request can never name a
path, so it cannot make the service read a file outside those folders.

How it streams: agentkit's ``Runner`` is synchronous, so each run works in a thread;
the runner's ``sink`` puts every event on an ``asyncio.Queue`` (through the event
loop, ``call_soon_threadsafe``), and the response's async generator drains it.  A
client that disconnects stops receiving, not the run: it finishes in its thread and
stays in the run database (``GET /runs/{id}``, ``agentkit runs show``).

A graph that takes an image path reads it with agentkit's vision rules (inside the
current folder, the workspace or ``AGENTKIT_IMAGE_ROOTS``): start the service where
those limits suit you.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from agentkit.errors import UserError
from agentkit.graphs import shipped_graph, shipped_graphs
from agentkit.runtime import Runner, UnknownRunError, node_summary
from agentkit.runtime.events import EventSink, RunEvent
from agentkit.spec import SpecError, load_spec

__all__ = ["GRAPHS_DIR", "RunRequest", "app", "create_app", "default_runner"]

GRAPHS_DIR = Path(__file__).resolve().parent / "graphs"
RunnerFactory = Callable[[EventSink | None], Runner]
_DONE = object()  # the worker's last item on the queue


class RunRequest(BaseModel):
    graph: str = Field(description="the name of a graph (no path, no suffix)", max_length=64)
    inputs: dict[str, Any] = Field(default_factory=dict, description="the graph's input fields")


def default_runner(sink: EventSink | None) -> Runner:
    """A runner on the workspace's run database (``./.agentkit`` or ``AGENTKIT_WORKSPACE``)."""
    return Runner(sink=sink)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": message})


def _sse(item: dict[str, Any]) -> str:
    return f"data: {json.dumps(item, default=str)}\n\n"


class _Graphs:
    """Graph names -> files: ``graphs_dir`` first, then the shipped graphs; never a path."""

    def __init__(self, graphs_dir: str | Path | None) -> None:
        self.folder = Path(graphs_dir).resolve() if graphs_dir is not None else None

    def find(self, name: str) -> Path | None:
        if not name.isidentifier():  # "../x", "/etc/passwd", "a.yaml": not names
            return None
        if self.folder is not None:
            for suffix in (".yaml", ".yml"):
                path = (self.folder / f"{name}{suffix}").resolve()  # a symlink must stay inside
                if path.is_file() and path.is_relative_to(self.folder):
                    return path
        return shipped_graph(name)

    def names(self) -> list[str]:
        own = sorted(p.stem for p in self.folder.glob("*.y*ml") if p.stem.isidentifier()) if self.folder else []
        return [*own, *(n for n in shipped_graphs() if n not in own)]


def create_app(runner_factory: RunnerFactory = default_runner, graphs_dir: str | Path | None = GRAPHS_DIR) -> FastAPI:
    """The service: ``runner_factory(sink)`` makes a ``Runner`` for each request (the service
    closes it); ``graphs_dir`` holds the graphs served by name besides the shipped ones."""
    graphs = _Graphs(graphs_dir)
    app = FastAPI(title="agentkit runs", description="Run agentkit graphs; stream their events.")

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'] if p != 'body') or 'body'}: {e['msg']}"
                             for e in exc.errors())
        return _error(422, f"bad request: {problems}")

    @app.get("/graphs")
    def list_graphs() -> dict[str, list[str]]:
        return {"graphs": graphs.names()}

    @app.post("/runs", response_model=None)
    async def start_run(request: RunRequest) -> StreamingResponse | JSONResponse:
        path = graphs.find(request.graph)
        if path is None:
            return _error(404, f"no graph named {request.graph!r}; graphs: {', '.join(graphs.names()) or '(none)'}")
        try:
            spec = load_spec(path)
        except SpecError as exc:  # the server's graph file is broken: not the client's fault
            return _error(500, str(exc))
        unknown = sorted(set(request.inputs) - set(spec.input))
        if unknown:
            return _error(422, f"graph {spec.name!r} takes no input {', '.join(map(repr, unknown))}; "
                               f"its inputs: {', '.join(spec.input) or '(none)'}")
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Any] = asyncio.Queue()

        def push(item: Any) -> None:
            with contextlib.suppress(RuntimeError):  # the server shut down: nobody listens, the run goes on
                loop.call_soon_threadsafe(queue.put_nowait, item)

        def work() -> None:
            try:
                with runner_factory(push) as runner:
                    result = runner.start(spec, request.inputs)
                push({"event": "result", **result.to_dict()})
            except UserError as exc:  # before the run starts: missing inputs, an unknown tool...
                push(exc)
            except Exception as exc:
                push({"event": "error", "message": f"{type(exc).__name__}: {exc}"})
            finally:
                push(_DONE)

        threading.Thread(target=work, name=f"agentkit-run-{spec.name}", daemon=True).start()
        first = await queue.get()
        if isinstance(first, UserError):  # nothing ran: answer with a plain error, not a stream
            return _error(422, str(first))

        async def events() -> AsyncIterator[str]:
            item = first
            while item is not _DONE:
                if isinstance(item, RunEvent):
                    yield _sse(item.to_dict())
                elif isinstance(item, UserError):  # refused after it began (e.g. an approval question)
                    yield _sse({"event": "error", "message": str(item)})
                else:
                    yield _sse(item)
                item = await queue.get()

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    @app.get("/runs/{thread_id}", response_model=None)
    def get_run(thread_id: str) -> dict[str, Any] | JSONResponse:
        with runner_factory(None) as runner:
            try:
                record = runner.run(thread_id)
            except UnknownRunError:
                return _error(404, f"no run with thread id {thread_id!r}")
            values = runner.snapshot(thread_id).values
            declared = json.loads(record.spec_json).get("output") or list(values)
            return {"thread_id": thread_id, "graph": record.graph, "status": record.status,
                    "message": record.message, "output": {k: values[k] for k in declared if k in values},
                    "nodes": [vars(n) for n in node_summary(runner.history(thread_id))],
                    "seconds": round(record.seconds, 3)}

    return app


app = create_app()
