"""The studio's web server: a Starlette app over the workspace's run database, and ``serve``.

Security (the app holds runs' prompts, documents' text and the power to start runs):

- It binds 127.0.0.1 unless told otherwise; another address needs ``remote=True`` (the CLI's
  ``--allow-remote``) and then every request must carry the token (the ``X-Agentkit-Token``
  header, or the cookie set by opening ``/?token=...`` once).
- Every state-changing request (POST, PUT, DELETE) must carry the token in the
  ``X-Agentkit-Token`` header, even on loopback: the page reads it from its own HTML, a
  page of another site cannot (a CSRF token).  On loopback the ``Host`` header must name
  the loopback address (DNS rebinding is refused).
- Every response forbids scripts, styles and connections from anywhere but the studio
  itself (Content-Security-Policy, no inline script), and the page builds every text with
  ``textContent``: a ``<script>`` in a prompt, a document or a state value shows as text.
- Files: uploads are written only into the workspace's ``uploads/`` folder under a name the
  server makes, checked as images before a run sees them; graphs are named by id from a scan.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import importlib.resources
import json
import os
import re
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentkit.errors import AgentkitError, InputError, UserError
from agentkit.extras import require
from agentkit.network import is_loopback

__all__ = ["LOOPBACK", "StudioSettings", "create_app", "is_loopback", "serve"]

LOOPBACK = "127.0.0.1"
TOKEN_HEADER = "x-agentkit-token"
TOKEN_COOKIE = "agentkit_studio_token"
MAX_UPLOAD_BYTES = 64 * 2**20
MAX_JSON_BYTES = 2 * 2**20
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff")
STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


@dataclass(kw_only=True)
class StudioSettings:
    """Where the studio looks and how it is reached."""

    root: Path = field(default_factory=Path.cwd)  # graph files under it are shown (besides the shipped ones)
    # the run database: an SQLite file or a postgresql:// URL (default: AGENTKIT_DATABASE_URL, else the
    # workspace's runs.sqlite)
    database: Path | str | None = None
    host: str = LOOPBACK
    port: int = 8765
    remote: bool = False  # bound to a non-loopback address: the token is needed on every request
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    model_factory: Callable[[str | None], Any] | None = None  # tests pass a scripted model here

    def check(self) -> None:
        if not is_loopback(self.host) and not self.remote:
            raise UserError(f"--host {self.host}: the studio binds to loopback ({LOOPBACK}) unless you pass "
                            f"--allow-remote (then every request needs the token)")
        if len(self.token) < 16:
            raise UserError("the studio token must be at least 16 characters (or leave it out: one is made)")


class _Security:
    """Pure ASGI middleware: host and token checks, and the headers every response carries."""

    def __init__(self, app: Any, settings: StudioSettings) -> None:
        self.app = app
        self.settings = settings
        names = ("127.0.0.1", "localhost", "[::1]")
        self.hosts = {n for name in names for n in (name, f"{name}:{settings.port}")}

    def _token_ok(self, headers: dict[str, str], *, cookie_ok: bool) -> bool:
        given = headers.get(TOKEN_HEADER, "")
        if not given and cookie_ok:
            for part in headers.get("cookie", "").split(";"):
                key, _, value = part.strip().partition("=")
                if key == TOKEN_COOKIE:
                    given = value
        return bool(given) and hmac.compare_digest(given.encode(), self.settings.token.encode())

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        method = scope["method"]
        problem = None
        if not self.settings.remote and headers.get("host", "") not in self.hosts:
            problem = (400, "the studio answers only requests addressed to the loopback address")
        elif self.settings.remote and not self._token_ok(headers, cookie_ok=True) and not (
                scope["path"] == "/" and method == "GET"):
            problem = (401, "this studio needs its token: open the address `agentkit studio` printed")
        elif method not in ("GET", "HEAD", "OPTIONS") and not self._token_ok(headers, cookie_ok=False):
            problem = (403, "a request that changes anything needs the page's token (X-Agentkit-Token)")
        elif method not in ("GET", "HEAD") and headers.get("origin") and \
                headers["origin"].split("://", 1)[-1] != headers.get("host"):
            problem = (403, "cross-origin requests are refused")

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                extra = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                         (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY"),
                         (b"cache-control", b"no-store")]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        if problem is not None:
            body = json.dumps({"error": problem[1]}).encode()
            await send_with_headers({"type": "http.response.start", "status": problem[0],
                                     "headers": [(b"content-type", b"application/json")]})
            await send_with_headers({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send_with_headers)


def _static(name: str) -> bytes:
    return importlib.resources.files("agentkit.studio").joinpath("static", name).read_bytes()


def create_app(settings: StudioSettings | None = None) -> Any:
    """The studio as an ASGI app (Starlette)."""
    require("studio", what="agentkit studio")
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
    from starlette.routing import Route

    from agentkit.runtime.database import run_database
    from agentkit.runtime.runner import Runner
    from agentkit.studio import data
    from agentkit.studio.jobs import EventHub, Jobs

    settings = settings or StudioSettings()
    settings.check()
    database = run_database(settings.database)
    reader = Runner(database, model_factory=settings.model_factory)
    reader_lock = asyncio.Lock()  # one read at a time on the shared connection, off the event loop
    catalog = data.GraphCatalog(root=settings.root)
    hub = EventHub()
    jobs = Jobs(database, hub, model_factory=settings.model_factory)
    static_names = {p.name for p in importlib.resources.files("agentkit.studio").joinpath("static").iterdir()}

    async def recorded(thread_id: str) -> None:
        """Wait (briefly) until a run the studio started is in the index, so its page finds it."""
        for _ in range(200):
            if await read(reader.store.get_run, thread_id) is not None or not jobs.busy(thread_id):
                return
            await asyncio.sleep(0.05)

    async def read(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        async with reader_lock:
            return await asyncio.to_thread(function, *args, **kwargs)

    def ok(payload: Any, status: int = 200) -> Response:
        return JSONResponse(payload, status_code=status)

    def handle(endpoint: Callable[[Request], Any]) -> Callable[[Request], Any]:
        async def wrapped(request: Request) -> Response:
            try:
                return await endpoint(request)
            except UserError as exc:
                return ok({"error": str(exc)}, 404 if type(exc).__name__ == "UnknownRunError" else 400)
            except AgentkitError as exc:
                return ok({"error": f"{type(exc).__name__}: {exc}"}, 500)
        return wrapped

    async def body_json(request: Request) -> dict[str, Any]:
        raw = await request.body()
        if len(raw) > MAX_JSON_BYTES:
            raise UserError(f"the request is larger than {MAX_JSON_BYTES} bytes")
        try:
            value = json.loads(raw or b"{}")
        except ValueError as exc:
            raise UserError(f"the request body is not JSON: {exc}") from None
        if not isinstance(value, dict):
            raise UserError("the request body must be a JSON object")
        return value

    # -- pages -----------------------------------------------------------------------------

    async def index(request: Request) -> Response:
        if settings.remote:
            given = request.query_params.get("token", "")
            if given and hmac.compare_digest(given.encode(), settings.token.encode()):
                response = RedirectResponse("/", status_code=303)
                response.set_cookie(TOKEN_COOKIE, settings.token, httponly=True, samesite="strict")
                return response
            cookie = request.cookies.get(TOKEN_COOKIE, "")
            if not (cookie and hmac.compare_digest(cookie.encode(), settings.token.encode())):
                return ok({"error": "this studio needs its token: open the address `agentkit studio` printed"}, 401)
        page = _static("index.html").decode().replace("{{TOKEN}}", settings.token)  # url-safe: no escaping needed
        return Response(page, media_type="text/html; charset=utf-8")

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in static_names or Path(name).suffix not in STATIC_TYPES:
            return ok({"error": "no such file"}, 404)
        return Response(_static(name), media_type=STATIC_TYPES[Path(name).suffix])

    # -- graphs ------------------------------------------------------------------------------

    @handle
    async def graphs(request: Request) -> Response:
        return ok(await read(catalog.scan))

    @handle
    async def graph(request: Request) -> Response:
        return ok(await read(data.graph_detail, catalog, request.path_params["graph_id"]))

    # -- runs --------------------------------------------------------------------------------

    @handle
    async def runs(request: Request) -> Response:
        q = request.query_params
        limit = int(q["limit"]) if q.get("limit", "").isdigit() else 200
        return ok(await read(data.run_list, reader, status=q.get("status", ""), graph=q.get("graph", ""),
                             limit=limit))

    @handle
    async def run(request: Request) -> Response:
        detail = await read(data.run_detail, reader, request.path_params["thread_id"])
        detail["busy"] = jobs.busy(detail["thread_id"])
        return ok(detail)

    @handle
    async def call(request: Request) -> Response:
        return ok(await read(data.llm_call, reader, request.path_params["thread_id"], request.path_params["call_id"]))

    @handle
    async def history(request: Request) -> Response:
        return ok(await read(data.checkpoints, reader, request.path_params["thread_id"]))

    @handle
    async def evals(request: Request) -> Response:
        return ok(await asyncio.to_thread(data.eval_reports))

    async def events(request: Request) -> Response:
        thread_id = request.path_params.get("thread_id", "*")
        queue = hub.subscribe(thread_id)

        async def stream() -> Any:
            try:
                yield "retry: 2000\n\n"
                while True:
                    try:
                        payload = await asyncio.wait_for(queue.get(), timeout=1.0)
                    except TimeoutError:
                        yield ": ping\n\n"  # also how a closed page is noticed
                        continue
                    yield f"data: {json.dumps(payload, default=str)}\n\n"
            finally:
                hub.unsubscribe(thread_id, queue)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"x-accel-buffering": "no"})

    # -- actions ----------------------------------------------------------------------------

    @handle
    async def start(request: Request) -> Response:
        body = await body_json(request)
        from agentkit.runtime.inputs import image_inputs
        from agentkit.spec import load_spec

        path = await read(catalog.path, str(body.get("graph", "")))
        spec = load_spec(path)
        inputs = body.get("inputs") or {}
        if not isinstance(inputs, dict):
            raise InputError("inputs must be an object: {field: value}")
        uploads = [_upload_path(str(name)) for name in body.get("images") or []]
        if uploads:
            inputs = {**inputs, **await asyncio.to_thread(image_inputs, spec, uploads)}
        missing = spec.missing_inputs(dict(inputs))
        if missing:
            raise InputError(f"graph {spec.name!r} needs input {', '.join(map(repr, missing))}")
        thread_id = Jobs.new_id()
        jobs.submit(thread_id, lambda runner: runner.start(path, inputs, thread_id=thread_id))
        await recorded(thread_id)
        return ok({"thread_id": thread_id}, 202)

    @handle
    async def fork(request: Request) -> Response:
        body = await body_json(request)
        source = request.path_params["thread_id"]
        node = str(body.get("node", ""))
        record = await read(reader.run, source)
        if not node:
            raise UserError("say which node to fork from: {\"node\": NAME}")
        new_id = Jobs.new_id()
        jobs.submit(new_id, lambda runner: runner.fork(record.thread_id, node, new_thread_id=new_id))
        await recorded(new_id)
        return ok({"thread_id": new_id}, 202)

    @handle
    async def replay(request: Request) -> Response:
        record = await read(reader.run, request.path_params["thread_id"])
        new_id = Jobs.new_id()
        jobs.submit(new_id, lambda runner: runner.replay(record.thread_id, new_thread_id=new_id))
        await recorded(new_id)
        return ok({"thread_id": new_id}, 202)

    @handle
    async def resume(request: Request) -> Response:
        body = await body_json(request)
        record = await read(reader.run, request.path_params["thread_id"])
        decision = body.get("approve")
        if decision not in (None, True, False):
            raise UserError("approve must be true, false or left out")
        reason = str(body.get("reason", ""))[:2000]
        jobs.submit(record.thread_id, lambda runner: runner.resume(record.thread_id, approve=decision, reason=reason))
        return ok({"thread_id": record.thread_id}, 202)

    @handle
    async def upload(request: Request) -> Response:
        name = request.query_params.get("name", "")
        suffix = Path(name).suffix.lower()
        if suffix not in IMAGE_SUFFIXES:
            raise InputError(f"upload {name!r}: only images ({', '.join(IMAGE_SUFFIXES)}) can be uploaded")
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(name).stem)[:60].strip("-") or "image"
        stored = f"{secrets.token_hex(4)}-{stem}{suffix}"
        folder = _upload_dir()
        handle_, temp = tempfile.mkstemp(dir=folder, prefix=".upload-")
        size = 0
        try:
            with os.fdopen(handle_, "wb") as out:
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > MAX_UPLOAD_BYTES:
                        raise InputError(f"upload {name!r} is larger than {MAX_UPLOAD_BYTES // 2**20} MiB")
                    out.write(chunk)
            from agentkit.vision.images import load_image

            os.replace(temp, folder / stored)
            await asyncio.to_thread(load_image, str(folder / stored))  # an image the graph can open, or refused
        except BaseException:
            for leftover in (temp, folder / stored):
                Path(leftover).unlink(missing_ok=True)
            raise
        return ok({"name": stored, "bytes": size}, 201)

    routes = [
        Route("/", index),
        Route("/static/{name}", static),
        Route("/api/graphs", graphs),
        Route("/api/graphs/{graph_id:path}", graph),
        Route("/api/runs", runs),
        Route("/api/runs", start, methods=["POST"]),
        Route("/api/events", events),
        Route("/api/runs/{thread_id}", run),
        Route("/api/runs/{thread_id}/calls/{call_id:int}", call),
        Route("/api/runs/{thread_id}/checkpoints", history),
        Route("/api/runs/{thread_id}/events", events),
        Route("/api/runs/{thread_id}/fork", fork, methods=["POST"]),
        Route("/api/runs/{thread_id}/replay", replay, methods=["POST"]),
        Route("/api/runs/{thread_id}/resume", resume, methods=["POST"]),
        Route("/api/uploads", upload, methods=["PUT"]),
        Route("/api/evals", evals),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> Any:
        try:
            yield
        finally:
            await asyncio.to_thread(jobs.close)
            reader.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.jobs = jobs
    app.state.hub = hub
    app.state.settings = settings
    return _Security(app, settings)


def _upload_dir() -> Path:
    from agentkit.workspace import workspace_path

    folder = workspace_path("uploads", "x").parent
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _upload_path(name: str) -> Path:
    """An uploaded file named by the name the server gave it (nothing else: no paths)."""
    if not re.fullmatch(r"[0-9a-f]{8}-[A-Za-z0-9_-]{1,60}\.[a-z]{3,4}", name):
        raise InputError(f"no uploaded image {name!r}; upload it first")
    path = _upload_dir() / name
    if not path.is_file():
        raise InputError(f"no uploaded image {name!r}; upload it first")
    return path


def serve(settings: StudioSettings, *, on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the studio until interrupted (uvicorn)."""
    require("studio", what="agentkit studio")
    import uvicorn

    app = create_app(settings)
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning", access_log=False,
                            lifespan="on", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    if on_ready is not None:
        url = f"http://{settings.host if ':' not in settings.host else f'[{settings.host}]'}:{settings.port}/"
        if settings.remote:
            url += f"?token={settings.token}"
        original = server.startup

        async def startup(sockets: Any = None) -> None:
            await original(sockets)
            on_ready(url)

        server.startup = startup  # type: ignore[method-assign]
    server.run()
