"""llama-cpp-python's own OpenAI-compatible server on loopback, serving a local model, for tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def llama_server(model: str | None = None, *, alias: str = "served", n_ctx: int = 4096,
                 timeout_s: float = 90.0) -> Iterator[str]:
    """Serve ``model`` (a known name; None: the default) on 127.0.0.1; yields the base URL (…/v1)."""
    from agentkit.llm import resolve_model

    path = resolve_model(model).path
    port = free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in finally; llama.cpp logs a lot: a pipe nobody reads would block it
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--model_alias", alias,
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(n_ctx), "--n_threads", "1"],
        stdout=subprocess.DEVNULL, stderr=log, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"llama_cpp.server exited {process.returncode}: "
                                   f"{log.read().decode(errors='replace')[-2000:]}")
            try:
                if httpx.get(url + "/models", timeout=2.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"llama_cpp.server did not answer on {url} within {timeout_s:.0f} s")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
