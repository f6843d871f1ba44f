"""Measure text with the real font files: advance widths, line breaking for Chinese and English."""

from __future__ import annotations

import json
import sys
import unicodedata
from array import array
from dataclasses import dataclass
from pathlib import Path

from briefing.cache import Cache, code_stamp, file_stamp
from briefing.fonts import font_files, metric_twin
from briefing.linebreak import NO_LINE_START, character_pieces, is_wide, pieces
from briefing.shipped_metrics import shipped_metrics
from briefing.spacing import AUTOSPACE_EM, WEAK, Spacing, first_strong

# No slide box holds this many characters of one paragraph at a readable size (a 16:9 slide at
# 12 pt holds about 2,000 Chinese characters); past it a paragraph is reported, not broken.
MAX_PARAGRAPH = 20_000
# A line is filled to this share of its width. LibreOffice lays glyphs out on a coarser grid
# than their advances and wraps a line it draws 0.4 % narrower than its box (a source line on
# Beehive that the measure filled to 1.2 pt short of the edge went over); PowerPoint's
# widths drift too.
LINE_FILL = 0.99


@dataclass(frozen=True)
class Layout:
    """Text broken into lines: the lines, the offset in the text where each starts, and the
    first piece too wide for the line (None when everything fits the width)."""

    lines: list[str]
    starts: list[int]
    overflow: str | None


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
    """A font's metrics, read once per process: the fonts we ship come precomputed, any other
    is read from its file and kept in the build cache between runs."""
    if path not in _LOADED:
        advances, units, line_height = shipped_metrics(path) or (cache or Cache(None)).get_or_make(
            ("metrics", code_stamp(__name__), file_stamp(path)),
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

    with TTFont(path, lazy=True) as font:
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
        # A font we do not ship is measured with its metric-compatible twin where one is
        # installed (Carlito for Calibri); else with ours, widened: viewers may substitute a
        # broader face (LibreOffice draws a missing Calibri in DejaVu Sans, about 15 % wider).
        exact = font_files(latin) or metric_twin(latin)
        self.latin = exact or font_files("Source Sans Pro")
        self.east_asian = font_files(east_asian) or font_files("Noto Sans CJK")
        self.latin_margin = 1.0 if exact else 1.15
        self.cache = cache
        self._em: dict[tuple[str, bool], float] = {}
        self._text_em: dict[tuple, tuple[float, Spacing]] = {}
        self._lines: dict[tuple[str, float, bool], Layout] = {}

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
                return width * (margin if not is_wide(char) else 1.0)
        # A character in neither font: viewers draw a fallback glyph about one em wide.
        return 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.6

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Advance of a string in points, set as a line of its own, with the gap viewers put
        between Chinese and Latin."""
        return self._advance(text, bold, Spacing(ahead=first_strong(text)))[0] * size

    def _advance(self, text: str, bold: bool, state: Spacing) -> tuple[float, Spacing]:
        """Advance in em of text set from `state` on (see briefing.spacing), and the state
        after it."""
        key = (text, bold, *state.key())
        known = self._text_em.get(key)
        if known is None:
            em = 0.0
            spacing = state.copy()
            for char in text:
                chinese, gap = spacing.next(char)
                # After Chinese, LibreOffice sets quotes and dashes full width.
                em += 1.0 if chinese and char in WEAK else self.char_width(char, 1.0, bold)
                em += AUTOSPACE_EM if gap else 0.0
            known = self._text_em[key] = (em, spacing)
        return known

    def lines(self, text: str, width: float, size: float, bold: bool = False) -> list[str]:
        """Break text into lines at most `width` points wide where a typesetter would (see
        briefing.linebreak); a piece wider than the line stands alone on its line."""
        return self.layout(text, width, size, bold).lines

    def overflow(self, text: str, width: float, size: float, bold: bool = False) -> str | None:
        """The first piece that cannot fit the width (a long word, a URL part), else None."""
        return self.layout(text, width, size, bold).overflow

    def layout(self, text: str, width: float, size: float, bold: bool = False) -> Layout:
        """Lines, where each starts in the text, and what does not fit."""
        # Widths scale with the size, so the breaks depend only on width / size.
        key = (text, round(width / size, 6), bold)
        if key not in self._lines:
            self._lines[key] = self._layout(text, width, size, bold)
        return self._lines[key]

    def _layout(self, text: str, width: float, size: float, bold: bool) -> Layout:
        starts: list[int] = []
        lines: list[str] = []
        overflow = None
        offset = 0
        for paragraph in text.split("\n"):
            length = len(paragraph)
            if length > MAX_PARAGRAPH:
                # No box holds this much; breaking it all would only take time.
                overflow = overflow or paragraph[:40] + "…"
                paragraph = paragraph[:MAX_PARAGRAPH]
            breaks, wide = self._wrap(paragraph, width, size, bold)
            bounds = [0, *breaks, len(paragraph)]
            starts += [offset + b for b in bounds[:-1]]
            lines += [paragraph[a:b].rstrip() for a, b in zip(bounds, bounds[1:])]
            overflow = overflow or wide
            offset += length + 1
        return Layout(lines, starts, overflow)

    def _wrap(
        self, text: str, width: float, size: float, bold: bool
    ) -> tuple[list[int], str | None]:
        """Greedy breaking: where each line after the first starts, and the first piece that
        does not fit alone. Line widths are summed piece by piece, so the work is linear."""
        limit = width / size * LINE_FILL  # in em
        breaks: list[int] = []
        overflow = None
        used = 0.0  # em of the current line, trailing spaces included
        state = Spacing(ahead=first_strong(text))  # how the line so far is set
        position = 0
        starts = []  # where each part begins: the places a line may start
        for piece in pieces(text):
            for part in self._fitting_parts(piece, limit, bold):
                core = part.rstrip()
                if used and used + self._advance(core, bold, state)[0] > limit + 1e-9:
                    breaks.append(position)
                    used, state = 0.0, state.wrapped()
                if not used and self._advance(core, bold, state)[0] > limit + 1e-9:
                    overflow = overflow or core
                em, state = self._advance(part, bold, state)
                used += em
                starts.append(position)
                position += len(part)
        self._avoid_runt(text, breaks, starts, limit, bold)
        return breaks, overflow

    def _avoid_runt(
        self, text: str, breaks: list[int], starts: list[int], limit: float, bold: bool
    ) -> None:
        """A last line of one Chinese character ("不 | 清") takes the part before it along,
        when the line above keeps something and the two fit together."""
        if not breaks:
            return
        tail = text[breaks[-1] :].rstrip().rstrip("".join(NO_LINE_START))
        if len(tail) != 1 or not is_wide(tail):
            return
        above = breaks[-2] if len(breaks) > 1 else 0
        earlier = [s for s in starts if above < s < breaks[-1]]
        if earlier and self.width(text[earlier[-1] :].rstrip(), 1.0, bold) <= limit + 1e-9:
            breaks[-1] = earlier[-1]

    def _fitting_parts(self, piece: str, limit: float, bold: bool) -> list[str]:
        """A piece, or when it is wider than a line, its Chinese characters as last resort."""
        if self.width(piece.rstrip(), 1.0, bold) <= limit + 1e-9:
            return [piece]
        return character_pieces(piece)

    def height(self, text: str, lines: int, size: float, spacing: float = 1.0) -> float:
        """Height in points of wrapped text: the tallest font it uses sets each line's height."""
        latin = font_metrics(self.latin.regular, self.cache)
        factor = latin.line_height
        if any(ord(c) not in latin.advances for c in text if not c.isspace()):
            factor = max(factor, font_metrics(self.east_asian.regular, self.cache).line_height)
        return lines * size * factor * spacing
