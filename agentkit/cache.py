"""The user's agentkit cache, and a ledger of files whose sha256 was checked.

Models and embedding files are verified before first use.  Hashing a 500 MB file
takes seconds, so a small ledger (keyed by path, size and mtime) records each
file that passed; the hash then runs once per file, not once per process.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock

__all__ = ["cache_dir", "is_verified", "record_verified", "sha256_file", "verify_once"]


def cache_dir() -> Path:
    """Where agentkit keeps assembled models (``AGENTKIT_CACHE_DIR`` overrides)."""
    override = os.environ.get("AGENTKIT_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("agentkit"))


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file, read in 4 MB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def verify_once(path: Path, sha256: str, mismatch: Callable[[str], Exception]) -> None:
    """Check ``path`` against ``sha256`` unless the ledger says it passed already.

    On a mismatch raise ``mismatch(actual_digest)``."""
    if is_verified(path, sha256):
        return
    actual = sha256_file(path)
    if actual != sha256:
        raise mismatch(actual)
    record_verified(path, sha256)


def _ledger_path() -> Path:
    return cache_dir() / "verified.json"


def _ledger() -> dict[str, dict[str, object]]:
    try:
        return json.loads(_ledger_path().read_text())
    except (OSError, ValueError):
        return {}


def _fingerprint(path: Path) -> dict[str, object]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def is_verified(path: Path, sha256: str) -> bool:
    """True when the ledger holds ``path`` with this digest and its current size and mtime."""
    if not path.is_file():
        return False
    entry = _ledger().get(str(path))
    return entry == {**_fingerprint(path), "sha256": sha256}


def record_verified(path: Path, sha256: str) -> None:
    """Add ``path`` to the ledger (atomically; safe across processes)."""
    ledger_file = _ledger_path()
    ledger_file.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(ledger_file) + ".lock"):
        ledger = _ledger()
        ledger[str(path)] = {**_fingerprint(path), "sha256": sha256}
        tmp = ledger_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(ledger, indent=1, sort_keys=True))
        os.replace(tmp, ledger_file)
