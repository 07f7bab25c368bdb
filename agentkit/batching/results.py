"""A batch's results file: one JSON line per input, appended whole and flushed to disk.

Only the batch's coordinator writes it, holding ``RESULTS.jsonl.lock`` for the whole batch (a
second batch on the same file is refused).  Each result is one ``write`` of a whole line
followed by ``fsync``, so a crash can at worst cut the last line short; reading the file drops
such a line (rewriting the file to a temporary one and renaming it over the old), so the file
never holds half a line when a batch starts.  Lines already there say which inputs are done.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from agentkit.errors import UserError
from agentkit.files import shown

__all__ = ["ResultsFile"]


@dataclass(kw_only=True)
class ResultsFile:
    """The results file at ``path``: what earlier batches recorded (``recorded``: key -> line)
    and the appending of new lines."""

    path: Path
    recorded: dict[str, dict[str, Any]] = field(default_factory=dict)
    _fd: int = -1
    _lock: FileLock | None = None

    @classmethod
    def open(cls, path: str | Path, *, retry_failed: bool = False) -> ResultsFile:
        """Open (creating) ``path`` for appending, holding its lock; read what it records.

        With ``retry_failed`` the lines of failed inputs are dropped first (one rewrite, renamed
        into place), so those inputs run again and are reported once."""
        target = Path(path).expanduser().absolute()
        if target.is_dir():
            raise UserError(f"results file {shown(target)} is a folder; name a file, e.g. results.jsonl")
        if not target.parent.is_dir():
            raise UserError(f"results file {shown(target)}: folder {shown(target.parent)} does not exist")
        lock = FileLock(str(target) + ".lock")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise UserError(f"another batch is writing {shown(target)} (it holds {shown(str(target) + '.lock')}); "
                            f"wait for it, or write to another file") from None
        except OSError as exc:
            raise UserError(f"cannot write next to {shown(target)}: {exc.strerror or exc}") from None
        try:
            results = cls(path=target, _lock=lock)
            results._load(retry_failed=retry_failed)
            results._fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            lock.release()
            raise UserError(f"cannot write results file {shown(target)}: {exc.strerror or exc}") from None
        except BaseException:
            lock.release()
            raise
        return results

    def _load(self, *, retry_failed: bool) -> None:
        if not self.path.exists():
            return
        raw = self.path.read_bytes()
        kept: list[bytes] = []
        dropped = False
        for line in raw.splitlines(keepends=True):
            try:
                value = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                value = None
            if not line.endswith(b"\n") or not isinstance(value, dict) or "key" not in value:
                dropped = True  # a line cut short by a crash, or one that is not ours
                continue
            if retry_failed and value.get("status") != "done":
                dropped = True
                continue
            kept.append(line)
            self.recorded[str(value["key"])] = value
        if dropped:
            partial = self.path.with_name(self.path.name + ".partial")
            with open(partial, "wb") as out:
                out.write(b"".join(kept))
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, self.path)

    def append(self, result: dict[str, Any]) -> None:
        """Write one result as a whole line and make it durable before returning."""
        data = (json.dumps(result, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        written = 0
        while written < len(data):  # O_APPEND: each write goes at the end; a short write continues
            written += os.write(self._fd, data[written:])
        os.fsync(self._fd)
        self.recorded[str(result["key"])] = result

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> ResultsFile:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
