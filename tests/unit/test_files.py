"""agentkit.files: the one way user files are opened — open first, then check what was opened.

Every hostile file is made here (fifos, sockets, links to /dev/zero and /dev/urandom, link
loops, escape sequences in names); each must be refused quickly, by kind, with a message
naming the path (escaped) and what is read; nothing of it is read.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from agentkit.errors import (
    FileOutsideRootsError,
    FileTooLargeError,
    NotRegularFileError,
    UserError,
    UserFileError,
)
from agentkit.files import open_user_file, printable, read_user_file, shown
from tests._hostile import ESCAPE_NAME, bounded, hostile_files, real_device
from tests._needs import missing

EXPECTED = {
    "fifo": "is a fifo (named pipe), not a regular file; only regular files are read",
    "link to fifo": "which is a fifo (named pipe); only regular files are read",
    "socket": "is a socket, not a regular file",
    "zero device": "is a symbolic link to '/dev/zero', which is a character device",
    "urandom device": "is a symbolic link to '/dev/urandom', which is a character device",
    "link loop": "is a symbolic link loop",
    "self link": "is a symbolic link loop",
    "broken link": "is a broken symbolic link: what it points to",
}


def test_regular_files_are_read_whole_and_report_where_they_really_are(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"hello")
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    with open_user_file(tmp_path / "link.txt", max_bytes=10, roots=[tmp_path]) as opened:
        assert opened.read() == b"hello" and opened.size == 5
        assert opened.real_path == (tmp_path / "a.txt").resolve()
    assert opened.fd == -1  # closed on leaving the block
    assert read_user_file(tmp_path / "a.txt", max_bytes=5) == b"hello"


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_every_non_regular_file_is_refused_quickly_without_reading(tmp_path: Path, kind: str) -> None:
    path = hostile_files(tmp_path / "in")[kind]
    error = bounded(lambda: read_user_file(path, max_bytes=2**20, what="document"))
    assert isinstance(error, UserFileError) and isinstance(error, UserError)
    assert EXPECTED[kind] in str(error) and EXPECTED[kind] in error.reason
    assert str(error).startswith(f"document {shown(path)} ")  # names the path
    assert error.path == str(path)


@pytest.mark.parametrize("name", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_given_by_name_are_refused_up_front(name: str) -> None:
    error = bounded(lambda: read_user_file(name, max_bytes=2**20))
    assert isinstance(error, NotRegularFileError) and "is a character device" in str(error)


def test_a_real_device_node_named_like_a_document_is_refused(tmp_path: Path) -> None:
    device = real_device(tmp_path / "zero.txt")
    if device is None:
        missing("mknod needs root (or CAP_MKNOD) here; the symlink-to-/dev/zero case covers the kind check")
    error = bounded(lambda: read_user_file(device, max_bytes=2**20))
    assert isinstance(error, NotRegularFileError) and "is a character device, not a regular file" in str(error)


def test_folders_are_refused_and_links_are_refused_when_not_followed(tmp_path: Path) -> None:
    with pytest.raises(NotRegularFileError, match="is a folder, not a regular file"):
        read_user_file(tmp_path, max_bytes=10)
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "l.txt").symlink_to("a.txt")
    with pytest.raises(UserFileError, match=r"is a symbolic link \(to 'a.txt'\); links are not followed here"):
        read_user_file(tmp_path / "l.txt", max_bytes=10, follow_symlinks=False)
    with pytest.raises(UserFileError, match="does not exist"):
        read_user_file(tmp_path / "missing.txt", max_bytes=10)
    with pytest.raises(UserFileError, match="NUL character"):
        read_user_file("a\x00b", max_bytes=10)


def test_the_size_limit_is_checked_before_reading_and_while_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 1000)
    with pytest.raises(FileTooLargeError, match=r"is 1,000 bytes, over the 999 bytes limit"):
        read_user_file(big, max_bytes=999)
    with open_user_file(big, max_bytes=1000) as opened:
        with big.open("ab") as more:  # grows after the size check: reading stops at the limit + 1
            more.write(b"y" * 5000)
        with pytest.raises(FileTooLargeError, match="grew past the 1,000 bytes limit"):
            opened.read()


def test_roots_are_checked_on_what_was_opened(tmp_path: Path) -> None:
    inside, outside = tmp_path / "in", tmp_path / "out"
    inside.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    (inside / "link.txt").symlink_to(outside / "secret.txt")
    with pytest.raises(FileOutsideRootsError) as caught:
        read_user_file(inside / "link.txt", max_bytes=100, roots=[inside])
    assert "is outside the allowed folders" in str(caught.value) and shown(str(inside)) in str(caught.value)
    with pytest.raises(FileOutsideRootsError):
        read_user_file(f"{inside}/../out/secret.txt", max_bytes=100, roots=[inside])
    (inside / "inner.txt").write_text("fine")
    assert read_user_file(inside / "inner.txt", max_bytes=100, roots=[inside]) == b"fine"
    # a root that is a prefix of another folder's name does not admit it
    (tmp_path / "in-other").mkdir()
    (tmp_path / "in-other" / "x.txt").write_text("x")
    with pytest.raises(FileOutsideRootsError):
        read_user_file(tmp_path / "in-other" / "x.txt", max_bytes=100, roots=[inside])


def test_a_folder_swapped_for_a_link_outside_the_root_is_never_read(tmp_path: Path) -> None:
    """The race of issue 16: between any check and the open, ``root/d`` flips between a real
    folder and a link to a folder outside the root.  Whatever the timing, no read returns
    the outside file's content."""
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "real").mkdir(parents=True)
    outside.mkdir()
    (root / "real" / "f.txt").write_bytes(b"inside")
    (outside / "f.txt").write_bytes(b"OUTSIDE")
    (root / "link").symlink_to(outside)
    (root / "real").rename(root / "d")
    stop = threading.Event()
    flips = 0

    def swap() -> None:
        nonlocal flips
        while not stop.is_set():
            os.rename(root / "d", root / "real")  # park the folder, put the link in its place
            os.rename(root / "link", root / "d")
            os.rename(root / "d", root / "link")  # and back
            os.rename(root / "real", root / "d")
            flips += 1

    swapper = threading.Thread(target=swap, daemon=True)
    swapper.start()
    reads = {"inside": 0, "outside": 0, "refused": 0}
    try:
        for _ in range(20_000):  # the old resolve-check-open read outside about 5 times in 20,000
            try:
                data = read_user_file(root / "d" / "f.txt", max_bytes=100, roots=[root])
            except FileOutsideRootsError:
                reads["refused"] += 1
            except UserFileError:  # caught mid-swap: no such file
                continue
            else:
                reads["outside" if data == b"OUTSIDE" else "inside"] += 1
    finally:
        stop.set()
        swapper.join()
    assert reads["outside"] == 0, reads
    assert reads["inside"] > 0 and reads["refused"] > 0 and flips > 100, (reads, flips)  # both states were met


def test_names_with_escape_sequences_are_shown_escaped(tmp_path: Path) -> None:
    name = tmp_path / ESCAPE_NAME
    os.mkfifo(name)
    with pytest.raises(NotRegularFileError) as caught:
        read_user_file(name, max_bytes=10)
    message = str(caught.value)
    assert "\x1b" not in message and "\x07" not in message and "\\x1b]0;pwned\\x07" in message
    assert printable(ESCAPE_NAME) == "\\x1b]0;pwned\\x07\\x1b[31mred\\x1b[0m.txt"
    assert printable("plain name é.txt") == "plain name é.txt"
    assert printable("bidi\u202etxt.exe") == "bidi\\u202etxt.exe"
