"""Hostile files the tests make themselves: fifos, sockets, device links, link loops, escape-laden names.

Nothing here needs root: a character device is reached through a symbolic link to
/dev/zero or /dev/urandom (``os.mknod`` is root-only; ``real_device`` makes one when allowed).
``bounded`` runs an action that must end quickly: a reader that blocks on a fifo or reads
/dev/zero without end fails the test in seconds instead of hanging the suite.
"""

from __future__ import annotations

import os
import resource
import socket
import threading
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

ESCAPE_NAME = "\x1b]0;pwned\x07\x1b[31mred\x1b[0m.txt"  # retitles a terminal window, recolours output


def make_socket(path: Path) -> Path:
    """A unix socket file at ``path`` (bound from its folder: socket paths are limited to ~108 bytes)."""
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        with closing(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)) as sock:
            sock.bind(path.name)
    finally:
        os.chdir(here)
    return path


def hostile_files(folder: Path, *, suffix: str = ".txt") -> dict[str, Path]:
    """Every kind of name a reader of regular files must refuse, made in ``folder``:
    name -> path.  The suffix keeps a supported extension, so only the file's kind stops it."""
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, Path] = {}
    made["fifo"] = folder / f"pipe{suffix}"
    os.mkfifo(made["fifo"])
    fifo_target = folder.parent / f"{folder.name}-fifo-target"
    if not fifo_target.exists():
        os.mkfifo(fifo_target)
    made["link to fifo"] = folder / f"fifo-link{suffix}"
    made["link to fifo"].symlink_to(fifo_target)
    made["socket"] = make_socket(folder / f"sock{suffix}")
    made["zero device"] = folder / f"zero{suffix}"
    made["zero device"].symlink_to("/dev/zero")
    made["urandom device"] = folder / f"urandom{suffix}"
    made["urandom device"].symlink_to("/dev/urandom")
    made["link loop"] = folder / f"loop-a{suffix}"
    made["link loop"].symlink_to(folder / f"loop-b{suffix}")
    (folder / f"loop-b{suffix}").symlink_to(made["link loop"])
    made["self link"] = folder / f"self{suffix}"
    made["self link"].symlink_to(made["self link"].name)
    made["broken link"] = folder / f"broken{suffix}"
    made["broken link"].symlink_to(folder / "nothing-here")
    return made


def real_device(path: Path) -> Path | None:
    """A character device like /dev/zero at ``path`` (``None`` where mknod is not allowed)."""
    import stat

    try:
        os.mknod(path, 0o644 | stat.S_IFCHR, os.makedev(1, 5))
    except (PermissionError, OSError):
        return None
    return path


def bounded(action: Callable[[], Any], *, seconds: float = 2.0, memory_bytes: int = 2**30) -> Any:
    """``action()``'s result (or the exception it raised, returned), asserting it ended within
    ``seconds`` and that the process's peak memory grew by less than ``memory_bytes``."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = action()
        except BaseException as exc:
            outcome["value"] = exc

    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.perf_counter()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    elapsed = time.perf_counter() - started
    assert not worker.is_alive(), f"still running after {seconds} s (blocked or reading without end)"
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - peak_before
    assert grown < memory_bytes, f"peak memory grew by {grown / 2**20:.0f} MiB"
    assert elapsed < seconds
    return outcome["value"]
