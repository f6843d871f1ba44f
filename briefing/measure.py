"""Measure text with the real font files: advance widths, line breaking for Chinese and English."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from briefing.cache import Cache, file_stamp
from briefing.fonts import font_files

# Kinsoku: these never start a line (closing marks) or end one (opening marks).
NO_LINE_START = set("，。、；：！？）》」』”’〉】〕…%,.;:!?)]}")
NO_LINE_END = set("（《「『“‘〈【〔([{")
AUTOSPACE_EM = 0.25
_TOKEN = re.compile(r"[A-Za-z0-9\u00C0-\u024F$€£%.,:;!?'’\-/+()&@#~<>=]+|\s+|.", re.S)


@dataclass(frozen=True)
class Metrics:
    """Advance widths of one font file, in units of its em."""

    advances: dict[int, int]
    units_per_em: int
    line_height: float  # em; viewers space single lines by the font's win ascent + descent

    def width(self, char: str) -> float | None:
        """The advance of a character in em, or None when the font lacks it."""
        advance = self.advances.get(ord(char))
        return None if advance is None else advance / self.units_per_em


_LOADED: dict[Path, Metrics] = {}


def font_metrics(path: Path, cache: Cache | None = None) -> Metrics:
    """A font's metrics, read once per process and kept in the build cache between runs."""
    if path not in _LOADED:
        advances, units, line_height = (cache or Cache(None)).get_or_make(
            ("metrics", 2, file_stamp(path)),
            lambda: _metrics_bytes(*_read_metrics(path)),
            decode=_metrics_of,
        )
        _LOADED[path] = Metrics(advances, units, line_height)
    return _LOADED[path]


def _metrics_bytes(advances: dict[int, int], units: int, line_height: float) -> bytes:
    """Metrics as plain data for the cache (not marshal, whose reader trusts its input): a JSON
    header, then the code points and their advances as two arrays."""
    header = json.dumps([units, line_height, sys.byteorder, len(advances)]).encode("ascii")
    numbers = array("I", advances) + array("I", advances.values())
    return header + b"\n" + numbers.tobytes()


def _metrics_of(data: bytes) -> tuple[dict[int, int], int, float]:
    header, _, body = data.partition(b"\n")
    units, line_height, byteorder, count = json.loads(header)
    numbers = array("I")
    numbers.frombytes(body)
    if byteorder != sys.byteorder:
        numbers.byteswap()
    if len(numbers) != 2 * count:
        raise ValueError("truncated metrics")
    return dict(zip(numbers[:count], numbers[count:])), int(units), float(line_height)


def _read_metrics(path: Path) -> tuple[dict[int, int], int, float]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    # The advances straight from the raw hmtx table: fontTools' full decompile is 10x slower.
    count = font["hhea"].numberOfHMetrics
    pairs = array("H", font.reader["hmtx"][: count * 4])
    if sys.byteorder == "little":
        pairs.byteswap()
    advances = pairs[0::2]
    cmap = font.getBestCmap()
    widths = {
        code: advances[min(glyph_id, count - 1)]
        for code, glyph_id in ((code, font.getGlyphID(name)) for code, name in cmap.items())
    }
    units = font["head"].unitsPerEm
    os2 = font["OS/2"]
    return widths, units, (os2.usWinAscent + os2.usWinDescent) / units


class TextMeasure:
    """Widths and wrapped line counts for text set in a Latin font with an East-Asian fallback."""

    def __init__(self, latin: str, east_asian: str, cache: Cache | None = None):
        self.latin_name, self.east_asian_name = latin, east_asian
        self.latin = font_files(latin) or font_files("Source Sans Pro")
        self.east_asian = font_files(east_asian) or font_files("Noto Sans CJK")
        # A font we do not ship is measured with ours, widened: viewers may substitute a
        # broader face (LibreOffice draws a missing Calibri in DejaVu Sans, about 15 % wider).
        self.latin_margin = 1.0 if font_files(latin) else 1.15
        self.cache = cache
        self._em: dict[tuple[str, bool], float] = {}
        self._text_em: dict[tuple[str, bool], float] = {}
        self._lines: dict[tuple[str, float, bool], list[str]] = {}

    def char_width(self, char: str, size: float, bold: bool = False) -> float:
        """Advance of one character in points."""
        key = (char, bold)
        if key not in self._em:
            self._em[key] = self._char_em(char, bold)
        return self._em[key] * size

    def _char_em(self, char: str, bold: bool) -> float:
        for family, margin in ((self.latin, self.latin_margin), (self.east_asian, 1.0)):
            width = font_metrics(family.bold if bold else family.regular, self.cache).width(char)
            if width is not None:
                return width * (margin if not _is_wide(char) else 1.0)
        # A character in neither font: viewers draw a fallback glyph about one em wide.
        return 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.6

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Advance of a string in points, with the gap viewers put between Chinese and Latin."""
        key = (text, bold)
        em = self._text_em.get(key)
        if em is None:
            em = sum(self.char_width(c, 1.0, bold) for c in text)
            # LibreOffice (and Keynote) add about a quarter em where Chinese meets Latin or digits.
            em += AUTOSPACE_EM * sum(
                1
                for a, b in zip(text, text[1:])
                if not a.isspace() and not b.isspace() and _is_wide(a) != _is_wide(b)
            )
            self._text_em[key] = em
        return em * size

    def lines(self, text: str, width: float, size: float, bold: bool = False) -> list[str]:
        """Break text into lines at most `width` points wide; Chinese breaks between characters."""
        # Widths scale with the size, so the breaks depend only on width / size.
        key = (text, round(width / size, 6), bold)
        if key not in self._lines:
            result: list[str] = []
            for paragraph in text.split("\n"):
                result += self._wrap(paragraph, width, size, bold)
            self._lines[key] = result
        return self._lines[key]

    def _wrap(self, text: str, width: float, size: float, bold: bool) -> list[str]:
        lines: list[str] = []
        line = ""
        for token in _tokens(text):
            candidate = line + token
            if self.width(candidate.rstrip(), size, bold) <= width or not line.strip():
                line = candidate
                while self.width(line.rstrip(), size, bold) > width and len(line) > 1:
                    # One word longer than the line: break it where it overflows.
                    cut = _longest_fit(line, lambda s: self.width(s, size, bold) <= width)
                    lines.append(line[:cut])
                    line = line[cut:]
                continue
            lines.append(line.rstrip())
            line = token.lstrip()
        if line.strip() or not lines:
            lines.append(line.rstrip())
        return lines

    def height(self, text: str, lines: int, size: float, spacing: float = 1.0) -> float:
        """Height in points of wrapped text: the tallest font it uses sets each line's height."""
        latin = font_metrics(self.latin.regular, self.cache)
        factor = latin.line_height
        if any(ord(c) not in latin.advances for c in text if not c.isspace()):
            factor = max(factor, font_metrics(self.east_asian.regular, self.cache).line_height)
        return lines * size * factor * spacing


@lru_cache(maxsize=4096)
def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _tokens(text: str) -> list[str]:
    """Split into unbreakable pieces: Latin words, spaces, single CJK characters with kinsoku."""
    pieces = _TOKEN.findall(text)
    merged: list[str] = []
    for piece in pieces:
        if merged and (piece[0] in NO_LINE_START or merged[-1][-1] in NO_LINE_END):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def _longest_fit(text: str, fits) -> int:
    cut = 1
    while cut < len(text) and fits(text[: cut + 1]):
        cut += 1
    return cut
