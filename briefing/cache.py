"""A content-addressed cache of costly results (subset fonts, chart SVGs); safe to delete."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


class Cache:
    """Bytes stored under the hash of everything that produced them; None disables it."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def get_or_make(
        self, parts: tuple, make: Callable[[], bytes], decode: Callable[[bytes], Any] = bytes
    ) -> Any:
        """The cached result for these inputs, made and stored on a miss; an entry that does
        not decode (a truncated or foreign file) counts as a miss and is replaced."""
        if self.folder is None:
            return decode(make())
        key = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()
        path = self.folder / key[:2] / key
        try:
            return decode(path.read_bytes())
        except Exception:  # noqa: BLE001 - any unreadable entry is a miss, never a failure
            pass
        data = make()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, path)
        except OSError:
            pass  # a cache that cannot be written only costs time
        return decode(data)


def file_stamp(path: Path) -> tuple:
    """What identifies a file's content cheaply: path, size and modification time."""
    stat = path.stat()
    return (str(path), stat.st_size, stat.st_mtime_ns)
