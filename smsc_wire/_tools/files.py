"""Reading what the command line is given, safely: regular files only, never past a size cap.

Strategy: every path is untrusted, like every body (SPEC D11). Only a regular file is ever
opened, so a FIFO or a device cannot hang a run or feed it endless bytes; its size is checked
before it is read, and no more than the cap + 1 bytes are read, in chunks (a sparse or growing
file cannot make a run allocate more). A directory walk reports what it cannot read instead of
skipping it.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Final

from smsc_wire._errors import InputTooLargeError

_CHUNK: Final = 1 << 20
_OPEN_FLAGS: Final = (
    os.O_RDONLY
    # Should a FIFO replace the file between the stat and the open, the open must not block.
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_NOT_REGULAR: Final = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)

Entry = tuple[str, str | None]
"""A path found in a walk, and why it cannot be read (None: not known yet)."""


class Unreadable(Exception):
    """A path that names no readable regular file; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def reason_of(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _not_regular(mode: int) -> Unreadable:
    kind = next((f" ({name})" for is_kind, name in _NOT_REGULAR if is_kind(mode)), "")
    return Unreadable(f"not a regular file{kind}")


def read_capped(read: Callable[[int], bytes], cap: int, first: int = _CHUNK) -> bytes:
    """At most ``cap`` bytes from ``read``, asking for ``first`` bytes, then a chunk at a time.

    Asking for the whole cap at once would allocate it up front, for every small file.
    """
    parts: list[bytes] = []
    total = 0
    size = max(first, 1)
    while total < cap:
        chunk = read(min(size, cap - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
        size = _CHUNK
    return b"".join(parts)


def load(path: str, max_size: int) -> bytes:
    """The bytes of the regular file ``path``.

    Raises :class:`Unreadable` for anything else (nothing else is opened, so a FIFO or a device
    cannot block the run or stream endless bytes into it) and :class:`InputTooLargeError` for a
    file over ``max_size``, found by its size before reading, or by reading ``max_size + 1``
    bytes of a file that grew since.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(path):
            raise Unreadable("broken symbolic link") from None
        raise Unreadable(reason_of(exc)) from None
    except ValueError:  # a NUL in the name
        raise Unreadable("not a valid path") from None
    if not stat.S_ISREG(info.st_mode):
        raise _not_regular(info.st_mode)
    if info.st_size > max_size:
        raise InputTooLargeError(info.st_size, max_size, unit="bytes")
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise Unreadable(reason_of(exc)) from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):  # replaced since the stat: judge what was opened
            raise _not_regular(opened.st_mode)
        data = read_capped(functools.partial(os.read, fd), max_size + 1, opened.st_size + 1)
    except OSError as exc:
        raise Unreadable(reason_of(exc)) from None
    finally:
        os.close(fd)
    if len(data) > max_size:
        raise InputTooLargeError(len(data), max_size, unit="bytes or more")
    return data


def read_stdin(max_size: int) -> bytes:
    """Standard input's bytes, read with the same cap as a file's (a pipe has no size to stat)."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        raise Unreadable("standard input is closed")
    try:
        data = read_capped(buffer.read, max_size + 1)
    except OSError as exc:
        raise Unreadable(reason_of(exc)) from None
    except ValueError as exc:  # a closed stream
        raise Unreadable(str(exc)) from None
    if len(data) > max_size:
        raise InputTooLargeError(len(data), max_size, unit="bytes or more")
    return data


def walk(top: str) -> list[Entry]:
    """Every non-hidden entry under ``top`` that is not a directory, in sorted order.

    Sorted by path components, so that a folder's files stay together and the order does not
    depend on the file system. Hidden files and folders (.DS_Store, .git) are skipped. Nothing
    else is: a folder that cannot be listed is an entry with its reason, and a broken link, a FIFO
    or a device is an entry that reading reports. Links to folders are not followed (no loops).
    """
    found: list[tuple[tuple[str, ...], str | None]] = []
    pending: list[tuple[str, ...]] = [()]
    while pending:
        parts = pending.pop()
        folder = os.path.join(top, *parts)
        try:
            with os.scandir(folder) as listing:
                children = [entry for entry in listing if not entry.name.startswith(".")]
        except OSError as exc:
            found.append((parts, reason_of(exc)))
            continue
        for entry in children:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                link_to_dir = not is_dir and entry.is_symlink() and entry.is_dir()
            except OSError:  # reading it says what is wrong
                is_dir = link_to_dir = False
            if is_dir:
                pending.append((*parts, entry.name))
            elif not link_to_dir:
                found.append(((*parts, entry.name), None))
    found.sort(key=lambda item: item[0])
    # The paths as pathlib writes them ("./a//b/" is "a/b"), normalised once for the folder:
    # the names below it are single components, which os.path.join appends as pathlib would.
    base = str(Path(top))
    base = "" if base == "." else base
    return [(os.path.join(base, *parts) if parts else str(Path(top)), problem)
            for parts, problem in found]  # fmt: skip
