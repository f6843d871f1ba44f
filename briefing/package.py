"""Zip packages (.pptx, .xlsx, ...) read with limits on what they actually inflate to."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator

MAX_UNPACKED = 200_000_000  # bytes: a large corporate master with pictures is ~30 MB
MAX_RATIO = 200  # a zip bomb packs far tighter than any real deck
ANY_RATIO_UP_TO = 10_000_000  # small packages may pack as tight as they like (XML of zeros)
MAX_ENTRIES = 10_000  # a real deck has a few hundred parts
MAX_DEPTH = 3  # a deck holding a workbook holding a picture; deeper nesting is a bomb's trick
CHUNK = 1 << 20  # inflated bytes per read: memory stays at this, whatever the zip declares
ZIP_MAGIC = b"PK\x03\x04"


class UnsafePackage(ValueError):
    """Raised when a package would inflate past its budget, nests too deep, or lies about sizes."""


class Budget:
    """How many inflated bytes a package, and every package embedded in it, may still produce."""

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0

    @classmethod
    def for_size(cls, packed: int) -> Budget:
        """The budget of a package of that many bytes: up to 200 to 1, never past 200 MB."""
        return cls(min(MAX_UNPACKED, max(ANY_RATIO_UP_TO, MAX_RATIO * packed)))

    def spend(self, count: int, where: str) -> None:
        """Count inflated bytes; refuse the package the moment they pass the limit."""
        self.used += count
        if self.used > self.limit:
            raise UnsafePackage(
                f"it would unpack to {self.used:,} bytes and more (at {where}); "
                f"the limit is {self.limit:,} bytes (200 times the file, at most 200 MB)"
            )


def open_package(data: bytes) -> zipfile.ZipFile:
    """A zip from bytes, its parts counted (the directory alone can be a bomb) and unique."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    if len(names) > MAX_ENTRIES:
        raise UnsafePackage(f"it holds {len(names):,} parts (at most {MAX_ENTRIES:,})")
    if len(set(names)) < len(names):
        # Readers disagree on which of the two counts; a package names each part once.
        twice = next(name for name, count in Counter(names).items() if count > 1)
        raise UnsafePackage(f"it holds the part {twice} twice")
    return archive


def inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget, where: str):
    """An entry's bytes in chunks, each counted against the budget as it is inflated."""
    try:
        with archive.open(info) as stream:
            # read(n) inflates at most n bytes; read() would inflate all the data at once.
            while chunk := stream.read(CHUNK):
                budget.spend(len(chunk), where)
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        # zipfile stops at the declared size and then finds the CRC wrong: a lie, or damage.
        raise UnsafePackage(f"{where} is damaged or lies about its size ({error})") from None


def read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget, where: str) -> bytes:
    """An entry's bytes, whole, inflated under the budget."""
    return b"".join(inflate(archive, info, budget, where))


def entries(
    data: bytes, budget: Budget, where: str = ""
) -> Iterator[tuple[zipfile.ZipInfo, bytes]]:
    """Every entry of a package with its bytes, inflated under the budget."""
    archive = open_package(data)
    for info in archive.infolist():
        yield info, read_part(archive, info, budget, f"{where}{info.filename}")


def check(data: bytes, budget: Budget, where: str = "", depth: int = 0) -> None:
    """Inflate a whole package, embedded ones included, keeping only a chunk at a time."""
    archive = open_package(data)
    for info in archive.infolist():
        name = f"{where}{info.filename}"
        chunks = inflate(archive, info, budget, name)
        first = next(chunks, b"")
        if first.startswith(ZIP_MAGIC):
            # Sniffed, not named: a workbook saved as "image.bin" is still opened by viewers.
            check_embedded(first + b"".join(chunks), budget, name, depth + 1)
        else:
            for _ in chunks:
                pass


def check_embedded(content: bytes, budget: Budget, where: str, depth: int) -> None:
    """Check a package found inside another; a part that only starts like a zip is left be."""
    if depth > MAX_DEPTH:
        raise UnsafePackage(f"{where} nests packages deeper than {MAX_DEPTH} levels")
    try:
        check(content, budget, f"{where} > ", depth)
    except zipfile.BadZipFile:
        return
