"""Read a file the user names: only a regular file, and never more than a stated size."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from briefing.errors import InputError

# What a real document never reaches; a FIFO or /dev/zero would otherwise be read for ever.
SOURCE_TEXT_LIMIT = 20_000_000  # a long article is ~200 KB; a whole book ~2 MB

_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def read_input(path: Path, limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; InputError for anything else.
    `what` names the file's role in messages ("a briefing", "the text of source 'x'")."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait for ever. The checks
        # below use the opened descriptor, so the file cannot be swapped after them.
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise InputError(path, f"cannot read the file ({what}): {error.strerror}") from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
            raise InputError(path, f"{kind}, not a regular file; {what} must be a regular file")
        if info.st_size > limit:
            raise InputError(path, _too_large(what, f"{info.st_size:,} bytes", limit))
        data = _read_at_most(handle, limit + 1)
    except OSError as error:
        raise InputError(path, f"cannot read the file ({what}): {error.strerror}") from None
    finally:
        os.close(handle)
    if len(data) > limit:  # it grew after the size was read
        raise InputError(path, _too_large(what, "more bytes", limit))
    return data


def _read_at_most(handle: int, count: int) -> bytes:
    chunks = []
    while count > 0:
        chunk = os.read(handle, min(count, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def _too_large(what: str, size: str, limit: int) -> str:
    return f"the file has {size}; {what} may have at most {limit:,} bytes"
