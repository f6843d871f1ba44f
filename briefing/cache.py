"""A content-addressed cache of costly results (subset fonts, chart SVGs), one per user;
safe to delete. Best-effort: a cache that cannot be read or written makes a build slower, never
failed."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEFAULT_MAX_MB = 200  # a page edit adds ~220 KB: hundreds of builds before anything is evicted
FREE_SPACE_KEPT = 64 * 2**20  # never fill a disk the outputs still have to be written to


class Cache:
    """Bytes stored under the hash of everything that produced them; None disables it. Holds
    at most `max_bytes`: past that, the entries used longest ago are deleted."""

    def __init__(self, folder: Path | None, max_bytes: int | None = None):
        self.folder = folder
        self.max_bytes = size_limit() if max_bytes is None else max_bytes
        self._pruned = False

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
            path = self._path(parts)
            entry = path.read_bytes()
            data = entry[len(MAGIC) + 32 :]
            if entry[: len(MAGIC)] != MAGIC or entry[len(MAGIC) : len(MAGIC) + 32] != _digest(data):
                return None  # damaged or foreign: never trusted
            found = decode(data)
        except Exception:  # noqa: BLE001 - any unreadable entry is a miss, never a failure
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # a hit is a use: eviction goes by the time of last use
        return found

    def put(self, parts: tuple, data: bytes) -> None:
        """Store a result under its inputs, atomically; a cache that cannot be written (a
        file in its place, a read-only or nearly full disk) is only slower."""
        if self.folder is None or len(data) > self.max_bytes:
            return
        temporary = None
        try:
            path = self._path(parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            if shutil.disk_usage(path.parent).free < len(data) + FREE_SPACE_KEPT:
                return
            handle, temporary = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(handle, "wb") as stream:
                stream.write(MAGIC + _digest(data) + data)
            os.replace(temporary, path)
            temporary = None
        except Exception:  # noqa: BLE001 - best-effort: a failed write is a skipped write
            return
        finally:
            if temporary is not None:
                _remove(Path(temporary))
        if not self._pruned:
            self._pruned = True  # once per build: the walk costs a stat per entry
            self.prune()

    def prune(self) -> None:
        """Delete the entries used longest ago until the cache holds at most `max_bytes`."""
        if self.folder is None:
            return
        entries = []
        try:
            for shard in os.scandir(self.folder):
                if shard.is_dir(follow_symlinks=False):
                    for entry in os.scandir(shard.path):
                        info = entry.stat(follow_symlinks=False)
                        entries.append((info.st_mtime_ns, info.st_size, Path(entry.path)))
        except OSError:
            return  # no folder, or one being deleted: nothing to prune
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            _remove(path)
            total -= size

    def entries(self) -> list[Path]:
        """The files this cache holds: entries, and temporary files a stopped build left."""
        return [path for shard in self._shards() for path in shard.iterdir() if path.is_file()]

    def size(self) -> tuple[int, int]:
        """How many files the cache holds and their bytes."""
        sizes = [_size(path) for path in self.entries()]
        return len(sizes), sum(sizes)

    def clear(self) -> tuple[int, int]:
        """Delete every file of the cache; how many were removed and their bytes."""
        removed, freed = 0, 0
        for path in self.entries():
            size = _size(path)
            with contextlib.suppress(OSError):  # gone already: another build pruned it
                path.unlink()
                removed, freed = removed + 1, freed + size
        for shard in self._shards():
            with contextlib.suppress(OSError):  # not empty (a build wrote meanwhile): kept
                shard.rmdir()
        return removed, freed

    def _shards(self) -> list[Path]:
        """Our own two-hex-digit subfolders: the folder may be one the user chose, holding
        other things too."""
        if self.folder is None or not self.folder.is_dir():
            return []
        return [
            path
            for path in self.folder.iterdir()
            if SHARD.fullmatch(path.name) and path.is_dir() and not path.is_symlink()
        ]

    def _path(self, parts: tuple) -> Path:
        key = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()
        return self.folder / key[:2] / key


MAGIC = b"briefing-cache-1\n"  # each entry: this, the sha256 of the data, the data
SHARD = re.compile(r"[0-9a-f]{2}")  # entries sit in subfolders named by their key's first byte


def user_cache_folder() -> Path:
    """Where builds and checks keep the cache: BRIEFING_CACHE_DIR, else the user's cache folder
    of the platform (~/.cache/briefing on Linux), one for every output folder."""
    chosen = os.environ.get("BRIEFING_CACHE_DIR", "").strip()
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("briefing", appauthor=False))


def size_limit() -> int:
    """The cache's size cap in bytes: BRIEFING_CACHE_MAX_MB, else 200 MB."""
    try:
        megabytes = float(os.environ.get("BRIEFING_CACHE_MAX_MB", DEFAULT_MAX_MB))
    except ValueError:
        megabytes = DEFAULT_MAX_MB  # a cache setting never stops a build
    return max(0, int(megabytes * 2**20))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):  # gone already (another build pruned it)
        path.unlink()


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def file_stamp(path: Path) -> tuple:
    """What identifies a file's content cheaply: path, size and modification time."""
    stat = path.stat()
    return (str(path), stat.st_size, stat.st_mtime_ns)


def code_stamp(*modules: str) -> str:
    """A hash of the code that computes an entry: these briefing modules and every briefing
    module they import, found by reading their import lines (so there is no list or version
    number to keep up to date); with no module named, the whole package. Any edit of that code
    retires the entries older code made. Computed once per process."""
    if modules not in _CODE_STAMPS:
        _CODE_STAMPS[modules] = stamp_of(Path(__file__).parent, modules)
    return _CODE_STAMPS[modules]


def stamp_of(package: Path, modules: tuple[str, ...]) -> str:
    """The hash of these modules of a package folder and of what they import from it."""
    files = _imported_files(package, modules) if modules else package.rglob("*.py")
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


_CODE_STAMPS: dict[tuple[str, ...], str] = {}
# `from briefing.x import a, b` and `import briefing.x`, also inside functions (lazy imports).
IMPORT_LINE = re.compile(
    r"^[ \t]*(?:from[ \t]+(briefing[\w.]*)[ \t]+import[ \t]+(\([\w\s,]+\)|[\w ,]+)"
    r"|import[ \t]+(briefing[\w.]*))",
    re.MULTILINE,
)


def _imported_files(package: Path, modules: tuple[str, ...]) -> set[Path]:
    """The files of these modules and of every briefing module they import, transitively."""
    found: set[Path] = set()
    waiting = list(modules)
    while waiting:
        path = _module_file(package, waiting.pop())
        if path is None or path in found:
            continue
        found.add(path)
        for module, names, plain in IMPORT_LINE.findall(path.read_text(encoding="utf-8")):
            if plain:
                waiting.append(plain)
                continue
            waiting.append(module)
            # `from briefing.layout import frames` names a module, not only an attribute.
            waiting += [f"{module}.{name}" for name in re.findall(r"\w+", names)]
    return found


def _module_file(package: Path, module: str) -> Path | None:
    """The source file of a briefing module, or None for a name that is not one."""
    if module != "briefing" and not module.startswith("briefing."):
        return None
    relative = package.joinpath(*module.split(".")[1:])
    for path in (relative.parent / f"{relative.name}.py", relative / "__init__.py"):
        if path.is_file():
            return path
    return None
