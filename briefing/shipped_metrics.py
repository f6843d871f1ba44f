"""The shipped fonts' metrics, precomputed: reading a Chinese face's character map takes about
0.4 s and a first build needs four faces. They are derived from the font files by
`python3 -m briefing.shipped_metrics` (a test derives them again and compares), and used only
for a file whose size and first bytes (its table directory, with every table's checksum) match
the file they were derived from; any other font is read as before."""

from __future__ import annotations

import functools
import hashlib
import json
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from pathlib import Path

METRICS_FILE = Path(__file__).with_name("font_metrics.json")
HEAD_BYTES = 64 * 1024  # the table directory and then some: a changed table changes these


def fingerprint(path: Path) -> str:
    """What identifies a font file's content: its size and a hash of its first bytes."""
    with open(path, "rb") as stream:
        head = stream.read(HEAD_BYTES)
    return f"{path.stat().st_size}:{hashlib.sha256(head).hexdigest()}"


class Advances(Mapping):
    """Advances by code point, looked up in the runs: a dict of a Chinese face's 44,000 code
    points takes longer to build than a warm build spends measuring (it asks for a few hundred,
    each once)."""

    def __init__(self, runs: list[list[int]]):
        self._runs = runs
        self._starts = [start for start, _, _ in runs]

    def __getitem__(self, code: int) -> int:
        index = bisect_right(self._starts, code) - 1
        if index >= 0:
            start, count, advance = self._runs[index]
            if code < start + count:
                return advance
        raise KeyError(code)

    def __iter__(self) -> Iterator[int]:
        for start, count, _ in self._runs:
            yield from range(start, start + count)

    def __len__(self) -> int:
        return sum(count for _, count, _ in self._runs)


def shipped_metrics(path: Path) -> tuple[Mapping[int, int], int, float] | None:
    """The advances, units per em and line height of a shipped font file, or None for a file
    they were not derived from."""
    entry = _entries().get(path.name)
    try:
        if entry is None or entry["fingerprint"] != fingerprint(path):
            return None
    except OSError:
        return None
    return Advances(entry["runs"]), entry["units"], entry["line_height"]


@functools.cache
def _entries() -> dict:
    try:
        return json.loads(METRICS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # not shipped or damaged: fonts are read, only slower


def derive(path: Path) -> dict:
    """One font file's entry: its fingerprint, units, line height and advances as runs of
    consecutive code points with one advance (a Chinese face's 44,000 become 2,400)."""
    from briefing.measure import _read_metrics

    advances, units, line_height = _read_metrics(path)
    runs: list[list[int]] = []
    for code in sorted(advances):
        last = runs[-1] if runs else None
        if last and last[0] + last[1] == code and last[2] == advances[code]:
            last[1] += 1
        else:
            runs.append([code, 1, advances[code]])
    return {
        "fingerprint": fingerprint(path),
        "units": units,
        "line_height": line_height,
        "runs": runs,
    }


def derive_all() -> dict:
    """The entries of every shipped face, by file name."""
    from briefing.fonts import SHIPPED

    paths = [path for locate in SHIPPED.values() for path in (locate().regular, locate().bold)]
    return {path.name: derive(path) for path in paths}


def main() -> None:
    """Write the shipped fonts' metrics beside this module."""
    text = json.dumps(derive_all(), sort_keys=True, separators=(",", ":"))
    METRICS_FILE.write_text(text + "\n", encoding="utf-8")
    print(METRICS_FILE)


if __name__ == "__main__":
    main()
