"""A batch's results file: one JSON line per input, appended whole and flushed to disk.

Only the batch's coordinator writes it, holding an exclusive ``flock`` on it for the whole batch
(a second batch on the same file is refused).  Each result is one ``write`` of a whole line
followed by ``fsync``, so a crash can at worst cut the last line short; reading the file drops
such a line (rewriting the file to a temporary one and renaming it over the old), so the file
never holds half a line when a batch starts.  Lines already there say which inputs are done.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentkit.errors import UserError
from agentkit.files import shown

__all__ = ["ResultsFile"]


def _locked(path: Path) -> int:
    """``path`` opened for appending (created if need be) with an exclusive lock, or a ``UserError``."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise UserError(f"another batch is writing {shown(path)} (it holds the file's lock); wait for it, or "
                        f"write to another file") from None
    return fd


@dataclass(kw_only=True)
class ResultsFile:
    """The results file at ``path``: what earlier batches recorded (``recorded``: key -> line)
    and the appending of new lines."""

    path: Path
    recorded: dict[str, dict[str, Any]] = field(default_factory=dict)
    _fd: int = -1
    _created: bool = False  # this batch made the file: removed again if nothing was written to it
    _written: int = 0

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
        results = cls(path=target, _created=not target.exists())
        try:
            results._fd = _locked(target)
            if results._load(retry_failed=retry_failed):  # rewritten: lock the new file
                os.close(results._fd)
                results._fd = _locked(target)
        except OSError as exc:
            results.close()
            raise UserError(f"cannot write results file {shown(target)}: {exc.strerror or exc}") from None
        except BaseException:
            results.close()
            raise
        return results

    def _load(self, *, retry_failed: bool) -> bool:
        """Read what the file records; True if it was rewritten (a cut line or retried failures dropped)."""
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
        return dropped

    def append(self, result: dict[str, Any]) -> None:
        """Write one result as a whole line and make it durable before returning."""
        data = (json.dumps(result, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        written = 0
        while written < len(data):  # O_APPEND: each write goes at the end; a short write continues
            written += os.write(self._fd, data[written:])
        os.fsync(self._fd)
        self._written += 1
        self.recorded[str(result["key"])] = result

    def close(self) -> None:
        if self._fd >= 0:
            if self._created and not self._written:  # a batch that wrote nothing leaves no file behind
                self.path.unlink(missing_ok=True)
            os.close(self._fd)  # and lets go of the lock
            self._fd = -1

    def __enter__(self) -> ResultsFile:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
