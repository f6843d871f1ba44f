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
        """The cached result for these inputs, made and stored on a miss."""
        found = self.get(parts, decode)
        if found is not None:
            return found
        data = make()
        self.put(parts, data)
        return decode(data)

    def get(self, parts: tuple, decode: Callable[[bytes], Any] = bytes) -> Any:
        """The decoded entry for these inputs, or None. An entry that does not decode (a
        truncated or foreign file) counts as a miss; it is replaced when the result is put."""
        if self.folder is None:
            return None
        try:
            entry = self._path(parts).read_bytes()
            data = entry[len(MAGIC) + 32 :]
            if entry[: len(MAGIC)] != MAGIC or entry[len(MAGIC) : len(MAGIC) + 32] != _digest(data):
                return None  # damaged or foreign: never trusted
            return decode(data)
        except Exception:  # noqa: BLE001 - any unreadable entry is a miss, never a failure
            return None

    def put(self, parts: tuple, data: bytes) -> None:
        """Store a result under its inputs, atomically; a cache that cannot be written is
        only slower."""
        if self.folder is None:
            return
        path = self._path(parts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(handle, "wb") as stream:
                stream.write(MAGIC + _digest(data) + data)
            os.replace(temporary, path)
        except OSError:
            pass

    def _path(self, parts: tuple) -> Path:
        key = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()
        return self.folder / key[:2] / key


MAGIC = b"briefing-cache-1\n"  # each entry: this, the sha256 of the data, the data


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def file_stamp(path: Path) -> tuple:
    """What identifies a file's content cheaply: path, size and modification time."""
    stat = path.stat()
    return (str(path), stat.st_size, stat.st_mtime_ns)


def code_stamp() -> str:
    """A hash of this package's own code, so that cached results of older code are not used."""
    global _CODE_STAMP
    if _CODE_STAMP is None:
        digest = hashlib.sha256()
        package = Path(__file__).parent
        for path in sorted(package.rglob("*.py")):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
        _CODE_STAMP = digest.hexdigest()
    return _CODE_STAMP


_CODE_STAMP: str | None = None
