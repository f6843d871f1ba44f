"""Measure text with the real font files: advance widths, line breaking for Chinese and English."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


@lru_cache(maxsize=8)
def _metrics(path: Path) -> Metrics:
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    widths = font["hmtx"].metrics
    advances = {code: widths[glyph][0] for code, glyph in font.getBestCmap().items()}
    units = font["head"].unitsPerEm
    os2 = font["OS/2"]
    return Metrics(advances, units, (os2.usWinAscent + os2.usWinDescent) / units)


class TextMeasure:
    """Widths and wrapped line counts for text set in a Latin font with an East-Asian fallback."""

    def __init__(self, latin: str, east_asian: str):
        self.latin = font_files(latin) or font_files("Source Sans Pro")
        self.east_asian = font_files(east_asian) or font_files("Noto Sans CJK")

    def char_width(self, char: str, size: float, bold: bool = False) -> float:
        """Advance of one character in points."""
        for family in (self.latin, self.east_asian):
            width = _metrics(family.bold if bold else family.regular).width(char)
            if width is not None:
                return width * size
        # A character in neither font: viewers draw a fallback glyph about one em wide.
        return size if unicodedata.east_asian_width(char) in "WF" else size * 0.6

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Advance of a string in points, with the gap viewers put between Chinese and Latin."""
        total = sum(self.char_width(c, size, bold) for c in text)
        # LibreOffice (and Keynote) add about a quarter em where Chinese meets Latin or digits.
        boundaries = sum(
            1
            for a, b in zip(text, text[1:])
            if not a.isspace() and not b.isspace() and _is_wide(a) != _is_wide(b)
        )
        return total + boundaries * size * AUTOSPACE_EM

    def lines(self, text: str, width: float, size: float, bold: bool = False) -> list[str]:
        """Break text into lines at most `width` points wide; Chinese breaks between characters."""
        result: list[str] = []
        for paragraph in text.split("\n"):
            result += self._wrap(paragraph, width, size, bold)
        return result

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
        families = [self.latin]
        if any(_metrics(self.latin.regular).width(c) is None for c in text if not c.isspace()):
            families.append(self.east_asian)
        factor = max(_metrics(f.regular).line_height for f in families)
        return lines * size * factor * spacing


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
