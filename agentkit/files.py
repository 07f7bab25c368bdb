"""Safe reading of user files: every file that a user, a spec or a model names is opened here.

Readers of documents (``memory ingest``) and images (every vision tool) go through
``open_user_file``; the contract is *open first, then check what was opened*, never
check a name and then open it (the name may point elsewhere by then):

1. The name is opened once, read-only, with ``O_NONBLOCK`` (a fifo opens at once
   instead of waiting for a writer; the flag is cleared afterwards) and ``O_NOCTTY``.
   With ``follow_symlinks=False`` a symbolic link as the last component is refused
   (``O_NOFOLLOW``).
2. ``fstat`` of the descriptor decides what it is: only a regular file passes;
   character and block devices, fifos, sockets and folders are refused.
3. With ``roots``, the descriptor's real path (``/proc/self/fd/N``: where the open
   actually landed, every link followed) must lie inside one of them, so a folder
   swapped for a symbolic link after any earlier check is judged by what was opened.
4. At most ``max_bytes`` are read: a larger file is refused from ``fstat`` before any
   read, and reading stops at ``max_bytes + 1`` bytes (a file that grows is refused too).
5. Missing files, broken links, symbolic-link loops, permission problems and names that
   are not files all raise a ``UserFileError`` (``agentkit.errors``) whose message names
   the path, with terminal escape sequences and other control characters escaped, and
   says what would be read.

Before opening, a ``stat`` of the name refuses devices, fifos and sockets without
opening them at all (opening some devices has side effects); it is only a shortcut,
step 2 is what decides.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from agentkit.errors import (
    FileOutsideRootsError,
    FileTooLargeError,
    NotRegularFileError,
    UserFileError,
)

__all__ = ["UserFile", "file_kind", "open_user_file", "printable", "read_user_file", "refusal", "shown"]

_READ_CHUNK = 1 << 20
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def printable(text: str | os.PathLike[str]) -> str:
    """``text`` with every character that is not printable (control characters, terminal
    escape sequences, bidirectional overrides, undecodable bytes) written as a Python
    escape (``\\x1b``), so a file name cannot retitle a terminal or recolour its output."""
    text = os.fspath(text)
    if text.isprintable():
        return text
    # repr() already knows how to escape each such character; it is applied per character
    # so that ordinary text and quotes stay as they are.
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def shown(path: str | os.PathLike[str]) -> str:
    """A path quoted for a message: ``'name'`` with non-printable characters escaped."""
    return repr(os.fspath(path))


def file_kind(mode: int) -> str | None:
    """What a ``stat`` mode is, in words, when it is not a regular file (``None`` for one)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a fifo (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _link_target(path: str) -> str | None:
    """Where the symbolic link ``path`` points (for messages only), or ``None``."""
    try:
        return os.readlink(path)
    except (OSError, ValueError):
        return None


def _error(cls: type[UserFileError], path: str, what: str, reason: str) -> UserFileError:
    return cls(f"{what} {shown(path)} {reason}", path=path, reason=reason)


def _not_regular(path: str, what: str, kind: str) -> UserFileError:
    target = _link_target(path)
    if target is not None:
        reason = f"is a symbolic link to {shown(target)}, which is {kind}; only regular files are read"
    else:
        reason = f"is {kind}, not a regular file; only regular files are read"
    return _error(NotRegularFileError, path, what, reason)


def _open_error(path: str, what: str, exc: OSError, follow_symlinks: bool) -> UserFileError:
    code = exc.errno
    if code == errno.ENOENT:
        if os.path.lexists(path):
            return _error(UserFileError, path, what, f"is a broken symbolic link: what it points to "
                                                     f"({shown(_link_target(path) or '?')}) does not exist")
        return _error(UserFileError, path, what, "does not exist (no such file)")
    if code == errno.ELOOP:
        if not follow_symlinks and os.path.islink(path):
            return _error(UserFileError, path, what, f"is a symbolic link (to {shown(_link_target(path) or '?')}); "
                                                     f"links are not followed here: give the file it points to")
        return _error(UserFileError, path, what, "is a symbolic link loop (a link that leads back to itself, "
                                                 "or more than 40 links deep); give a regular file")
    if code == errno.ENXIO:  # opening a unix socket (or a device with nothing behind it)
        return _not_regular(path, what, "a socket or a device")
    if code in (errno.EACCES, errno.EPERM):
        return _error(UserFileError, path, what, "cannot be read (permission denied)")
    if code == errno.ENOTDIR:
        return _error(UserFileError, path, what, "does not exist (a part of the path is not a folder)")
    if code == errno.ENAMETOOLONG:
        return _error(UserFileError, path, what, "has a name too long for the file system")
    return _error(UserFileError, path, what, f"cannot be opened ({exc.strerror or exc})")


def refusal(path: str | os.PathLike[str], cause: OSError | ValueError | str, *, what: str = "file",
            follow_symlinks: bool = True) -> UserFileError:
    """The ``UserFileError`` for ``path`` that failed with ``cause``: an ``OSError`` from
    opening or stat-ing it, or the kind ``file_kind`` gave (for callers that walk folders
    and must say why a name is not read without opening it)."""
    name = os.fspath(path)
    if isinstance(cause, str):
        return _not_regular(name, what, cause)
    if isinstance(cause, ValueError):  # a NUL in the name
        return _error(UserFileError, name, what, "has a NUL character in its name")
    return _open_error(name, what, cause, follow_symlinks)


def _real_path(fd: int, path: str, st: os.stat_result, what: str) -> str:
    """Where the open descriptor ``fd`` really is (every link followed, as the kernel did)."""
    try:
        real = os.readlink(f"/proc/self/fd/{fd}")  # Linux: the kernel's own record of the open
        if st.st_nlink == 0 and real.endswith(" (deleted)"):
            real = real[: -len(" (deleted)")]
        if real.startswith("/"):
            return real
    except OSError:
        pass
    if sys.platform == "darwin":
        import fcntl

        try:
            name = fcntl.fcntl(fd, getattr(fcntl, "F_GETPATH", 50), b"\0" * 1024)
            return os.fsdecode(name.rstrip(b"\0"))
        except OSError:
            pass
    # No way to ask the kernel: resolve the name and accept it only if it is the very
    # file that was opened (same device and inode).
    real = os.path.realpath(path)
    try:
        again = os.stat(real)
    except OSError:
        again = None
    if again is None or (again.st_dev, again.st_ino) != (st.st_dev, st.st_ino):
        raise _error(UserFileError, path, what, "changed while it was being opened; try again")
    return real


def _inside(real: str, roots: Sequence[str]) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


class UserFile:
    """An open, checked user file (see the module's contract).  Use as a context manager;
    ``read()`` returns its content, at most ``max_bytes``."""

    def __init__(self, fd: int, *, path: str, real_path: Path, size: int, max_bytes: int, what: str) -> None:
        self.fd = fd
        self.path = path
        self.real_path = real_path
        self.size = size
        self.max_bytes = max_bytes
        self.what = what

    def fileno(self) -> int:
        return self.fd

    def read(self) -> bytes:
        """The whole content; ``FileTooLargeError`` if it has grown past ``max_bytes``."""
        chunks: list[bytes] = []
        total = 0
        limit = self.max_bytes + 1
        while total < limit:
            chunk = os.read(self.fd, min(_READ_CHUNK, limit - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > self.max_bytes:
            raise _error(FileTooLargeError, self.path, self.what,
                         f"grew past the {_size(self.max_bytes)} limit while it was read")
        return b"".join(chunks)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> UserFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n:,} bytes"


def open_user_file(path: str | os.PathLike[str], *, max_bytes: int,
                   roots: Sequence[str | os.PathLike[str]] | None = None, follow_symlinks: bool = True,
                   what: str = "file") -> UserFile:
    """Open ``path`` for reading under the module's contract, or raise ``UserFileError``.

    ``roots``: folders the file must really be inside (``None``: anywhere);
    ``max_bytes``: the most that may be read; ``what``: how messages name the file
    (``"image"``, ``"document"``)."""
    name = os.fspath(path)
    if "\x00" in name:
        raise _error(UserFileError, name, what, "has a NUL character in its name")
    try:  # a shortcut only (see the module docstring): devices are better never opened
        mode = os.stat(name, follow_symlinks=follow_symlinks).st_mode
    except (OSError, ValueError):
        mode = stat.S_IFREG  # the open below reports it
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        raise _not_regular(name, what, file_kind(mode) or "")
    try:
        fd = os.open(name, _OPEN_FLAGS | (0 if follow_symlinks else os.O_NOFOLLOW))
    except OSError as exc:
        raise _open_error(name, what, exc, follow_symlinks) from None
    try:
        st = os.fstat(fd)
        kind = file_kind(st.st_mode)
        if kind is not None:
            raise _not_regular(name, what, kind)
        real = _real_path(fd, name, st, what)
        if roots is not None:
            allowed = [os.path.realpath(os.fspath(r)) for r in roots]
            if not _inside(real, allowed):
                reason = f"is outside the allowed folders (it is {shown(real)}); allowed: " \
                         f"{', '.join(shown(r) for r in allowed)}"
                raise FileOutsideRootsError(f"{what} {shown(name)} {reason}", path=name, reason=reason,
                                            real_path=real, roots=tuple(allowed))
        if st.st_size > max_bytes:
            raise _error(FileTooLargeError, name, what,
                         f"is {_size(st.st_size)}, over the {_size(max_bytes)} limit")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # O_NONBLOCK was for the open only
        return UserFile(fd, path=name, real_path=Path(real), size=st.st_size, max_bytes=max_bytes, what=what)
    except BaseException:
        os.close(fd)
        raise


def read_user_file(path: str | os.PathLike[str], *, max_bytes: int,
                   roots: Sequence[str | os.PathLike[str]] | None = None, follow_symlinks: bool = True,
                   what: str = "file") -> bytes:
    """The content of ``path`` read under the module's contract (see ``open_user_file``)."""
    with open_user_file(path, max_bytes=max_bytes, roots=roots, follow_symlinks=follow_symlinks, what=what) as f:
        return f.read()
